import { Injectable } from '@nestjs/common';
import {
  chartResultFacts,
  type AccuracyTally,
  type ChartLineFact,
  type ChartResultFacts,
  type CodeFamily,
  type CorrectionCategory,
  type LineOutcome,
  type ProposedLine,
} from '@countersign/shared';
import type { SqlRunner } from '../../database/live-pool.js';
import { returningRows } from '../../database/returning-rows.js';

/** Who and what one approval is about: the roll-ups' key and the lines it judged. */
export interface ApprovalFacts {
  encounterId: string;
  organizationId: string;
  approvalSeq: number;
  coderId: string;
  reviewerId: string;
  providerNpi: string;
  submittedAt: Date | null;
  approvedAt: Date;
  lines: readonly ChartLineFact[];
}

/** A chart's stored review result, as `review_results` holds it. */
export interface ReviewResultRow {
  encounter_id: string;
  organization_id: string;
  approval_seq: number;
  coder_id: string;
  reviewer_id: string;
  provider_npi: string;
  approved_at: Date;
  signed_off_at: Date | null;
  coder_lines: number;
  accepted_unchanged: number;
  missed_lines: number;
  corrected: number;
  rejected: number;
  clean: boolean;
  coder_cents: string;
  reviewed_cents: string;
}

/** The stored result with the names of its coder and reviewer (null when they are gone). */
export type NamedResultRow = ReviewResultRow & {
  coder_name: string | null;
  reviewer_name: string | null;
};

/** One line of a stored approval. */
export interface ResultLineRow {
  line_id: string;
  outcome: LineOutcome;
  category: CorrectionCategory | null;
  code: string | null;
  family: CodeFamily | null;
  coder_line: ProposedLine | null;
  final_line: ProposedLine | null;
  coder_cents: string;
  final_cents: string;
}

type RollupKey = Pick<
  ApprovalFacts,
  'organizationId' | 'coderId' | 'reviewerId' | 'providerNpi'
> & { week: string };

const KEYS = 'organization_id, week, coder_id, reviewer_id, provider_npi';
const TALLY = [
  'charts',
  'clean_charts',
  'coder_lines',
  'accepted_unchanged',
  'missed_lines',
  'corrected',
  'rejected',
  'reviewed_cents',
  'abs_impact_cents',
  'net_impact_cents',
] as const;
const CATEGORY_TALLY = ['corrections', 'charts', 'net_impact_cents', 'abs_impact_cents'] as const;
const added = (table: string, columns: readonly string[]) =>
  columns.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ');

/**
 * Adds (sign 1) or takes away (sign -1) one chart's contributions to the three roll-ups, in
 * one statement: $1-$5 the key, $6-$15 the chart's tally, then one array per column of the
 * family rows and of the category rows.
 */
const APPLY = `
  WITH k AS (SELECT $1::uuid, $2::date, $3::uuid, $4::uuid, $5::text),
  a AS (
    INSERT INTO quality_rollup (${KEYS}, ${TALLY.join(', ')})
    SELECT k.*, $6::int, $7::int, $8::int, $9::int, $10::int, $11::int, $12::int, $13::bigint,
           $14::bigint, $15::bigint FROM k
    ON CONFLICT (${KEYS}) DO UPDATE SET ${added('quality_rollup', TALLY)}),
  f AS (
    INSERT INTO quality_rollup_family (${KEYS}, family, ${TALLY.join(', ')})
    SELECT k.*, f.* FROM k, unnest($16::text[], $17::int[], $18::int[], $19::int[], $20::int[],
           $21::int[], $22::int[], $23::int[], $24::bigint[], $25::bigint[], $26::bigint[]) AS f
    ON CONFLICT (${KEYS}, family) DO UPDATE SET ${added('quality_rollup_family', TALLY)})
  INSERT INTO quality_rollup_category (${KEYS}, category, ${CATEGORY_TALLY.join(', ')})
  SELECT k.*, c.* FROM k, unnest($27::text[], $28::int[], $29::int[], $30::bigint[], $31::bigint[]) AS c
  ON CONFLICT (${KEYS}, category) DO UPDATE SET ${added('quality_rollup_category', CATEGORY_TALLY)}`;

