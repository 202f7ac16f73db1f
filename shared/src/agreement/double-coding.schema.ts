import { z } from 'zod';
import { IsoDateSchema, text } from '../common/text.js';
import { ClaimLineInputSchema, type DiagnosisLetterSchema } from '../encounter/encounter.schema.js';
import type { Measure } from '../quality/accuracy.js';
import type { UserRef } from '../users/user.schema.js';

/**
 * Blind double coding, reconciliation and agreement: the REST contract (issue 13,
 * docs/domain.md section 11). A supervisor (or the sampling policy) sends a chart to two coders;
 * each codes a blind copy (an encounter with purpose `blind`) in the ordinary room. Until both
 * copies are submitted the server shows neither coder anything of the other's copy by any path.
 * Then a reviewer reconciles: builds the chart's final lines from either side or new ones, with
 * a reason for each decision, and the chart goes on through the normal review.
 *
 * Routes (all under /api):
 * - POST /encounters/:id/double-coding  {coderIds: [a, b]}  -> DoubleCoding (supervisor, admin)
 * - GET  /double-codings?status=        -> DoubleCodingSummary[] (a coder: only those they code)
 * - GET  /double-codings/:id            -> DoubleCoding (a coder of it: their own copy only)
 * - POST /double-codings/:id/cancel     {reason} -> DoubleCoding (supervisor, admin)
 * - GET  /double-codings/:id/reconciliation -> Reconciliation (once both submitted; reviewer,
 *        supervisor, admin, and afterwards the two coders)
 * - POST /double-codings/:id/reconcile  ReconcileCommand -> DoubleCoding (reviewer, supervisor,
 *        admin who coded neither copy)
 * - GET  /quality/agreement?from&to&coderId -> AgreementReport (supervisor, admin)
 * A blind copy is submitted with the room's ordinary submit (the socket's workflow command
 * `encounter:transition` with `submit`; there is no REST transition route): a blind copy is not
 * reviewed, it waits for reconciliation. A chart that is not a claim is readable only as
 * docs/domain.md section 11.2 says; otherwise every route answers 404, as for no chart at all.
 */

export const DOUBLE_CODING_STATUSES = ['coding', 'reconciling', 'reconciled', 'cancelled'] as const;
export const DoubleCodingStatusSchema = z.enum(DOUBLE_CODING_STATUSES);
export type DoubleCodingStatus = z.infer<typeof DoubleCodingStatusSchema>;

export const SendToDoubleCodingSchema = z
  .object({
    coderIds: z.tuple([z.string().uuid(), z.string().uuid()]),
  })
  .refine((body) => body.coderIds[0] !== body.coderIds[1], {
    message: 'Choose two different coders',
    path: ['coderIds'],
  });
export type SendToDoubleCoding = z.infer<typeof SendToDoubleCodingSchema>;

export const CancelDoubleCodingSchema = z.object({
  reason: text().trim().min(1, 'Say why the double coding is cancelled').max(2000),
});
export type CancelDoubleCoding = z.infer<typeof CancelDoubleCodingSchema>;

export const DoubleCodingListQuerySchema = z.object({
  status: DoubleCodingStatusSchema.optional(),
});

/** One coder's blind copy. `encounterId` is the chart they code in the room. */
export interface BlindCopy {
  slot: 1 | 2;
  encounterId: string;
  coder: UserRef;
  /** ISO timestamp; null while they code. */
  submittedAt: string | null;
}

/**
 * A double coding as its reader may see it. For one of the two coders while the status is
 * `coding`, `copies` holds only their own copy and `submittedCount` is null: they learn
 * nothing of the other coder's progress.
 */
export interface DoubleCoding {
  id: string;
  /** The chart being coded twice; its lines come from reconciliation. */
  encounterId: string;
  /** What identifies the chart in a list: the patient's name and the date of service. */
  chartLabel: string;
  status: DoubleCodingStatus;
  requestedVia: 'supervisor' | 'sampling';
  requestedBy: UserRef | null;
  requestedAt: string;
  copies: BlindCopy[];
  /** How many copies are submitted; null for a coder of it while coding. */
  submittedCount: number | null;
  bothSubmittedAt: string | null;
  reconciledBy: UserRef | null;
  reconciledAt: string | null;
  cancelReason: string | null;
}
export type DoubleCodingSummary = DoubleCoding;

/** The fields of a line two codings are compared on. */
export const LINE_DIFFERENCES = ['code', 'modifiers', 'units', 'pointers', 'missing'] as const;
export type LineDifference = (typeof LINE_DIFFERENCES)[number];

export interface CodedLineView {
  id: string;
  code: string;
  modifiers: string[];
  units: number;
  pointers: string[];
  /** The diagnosis codes the pointers name (copies share the chart's diagnoses). */
  pointedDiagnoses: string[];
  rationale: string;
  /** Fee of the line under the chart's schedule, cents; null when the code has no fee. */
  feeCents: number | null;
}

/**
 * One row of the side-by-side view: a line of the first coding and its match in the second
 * (matched as practice scoring matches key and attempt lines), either side null when only one
 * coder billed it. `differences` is empty when both are the same line.
 */
