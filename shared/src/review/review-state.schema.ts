import { z } from 'zod';
import { pgInt, text } from '../common/text.js';
import { CitedPrecedentSchema } from '../quality/precedent.schema.js';
import { UserRefSchema } from '../users/user.schema.js';

/**
 * The review vocabulary (docs/domain.md section 5) and the review state a chart carries: each
 * line's review, suggestions, and comment threads. A fixed list of correction categories, so
 * that accuracy means one thing.
 */
export const CORRECTION_CATEGORIES = [
  'wrong-code',
  'wrong-level',
  'missing-modifier',
  'wrong-modifier',
  'units',
  'diagnosis-pointer',
  'unbundling',
  'missed-code',
  'unsupported',
  'other',
] as const;
export const CorrectionCategorySchema = z.enum(CORRECTION_CATEGORIES);
export type CorrectionCategory = z.infer<typeof CorrectionCategorySchema>;

/** Plain labels for people. */
export const CORRECTION_CATEGORY_LABELS: Record<CorrectionCategory, string> = {
  'wrong-code': 'Wrong code',
  'wrong-level': 'Wrong E/M level',
  'missing-modifier': 'Missing modifier',
  'wrong-modifier': 'Wrong modifier',
  units: 'Units',
  'diagnosis-pointer': 'Diagnosis pointer',
  unbundling: 'Unbundling',
  'missed-code': 'Missed code',
  unsupported: 'Not supported by documentation',
  other: 'Other',
};

export const LINE_ORIGINS = ['coder', 'reviewer'] as const;
export type LineOrigin = (typeof LINE_ORIGINS)[number];

/** A highlighted span of the clinical note, as character offsets and the quoted text. */
export const EvidenceSchema = z
  .object({
    start: pgInt(0),
    end: pgInt(1),
    quote: text().min(1).max(2000),
  })
  .refine((e) => e.end > e.start, 'Evidence must cover at least one character');
export type Evidence = z.infer<typeof EvidenceSchema>;

export const LINE_REVIEW_STATES = ['pending', 'accepted', 'rejected'] as const;
export const LineReviewSchema = z.object({
  state: z.enum(LINE_REVIEW_STATES),
  category: CorrectionCategorySchema.nullable(),
  comment: z.string().nullable(),
  by: UserRefSchema.nullable(),
});
export type LineReview = z.infer<typeof LineReviewSchema>;

export const PENDING_REVIEW: LineReview = {
  state: 'pending',
  category: null,
  comment: null,
  by: null,
};

/** The billed fields of a line as a suggestion proposes them. */
export const ProposedLineSchema = z.object({
  code: z.string(),
  modifiers: z.array(z.string()),
  units: z.number().int(),
  pointers: z.array(z.string()),
});
export type ProposedLine = z.infer<typeof ProposedLineSchema>;

/**
 * A suggestion's life (docs/domain.md section 5): `open` until the coder answers; `accepted`, or
 * `disputed` with a thread; a dispute is accepted after all, withdrawn by the reviewer, or
 * `escalated` to a supervisor, who `upheld` it (the line takes it) or `overruled` it (the
 * coder's line stands).
 */
export const SUGGESTION_STATUSES = [
  'open',
  'accepted',
  'disputed',
  'withdrawn',
  'escalated',
  'upheld',
  'overruled',
] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];

/**
 * A suggestion in one of these still waits for someone (the coder, the reviewer, a supervisor):
 * it blocks approval, and its line's fields are not to be changed under it.
 */
export const isWaitingSuggestion = (status: SuggestionStatus): boolean =>
  status === 'open' || status === 'disputed' || status === 'escalated';

export const DISPUTE_DECISIONS = ['uphold', 'overrule'] as const;
export type DisputeDecision = (typeof DISPUTE_DECISIONS)[number];

/** Who sent a dispute to a supervisor, and why (the comment may be empty). */
export const EscalationSchema = z.object({
  by: UserRefSchema,
  comment: z.string(),
  at: z.string(),
});
export type Escalation = z.infer<typeof EscalationSchema>;

/** A supervisor's decision of an escalated dispute, with the reason everyone reads. */
export const DisputeDecisionSchema = z.object({
  decision: z.enum(DISPUTE_DECISIONS),
  reason: z.string(),
  by: UserRefSchema,
  at: z.string(),
});
export type DisputeDecisionRecord = z.infer<typeof DisputeDecisionSchema>;

/** The precedent a settled dispute became ("precedent 12"). */
export const PrecedentRefSchema = z.object({ id: z.string().uuid(), number: z.number().int() });
export type PrecedentRef = z.infer<typeof PrecedentRefSchema>;

/** A reviewer's proposed correction of one line, answered by the coder. */
export const SuggestionSchema = z.object({
  id: z.string().uuid(),
  lineId: z.string().uuid(),
  author: UserRefSchema,
  /** The line's billed fields before and after the correction: the diff shows old -> new. */
  before: ProposedLineSchema,
  proposed: ProposedLineSchema,
  category: CorrectionCategorySchema,
  comment: z.string(),
  status: z.enum(SUGGESTION_STATUSES),
  answeredBy: UserRefSchema.nullable(),
  threadId: z.string().uuid().nullable(),
  createdAt: z.string(),
  escalation: EscalationSchema.nullable(),
  decision: DisputeDecisionSchema.nullable(),
  /** Set when the suggestion settled a dispute. */
  precedent: PrecedentRefSchema.nullable(),
  /** The precedent the reviewer cited ("see precedent 12"), if any: the card links to it. */
  citedPrecedent: CitedPrecedentSchema.nullable(),
});
export type Suggestion = z.infer<typeof SuggestionSchema>;

export const CommentSchema = z.object({
  id: z.string().uuid(),
  author: UserRefSchema,
  body: z.string(),
  /** Ids of the teammates the comment @mentions. */
  mentions: z.array(z.string().uuid()),
  at: z.string(),
});
export type Comment = z.infer<typeof CommentSchema>;

/** A discussion on a line (or a suggestion of it) or on the whole encounter. */
export const ThreadSchema = z.object({
  id: z.string().uuid(),
  lineId: z.string().uuid().nullable(),
  suggestionId: z.string().uuid().nullable(),
  resolved: z.boolean(),
  comments: z.array(CommentSchema),
});
export type Thread = z.infer<typeof ThreadSchema>;

/** A warning finding someone acknowledged, with their reason; errors cannot be acknowledged away. */
export const AcknowledgementSchema = z.object({
  findingId: z.string(),
  reason: z.string(),
  by: UserRefSchema,
  at: z.string(),
});
export type Acknowledgement = z.infer<typeof AcknowledgementSchema>;