const KEY_MATCH =
  'organization_id = $1 AND week = $2 AND coder_id = $3 AND reviewer_id = $4 AND provider_npi = $5';

/** A roll-up row whose last chart was taken away holds nothing: it goes. */
const DROP_EMPTY = `
  WITH a AS (DELETE FROM quality_rollup WHERE ${KEY_MATCH} AND charts = 0),
  f AS (DELETE FROM quality_rollup_family WHERE ${KEY_MATCH} AND charts = 0)
  DELETE FROM quality_rollup_category WHERE ${KEY_MATCH} AND charts = 0`;

/** Each stored approval's lines at its own approval, with the roll-ups' key. */
const LINES_OF_RESULTS = `
  FROM review_results r
  JOIN review_outcomes o ON o.encounter_id = r.encounter_id AND o.approval_seq = r.approval_seq
  WHERE r.organization_id = $1`;

/** The category a changed line counts under (chartResultFacts' `lineCategory`). */
const LINE_CATEGORY = `COALESCE(o.category,
  CASE WHEN o.outcome = 'missed' THEN 'missed-code' ELSE 'other' END)`;

const REBUILD = [
  `DELETE FROM quality_rollup WHERE organization_id = $1`,
  `DELETE FROM quality_rollup_family WHERE organization_id = $1`,
  `DELETE FROM quality_rollup_category WHERE organization_id = $1`,
  `INSERT INTO quality_rollup (${KEYS}, ${TALLY.join(', ')})
   SELECT ${KEYS}, count(*), count(*) FILTER (WHERE clean), sum(coder_lines),
          sum(accepted_unchanged), sum(missed_lines), sum(corrected), sum(rejected),
          sum(reviewed_cents), sum(abs(reviewed_cents - coder_cents)),
          sum(reviewed_cents - coder_cents)
     FROM review_results WHERE organization_id = $1
    GROUP BY ${KEYS}`,
  `INSERT INTO quality_rollup_family (${KEYS}, family, ${TALLY.join(', ')})
   SELECT ${KEYS}, family, count(*), count(*) FILTER (WHERE clean), sum(coder_lines),
          sum(accepted_unchanged), sum(missed_lines), sum(corrected), sum(rejected),
          sum(reviewed_cents), sum(abs(net_cents)), sum(net_cents)
     FROM (SELECT r.organization_id, r.week, r.coder_id, r.reviewer_id, r.provider_npi, o.family,
                  count(*) FILTER (WHERE o.outcome <> 'missed') AS coder_lines,
                  count(*) FILTER (WHERE o.outcome = 'accepted') AS accepted_unchanged,
                  count(*) FILTER (WHERE o.outcome = 'missed') AS missed_lines,
                  count(*) FILTER (WHERE o.outcome = 'corrected') AS corrected,
                  count(*) FILTER (WHERE o.outcome = 'rejected') AS rejected,
                  bool_and(o.outcome = 'accepted') AS clean,
                  sum(o.final_cents) AS reviewed_cents,
                  sum(o.final_cents - o.coder_cents) AS net_cents
             ${LINES_OF_RESULTS}
            GROUP BY r.encounter_id, r.organization_id, r.week, r.coder_id, r.reviewer_id,
                     r.provider_npi, o.family) AS per_chart
    GROUP BY ${KEYS}, family`,
  `INSERT INTO quality_rollup_category (${KEYS}, category, ${CATEGORY_TALLY.join(', ')})
   SELECT r.organization_id, r.week, r.coder_id, r.reviewer_id, r.provider_npi,
          ${LINE_CATEGORY} AS category, count(*), count(DISTINCT r.encounter_id),
          sum(o.final_cents - o.coder_cents), sum(abs(o.final_cents - o.coder_cents))
     ${LINES_OF_RESULTS} AND o.outcome <> 'accepted'
    GROUP BY 1, 2, 3, 4, 5, 6`,
];