export interface ReconciliationRow {
  key: string;
  first: CodedLineView | null;
  second: CodedLineView | null;
  differences: LineDifference[];
}

export interface Reconciliation {
  doubleCoding: DoubleCoding;
  /** The chart's diagnoses, letter by letter, as both coders saw them. */
  diagnoses: { letter: string; code: string }[];
  rows: ReconciliationRow[];
  /** This chart's agreement, over the union of codes and of code + modifiers + units. */
  agreement: { codes: Measure; lines: Measure };
  /** The decisions, once reconciled; empty before. */
  decisions: ReconciliationDecision[];
}

export const RECONCILIATION_SOURCES = ['first', 'second', 'both', 'new', 'dropped'] as const;
export type ReconciliationSource = (typeof RECONCILIATION_SOURCES)[number];

/**
 * One decision: a final line taken from the first coding, the second, both (they agree), or
 * written new; or a line of either coding dropped. A reason for each.
 */
export const ReconciliationDecisionInputSchema = z
  .object({
    source: z.enum(RECONCILIATION_SOURCES),
    firstLineId: z.string().uuid().nullable().default(null),
    secondLineId: z.string().uuid().nullable().default(null),
    /** The final line; null only when `source` is `dropped`. */
    line: ClaimLineInputSchema.nullable().default(null),
    reason: text().trim().min(1, 'Give a reason for each decision').max(2000),
  })
  .superRefine((d, ctx) => {
    const needs: Record<ReconciliationSource, [boolean, boolean, boolean]> = {
      // [firstLineId, secondLineId, line]
      first: [true, false, true],
      second: [false, true, true],
      both: [true, true, true],
      new: [false, false, true],
      dropped: [false, false, false],
    };
    const [first, second, line] = needs[d.source];
    if (first && !d.firstLineId)
      ctx.addIssue({
        code: 'custom',
        path: ['firstLineId'],
        message: 'Name the first coder’s line',
      });
    if (second && !d.secondLineId)
      ctx.addIssue({
        code: 'custom',
        path: ['secondLineId'],
        message: 'Name the second coder’s line',
      });
    if (line && !d.line)
      ctx.addIssue({ code: 'custom', path: ['line'], message: 'Give the final line' });
    if (d.source === 'dropped' && !d.firstLineId && !d.secondLineId)
      ctx.addIssue({ code: 'custom', path: ['source'], message: 'Name the line that is dropped' });
    if (d.source === 'dropped' && d.line)
      ctx.addIssue({ code: 'custom', path: ['line'], message: 'A dropped line has no final line' });
  });
export type ReconciliationDecisionInput = z.input<typeof ReconciliationDecisionInputSchema>;

/**
 * The reconciled chart: every line of both codings must be covered by exactly one decision
 * (taken, merged into a `both`, or dropped); `new` lines add to them.
 */
export const ReconcileCommandSchema = z.object({
  decisions: z.array(ReconciliationDecisionInputSchema).min(1).max(200),
});
export type ReconcileCommand = z.input<typeof ReconcileCommandSchema>;

export interface ReconciliationDecision {
  position: number;
  source: ReconciliationSource;
  firstLine: CodedLineView | null;
  secondLine: CodedLineView | null;
  finalLine: {
    code: string;
    modifiers: string[];
    units: number;
    pointers: z.infer<typeof DiagnosisLetterSchema>[];
  } | null;
  reason: string;
  decidedBy: UserRef | null;
  decidedAt: string;
}

export const AgreementQuerySchema = z
  .object({
    /** Date both copies were in, inclusive. Default: the last 12 weeks. */
    from: IsoDateSchema.optional(),
    to: IsoDateSchema.optional(),
    coderId: z.string().uuid().optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, {
    message: 'The start date must be on or before the end date',
    path: ['from'],
  });
export type AgreementQuery = z.infer<typeof AgreementQuerySchema>;

/**
 * Agreement figures over a set of double-coded charts (docs/agreement.md): percent and positive
 * agreement over the union of codes, at two granularities (code; code + modifiers + units), and
 * Cohen's kappa (a pair) or Krippendorff's alpha (a team) on each chart's E/M level, where every
 * category can be chosen by both. Every figure carries its counts; null over nothing.
 */
export interface AgreementFigures {
  charts: number;
  codes: { percent: Measure; positive: Measure };
  lines: { percent: Measure; positive: Measure };
  emLevel: { kappa: number | null; alpha: number | null; units: number };
}

export interface AgreementPair extends AgreementFigures {
  coders: [UserRef, UserRef];
}

/** One double-coded chart behind a figure. */
export interface AgreementChart {
  doubleCodingId: string;
  encounterId: string;
  chartLabel: string;
  coders: [UserRef, UserRef];
  bothSubmittedAt: string;
  status: DoubleCodingStatus;
  codes: Measure;
  lines: Measure;
}

export interface AgreementReport {
  period: { from: string; to: string };
  team: AgreementFigures;
  pairs: AgreementPair[];
  /** By week (Monday), oldest first, for the trend chart. */
  weeks: ({ week: string } & AgreementFigures)[];
  charts: AgreementChart[];
}