/**
 * The quality programme's facts (migration 1795720000000-ReviewResults): each approval's
 * `review_results` row and the three weekly roll-ups, kept in step in the approval's
 * transaction; `rebuild` derives the roll-ups again from the facts, set-based.
 */
@Injectable()
export class QualityResultsRepository {
  /**
   * Records an approval in its transaction: the chart's `review_results` row (a re-approval
   * after a reopen replaces the earlier one, whose contributions leave the roll-ups first) and
   * its contributions to the roll-ups. The outcome rows of `approvalSeq` must already be written.
   */
  async record(tx: SqlRunner, approval: ApprovalFacts): Promise<ChartResultFacts> {
    await this.forget(tx, approval.encounterId);
    const facts = chartResultFacts(approval.lines, approval.approvedAt);
    const r = facts.result;
    await tx.query(
      `INSERT INTO review_results (encounter_id, organization_id, approval_seq, coder_id,
         reviewer_id, provider_npi, submitted_at, approved_at, week, coder_lines,
         accepted_unchanged, missed_lines, corrected, rejected, clean, coder_cents,
         reviewed_cents, categories, families)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
      [
        approval.encounterId,
        approval.organizationId,
        approval.approvalSeq,
        approval.coderId,
        approval.reviewerId,
        approval.providerNpi,
        approval.submittedAt,
        approval.approvedAt,
        facts.week,
        r.coderLines,
        r.acceptedUnchanged,
        r.missedLines,
        r.corrected,
        r.rejected,
        r.clean,
        r.coderCents,
        r.reviewedCents,
        r.categories,
        r.families,
      ],
    );
    await this.apply(tx, { ...approval, week: facts.week }, facts, 1);
    return facts;
  }

  /** Takes a chart's stored result, if any, out of the facts and the roll-ups. */
  async forget(tx: SqlRunner, encounterId: string): Promise<void> {
    const previous = returningRows<ReviewResultRow>(
      await tx.query(`DELETE FROM review_results WHERE encounter_id = $1 RETURNING *`, [
        encounterId,
      ]),
    )[0];
    if (previous) await this.takeAway(tx, previous);
  }

  /** Sign-off of a reviewed chart: when, for the approval-to-sign-off turnaround. */
  async signedOff(tx: SqlRunner, encounterId: string, at: Date): Promise<void> {
    await tx.query(`UPDATE review_results SET signed_off_at = $2 WHERE encounter_id = $1`, [
      encounterId,
      at,
    ]);
  }

  /**
   * Recomputes an organization's three roll-ups from `review_results` and the outcome rows of
   * each chart's latest approval, set-based. Run it in a transaction (the roll-ups are emptied
   * first); bulk loaders call it after writing facts, and tests check it equals the
   * incremental path.
   */
  async rebuild(runner: SqlRunner, organizationId: string): Promise<void> {
    for (const sql of REBUILD) await runner.query(sql, [organizationId]);
  }

  /** The stored result of a chart, with its lines; null until it was approved once. */
  async result(
    runner: SqlRunner,
    organizationId: string,
    encounterId: string,
  ): Promise<{ row: NamedResultRow; lines: ResultLineRow[] } | null> {
    const [row] = await runner.query<NamedResultRow[]>(
      `SELECT r.*, cu.name AS coder_name, ru.name AS reviewer_name
         FROM review_results r
         LEFT JOIN users cu ON cu.id = r.coder_id
         LEFT JOIN users ru ON ru.id = r.reviewer_id
        WHERE r.encounter_id = $1 AND r.organization_id = $2`,
      [encounterId, organizationId],
    );
    if (!row) return null;
    return { row, lines: await this.lines(runner, row) };
  }

  /** A coder's tally over the approvals since `since`, straight from `review_results`. */
  async coderTally(
    runner: SqlRunner,
    organizationId: string,
    coderId: string,
    since: Date,
  ): Promise<AccuracyTally> {
    const [row] = await runner.query<Record<string, string | null>[]>(
      `SELECT count(*) AS charts, count(*) FILTER (WHERE clean) AS clean_charts,
              sum(coder_lines) AS coder_lines, sum(accepted_unchanged) AS accepted_unchanged,
              sum(missed_lines) AS missed_lines, sum(corrected) AS corrected,
              sum(rejected) AS rejected, sum(reviewed_cents) AS reviewed_cents,
              sum(abs(reviewed_cents - coder_cents)) AS abs_impact_cents,
              sum(reviewed_cents - coder_cents) AS net_impact_cents
         FROM review_results
        WHERE organization_id = $1 AND coder_id = $2 AND approved_at >= $3`,
      [organizationId, coderId, since],
    );
    const n = (column: string) => Number(row?.[column] ?? 0);
    return {
      coderLines: n('coder_lines'),
      acceptedUnchanged: n('accepted_unchanged'),
      missedLines: n('missed_lines'),
      corrected: n('corrected'),
      rejected: n('rejected'),
      chartsReviewed: n('charts'),
      chartsClean: n('clean_charts'),
      reviewedCents: n('reviewed_cents'),
      absImpactCents: n('abs_impact_cents'),
      netImpactCents: n('net_impact_cents'),
    };
  }

  private lines(runner: SqlRunner, row: ReviewResultRow): Promise<ResultLineRow[]> {
    return runner.query<ResultLineRow[]>(
      `SELECT o.line_id, o.outcome, o.category, o.code, o.family, o.coder_line, o.final_line,
              o.coder_cents, o.final_cents
         FROM review_outcomes o
         LEFT JOIN claim_lines l ON l.id = o.line_id
        WHERE o.encounter_id = $1 AND o.approval_seq = $2
        ORDER BY l.position NULLS LAST, o.line_id`,
      [row.encounter_id, row.approval_seq],
    );
  }

  /** Takes an earlier approval's contributions out of the roll-ups, from its stored facts. */
  private async takeAway(tx: SqlRunner, previous: ReviewResultRow): Promise<void> {
    const lines = await this.lines(tx, previous);
    const facts = chartResultFacts(
      lines.map((l) => ({
        outcome: l.outcome,
        category: l.category,
        code: l.code ?? '',
        coderCents: Number(l.coder_cents),
        finalCents: Number(l.final_cents),
      })),
      previous.approved_at,
    );
    const key: RollupKey = {
      organizationId: previous.organization_id,
      week: facts.week,
      coderId: previous.coder_id,
      reviewerId: previous.reviewer_id,
      providerNpi: previous.provider_npi,
    };
    await this.apply(tx, key, facts, -1);
    await tx.query(DROP_EMPTY, keyParams(key));
  }

  private async apply(
    tx: SqlRunner,
    key: RollupKey,
    facts: ChartResultFacts,
    sign: 1 | -1,
  ): Promise<void> {
    const tally = (t: AccuracyTally) =>
      [
        t.chartsReviewed,
        t.chartsClean,
        t.coderLines,
        t.acceptedUnchanged,
        t.missedLines,
        t.corrected,
        t.rejected,
        t.reviewedCents,
        t.absImpactCents,
        t.netImpactCents,
      ].map((v) => sign * v);
    // Rows in one fixed order, so two approvals adding to the same rows wait, never deadlock.
    const byFamily = [...facts.byFamily].sort((a, b) => a.family.localeCompare(b.family));
    const families = byFamily.map(tally);
    const column = (rows: number[][], i: number) => rows.map((row) => row[i]!);
    const c = [...facts.byCategory].sort((a, b) => a.category.localeCompare(b.category));
    await tx.query(APPLY, [
      ...keyParams(key),
      ...tally(facts.all),
      byFamily.map((f) => f.family),
      ...TALLY.map((_, i) => column(families, i)),
      c.map((x) => x.category),
      c.map((x) => sign * x.corrections),
      c.map((x) => sign * x.charts),
      c.map((x) => sign * x.netImpactCents),
      c.map((x) => sign * x.absImpactCents),
    ]);
  }
}

function keyParams(key: RollupKey): unknown[] {
  return [key.organizationId, key.week, key.coderId, key.reviewerId, key.providerNpi];
}
