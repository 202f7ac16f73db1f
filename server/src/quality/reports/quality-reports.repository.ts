import { Injectable } from '@nestjs/common';
import type { AccuracyTally, CodeFamily, CorrectionCategory } from '@countersign/shared';
import type { EntityManager } from 'typeorm';

/** The weeks a report reads (Mondays, inclusive) and the approval instants they cover. */
export interface WeekRange {
  /** Monday of the first week, YYYY-MM-DD. */
  fromWeek: string;
  /** Monday of the last week, YYYY-MM-DD. */
  toWeek: string;
}

/** Who, what and whose charts the roll-ups are narrowed to. */
export interface RollupFilter extends WeekRange {
  organizationId: string;
  coderId?: string;
  reviewerId?: string;
  providerNpi?: string;
  family?: CodeFamily;
  category?: CorrectionCategory;
}

/** One grouping of the roll-ups: which key columns were grouped (null = rolled up) and its tally. */
export interface TallyRow {
  coder_id: string | null;
  reviewer_id: string | null;
  provider_npi: string | null;
  week: string | null;
  family: string | null;
  grouping: number;
  tally: AccuracyTally;
}

export interface CategoryTallyRow {
  category: CorrectionCategory;
  corrections: number;
  netImpactCents: number;
  absImpactCents: number;
}

export interface DurationRow {
  count: number;
  p50: number | null;
  p90: number | null;
}

export interface QueueRow {
  count: number;
  oldestHours: number | null;
  buckets: [number, number, number, number];
}

/** A line as review_outcomes keeps it (`coder_line` / `final_line`). */
export interface StoredLine {
  code: string;
  modifiers?: string[];
  units?: number;
}

export interface CorrectionDbRow {
  encounter_id: string;
  patient_name: string;
  date_of_service: string;
  approved_at: Date;
  outcome: 'corrected' | 'rejected' | 'missed';
  category: CorrectionCategory | null;
  coder_line: StoredLine | null;
  final_line: StoredLine | null;
  reviewer_id: string | null;
  reviewer_name: string | null;
  comment: string | null;
}

export interface ChartsFilter extends WeekRange {
  organizationId: string;
  coderId?: string;
  reviewerId?: string;
  providerNpi?: string;
  family?: CodeFamily;
  category?: CorrectionCategory;
  outcome?: 'accepted' | 'corrected' | 'rejected' | 'missed';
  /** A reviewer reading their own work: charts they reviewed or coded. */
  reviewerOrCoder?: string;
}

export interface ChartDbRow {
  encounter_id: string;
  patient_name: string;
  date_of_service: string;
  coder_id: string;
  coder_name: string | null;
  reviewer_id: string;
  reviewer_name: string | null;
  approved_at: Date;
  categories: CorrectionCategory[];
  tally: AccuracyTally;
}

/**
 * The tally columns summed, as SQL producing the AccuracyTally fields (bigint, read as text).
 * Cents are summed as float8, exact for whole numbers below 2^53 (90 trillion dollars), which
 * is several times quicker than the numeric sum of a bigint.
 */
const TALLY_SUMS = `
  sum(charts)::bigint AS charts_reviewed, sum(clean_charts)::bigint AS charts_clean,
  sum(coder_lines)::bigint AS coder_lines, sum(accepted_unchanged)::bigint AS accepted_unchanged,
  sum(missed_lines)::bigint AS missed_lines, sum(corrected)::bigint AS corrected,
  sum(rejected)::bigint AS rejected, sum(reviewed_cents::float8)::bigint AS reviewed_cents,
  sum(abs_impact_cents::float8)::bigint AS abs_impact_cents,
  sum(net_impact_cents::float8)::bigint AS net_impact_cents`;

type RawTally = Record<
  | 'charts_reviewed'
  | 'charts_clean'
  | 'coder_lines'
  | 'accepted_unchanged'
  | 'missed_lines'
  | 'corrected'
  | 'rejected'
  | 'reviewed_cents'
  | 'abs_impact_cents'
  | 'net_impact_cents',
  string | number | null
>;

const n = (value: string | number | null | undefined): number => Number(value ?? 0);

export function toTally(row: RawTally): AccuracyTally {
  return {
    coderLines: n(row.coder_lines),
    acceptedUnchanged: n(row.accepted_unchanged),
    missedLines: n(row.missed_lines),
    corrected: n(row.corrected),
    rejected: n(row.rejected),
    chartsReviewed: n(row.charts_reviewed),
    chartsClean: n(row.charts_clean),
    reviewedCents: n(row.reviewed_cents),
    absImpactCents: n(row.abs_impact_cents),
    netImpactCents: n(row.net_impact_cents),
  };
}

/** A WHERE clause over the roll-up key columns, with numbered parameters. */
function rollupWhere(
  filter: RollupFilter,
  withFamily: boolean,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [filter.organizationId, filter.fromWeek, filter.toWeek];
  const clauses = ['organization_id = $1', 'week BETWEEN $2::date AND $3::date'];
  const add = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    params.push(value);
    clauses.push(`${column} = $${params.length}`);
  };
  add('coder_id', filter.coderId);
  add('reviewer_id', filter.reviewerId);
  add('provider_npi', filter.providerNpi);
  if (withFamily) add('family', filter.family);
  return { sql: clauses.join(' AND '), params };
}

/** The first approval instant of `fromWeek` and the first after `toWeek` (UTC weeks). */
const PERIOD_BOUNDS = `($2::date)::timestamp AT TIME ZONE 'UTC'`;
const PERIOD_END = `(($3::date) + 7)::timestamp AT TIME ZONE 'UTC'`;

/**
 * The quality programme's reads. Figures come from the roll-ups (a year is a few thousand rows);
 * turnaround, the charts list and a coder's corrections from `review_results` and
 * `review_outcomes`; the queue from `encounters` now.
 */
@Injectable()
export class QualityReportsRepository {
  /**
   * Totals and the tallies by coder, reviewer, provider, week and coder-week, in one pass over
   * the roll-up (the family roll-up when a family is asked for). `grouping` tells which row is
   * which: the GROUPING() bits of (coder, reviewer, provider, week).
   */
  async groupedTallies(manager: EntityManager, filter: RollupFilter): Promise<TallyRow[]> {
    const table = filter.family ? 'quality_rollup_family' : 'quality_rollup';
    const where = rollupWhere(filter, true);
    const rows = await manager.query<Array<RawTally & Omit<TallyRow, 'tally' | 'family'>>>(
      `SELECT coder_id, reviewer_id, provider_npi, to_char(week, 'YYYY-MM-DD') AS week,
              GROUPING(coder_id, reviewer_id, provider_npi, week)::int AS grouping, ${TALLY_SUMS}
         FROM ${table} WHERE ${where.sql}
        GROUP BY GROUPING SETS ((), (coder_id), (reviewer_id), (provider_npi), (week), (coder_id, week))`,
      where.params,
    );
    return rows.map((row) => ({ ...row, family: null, tally: toTally(row) }));
  }

  /** The tally by code family (a chart counts once in each family it has lines in). */
  async familyTallies(manager: EntityManager, filter: RollupFilter): Promise<TallyRow[]> {
    const where = rollupWhere(filter, true);
    const rows = await manager.query<Array<RawTally & { family: string }>>(
      `SELECT family, ${TALLY_SUMS} FROM quality_rollup_family WHERE ${where.sql} GROUP BY family`,
      where.params,
    );
    return rows.map((row) => ({
      coder_id: null,
      reviewer_id: null,
      provider_npi: null,
      week: null,
      family: row.family,
      grouping: 0,
      tally: toTally(row),
    }));
  }

  /** The tally over every family (for the category shares when a family narrows the figures). */
  async allFamiliesTally(manager: EntityManager, filter: RollupFilter): Promise<AccuracyTally> {
    const where = rollupWhere(filter, false);
    const [row] = await manager.query<RawTally[]>(
      `SELECT ${TALLY_SUMS} FROM quality_rollup WHERE ${where.sql}`,
      where.params,
    );
    return toTally(row!);
  }

  /** Per week, for the given weeks only (a coder's this week and last week). */
  async weekTallies(
    manager: EntityManager,
    organizationId: string,
    coderId: string,
    weeks: readonly string[],
  ): Promise<Map<string, AccuracyTally>> {
    const rows = await manager.query<Array<RawTally & { week: string }>>(
      `SELECT to_char(week, 'YYYY-MM-DD') AS week, ${TALLY_SUMS} FROM quality_rollup
        WHERE organization_id = $1 AND coder_id = $2 AND week = ANY($3::date[]) GROUP BY week`,
      [organizationId, coderId, weeks],
    );
    return new Map(rows.map((row) => [row.week, toTally(row)]));
  }

  /** Corrections by category (the family filter does not apply: that roll-up has no family). */
  async categoryTallies(manager: EntityManager, filter: RollupFilter): Promise<CategoryTallyRow[]> {
    const where = rollupWhere(filter, false);
    if (filter.category) {
      where.params.push(filter.category);
      where.sql += ` AND category = $${where.params.length}`;
    }
    const rows = await manager.query<
      Array<{ category: CorrectionCategory; corrections: string; net: string; abs: string }>
    >(
      `SELECT category, sum(corrections)::bigint AS corrections,
              sum(net_impact_cents)::bigint AS net, sum(abs_impact_cents)::bigint AS abs
         FROM quality_rollup_category WHERE ${where.sql}
        GROUP BY category ORDER BY sum(corrections) DESC, category`,
      where.params,
    );
    return rows.map((row) => ({
      category: row.category,
      corrections: n(row.corrections),
      netImpactCents: n(row.net),
      absImpactCents: n(row.abs),
    }));
  }

  /**
   * How many charts took how long, by duration bucket (`quality_duration_bucket`), for a period
   * and optionally one family: what the percentiles are read from when no person or provider
   * narrows the figures.
   */
  async turnaroundHistogram(
    manager: EntityManager,
    filter: RollupFilter,
  ): Promise<Array<{ kind: 1 | 2; bucket: number; charts: number }>> {
    return manager.query(
      `SELECT kind::int AS kind, bucket, sum(charts)::int AS charts FROM quality_turnaround
        WHERE organization_id = $1 AND week BETWEEN $2::date AND $3::date AND family = $4
        GROUP BY kind, bucket HAVING sum(charts) > 0 ORDER BY kind, bucket`,
      [filter.organizationId, filter.fromWeek, filter.toWeek, filter.family ?? ''],
    );
  }

  /** p50 and p90 hours from submission to approval and from approval to sign-off. */
  async turnaround(
    manager: EntityManager,
    filter: RollupFilter,
  ): Promise<{ submitToApproval: DurationRow; approvalToSignOff: DurationRow }> {
    const params: unknown[] = [filter.organizationId, filter.fromWeek, filter.toWeek];
    const clauses = [
      'organization_id = $1',
      `approved_at >= ${PERIOD_BOUNDS}`,
      `approved_at < ${PERIOD_END}`,
    ];
    const add = (clause: (p: string) => string, value: string | undefined) => {
      if (value === undefined) return;
      params.push(value);
      clauses.push(clause(`$${params.length}`));
    };
    add((p) => `coder_id = ${p}`, filter.coderId);
    add((p) => `reviewer_id = ${p}`, filter.reviewerId);
    add((p) => `provider_npi = ${p}`, filter.providerNpi);
    add((p) => `families @> ARRAY[${p}::text]`, filter.family);
    const [row] = await manager.query<
      Array<{
        s_count: number;
        s: number[] | null;
        o_count: number;
        o: number[] | null;
      }>
    >(
      `SELECT count(submitted_at)::int AS s_count,
              percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP
                (ORDER BY date_part('epoch', approved_at - submitted_at) / 3600)
                FILTER (WHERE submitted_at IS NOT NULL) AS s,
              count(signed_off_at)::int AS o_count,
              percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP
                (ORDER BY date_part('epoch', signed_off_at - approved_at) / 3600)
                FILTER (WHERE signed_off_at IS NOT NULL) AS o
         FROM review_results WHERE ${clauses.join(' AND ')}`,
      params,
    );
    const duration = (count: number, values: number[] | null): DurationRow => ({
      count,
      p50: values?.[0] ?? null,
      p90: values?.[1] ?? null,
    });
    return {
      submitToApproval: duration(row!.s_count, row!.s),
      approvalToSignOff: duration(row!.o_count, row!.o),
    };
  }

  /**
   * The queue right now: charts awaiting review (submitted, in review, changes requested; aged
   * from their submission) and awaiting sign-off (approved; aged from their approval), in four
   * age buckets (< 1 day, 1-3 days, 3-7 days, > 7 days); open disputes and escalations.
   */
  async queue(
    manager: EntityManager,
    organizationId: string,
  ): Promise<{
    awaitingReview: QueueRow;
    awaitingSignOff: QueueRow;
    disputesOpen: number;
    escalationsOpen: number;
  }> {
    const rows = await manager.query<
      Array<{ queue: 'review' | 'signoff'; count: number; oldest: number | null; b: number[] }>
    >(
      `WITH aged AS (
         SELECT CASE WHEN status = 'approved' THEN 'signoff' ELSE 'review' END AS queue,
                extract(epoch FROM now() - CASE WHEN status = 'approved'
                  THEN coalesce(approved_at, updated_at)
                  ELSE coalesce(submitted_at, updated_at) END) / 3600 AS hours
           FROM encounters
          WHERE organization_id = $1 AND purpose = 'claim'
            AND status IN ('submitted', 'in_review', 'changes_requested', 'approved'))
       SELECT queue, count(*)::int AS count, max(hours)::float8 AS oldest,
              ARRAY[count(*) FILTER (WHERE hours < 24), count(*) FILTER (WHERE hours >= 24 AND hours < 72),
                    count(*) FILTER (WHERE hours >= 72 AND hours < 168), count(*) FILTER (WHERE hours >= 168)]::int[] AS b
         FROM aged GROUP BY queue`,
      [organizationId],
    );
    const [open] = await manager.query<[{ disputed: number; escalated: number }]>(
      `SELECT count(*) FILTER (WHERE s.status = 'disputed')::int AS disputed,
              count(*) FILTER (WHERE s.status = 'escalated')::int AS escalated
         FROM suggestions s JOIN encounters e ON e.id = s.encounter_id
        WHERE e.organization_id = $1 AND e.purpose = 'claim' AND s.status IN ('disputed', 'escalated')`,
      [organizationId],
    );
    const queueRow = (name: 'review' | 'signoff'): QueueRow => {
      const row = rows.find((r) => r.queue === name);
      if (!row) return { count: 0, oldestHours: null, buckets: [0, 0, 0, 0] };
      return {
        count: row.count,
        oldestHours: row.oldest,
        buckets: [row.b[0] ?? 0, row.b[1] ?? 0, row.b[2] ?? 0, row.b[3] ?? 0],
      };
    };
    return {
      awaitingReview: queueRow('review'),
      awaitingSignOff: queueRow('signoff'),
      disputesOpen: open.disputed,
      escalationsOpen: open.escalated,
    };
  }

  /** Names of the organization's users by id (a removed user keeps no name). */
  async userNames(
    manager: EntityManager,
    organizationId: string,
    ids: readonly string[],
  ): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await manager.query<Array<{ id: string; name: string }>>(
      `SELECT id, name FROM users WHERE organization_id = $1 AND id = ANY($2::uuid[])`,
      [organizationId, ids],
    );
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  /** A provider's name by NPI: the name on the organization's latest chart with that NPI. */
  async providerNames(
    manager: EntityManager,
    organizationId: string,
    npis: readonly string[],
  ): Promise<Map<string, string>> {
    const wanted = npis.filter((npi) => npi !== '');
    if (!wanted.length) return new Map();
    const rows = await manager.query<Array<{ npi: string; name: string | null }>>(
      `SELECT npi, (SELECT e.provider_name FROM encounters e
                     WHERE e.organization_id = $1 AND e.provider_npi = npi
                     ORDER BY e.date_of_service DESC LIMIT 1) AS name
         FROM unnest($2::text[]) AS npi`,
      [organizationId, wanted],
    );
    return new Map(rows.filter((r) => r.name !== null).map((r) => [r.npi, r.name!]));
  }

  /**
   * A coder's corrections in the period (their lines not accepted as submitted, and the lines
   * they missed), newest approval first, with the reviewer's words: the rejection comment on
   * the line, the accepted (or upheld) suggestion's comment, or the rationale of a line the
   * reviewer added.
   */
  async corrections(
    manager: EntityManager,
    organizationId: string,
    coderId: string,
    range: WeekRange,
    limit: number,
  ): Promise<CorrectionDbRow[]> {
    return manager.query<CorrectionDbRow[]>(
      `SELECT r.encounter_id, e.patient_name, to_char(e.date_of_service, 'YYYY-MM-DD') AS date_of_service,
              r.approved_at, o.outcome, o.category, o.coder_line, o.final_line,
              r.reviewer_id, u.name AS reviewer_name,
              CASE o.outcome
                WHEN 'rejected' THEN nullif(cl.review_comment, '')
                WHEN 'missed' THEN coalesce(nullif(cl.review_comment, ''), nullif(cl.rationale, ''))
                ELSE coalesce((SELECT nullif(s.comment, '') FROM suggestions s
                                WHERE s.encounter_id = o.encounter_id AND s.line_id = o.line_id
                                  AND s.status IN ('accepted', 'upheld')
                                ORDER BY s.last_seq DESC LIMIT 1), nullif(cl.review_comment, ''))
              END AS comment
         FROM review_results r
         JOIN review_outcomes o ON o.encounter_id = r.encounter_id AND o.approval_seq = r.approval_seq
         JOIN encounters e ON e.id = r.encounter_id
         LEFT JOIN claim_lines cl ON cl.id = o.line_id
         LEFT JOIN users u ON u.id = r.reviewer_id
        WHERE r.organization_id = $1 AND r.coder_id = $4
          AND r.approved_at >= ${PERIOD_BOUNDS} AND r.approved_at < ${PERIOD_END}
          AND o.outcome <> 'accepted'
        ORDER BY r.approved_at DESC, r.encounter_id, o.line_id
        LIMIT $5`,
      [organizationId, range.fromWeek, range.toWeek, coderId, limit],
    );
  }

  /**
   * One page of the reviewed charts behind a figure, newest approval first, and how many there
   * are. A chart's outcome and family are read from its tallies and arrays; only both together
   * (a line of that family with that outcome) look at its lines.
   */
  async charts(
    manager: EntityManager,
    filter: ChartsFilter,
    page: number,
    pageSize: number,
  ): Promise<{ rows: ChartDbRow[]; total: number }> {
    const params: unknown[] = [filter.organizationId, filter.fromWeek, filter.toWeek];
    const clauses = [
      'r.organization_id = $1',
      `r.approved_at >= ${PERIOD_BOUNDS}`,
      `r.approved_at < ${PERIOD_END}`,
    ];
    const add = (clause: (p: string) => string, value: string | undefined) => {
      if (value === undefined) return;
      params.push(value);
      clauses.push(clause(`$${params.length}`));
    };
    add((p) => `r.coder_id = ${p}`, filter.coderId);
    add((p) => `r.reviewer_id = ${p}`, filter.reviewerId);
    add((p) => `(r.reviewer_id = ${p} OR r.coder_id = ${p})`, filter.reviewerOrCoder);
    add((p) => `r.provider_npi = ${p}`, filter.providerNpi);
    add((p) => `r.categories @> ARRAY[${p}::text]`, filter.category);
    if (filter.family && filter.outcome) {
      params.push(filter.family, filter.outcome);
      clauses.push(
        `EXISTS (SELECT 1 FROM review_outcomes o WHERE o.encounter_id = r.encounter_id
                   AND o.approval_seq = r.approval_seq AND o.family = $${params.length - 1}
                   AND o.outcome = $${params.length})`,
      );
    } else {
      add((p) => `r.families @> ARRAY[${p}::text]`, filter.family);
      if (filter.outcome) clauses.push(OUTCOME_CLAUSES[filter.outcome]);
    }
    const where = clauses.join(' AND ');
    const [{ total }] = await manager.query<[{ total: number }]>(
      `SELECT count(*)::int AS total FROM review_results r WHERE ${where}`,
      params,
    );
    const rows = await manager.query<Array<Omit<ChartDbRow, 'tally'> & RawTally>>(
      `SELECT r.encounter_id, e.patient_name, to_char(e.date_of_service, 'YYYY-MM-DD') AS date_of_service,
              r.coder_id, cu.name AS coder_name, r.reviewer_id, ru.name AS reviewer_name,
              r.approved_at, r.categories,
              1 AS charts_reviewed, CASE WHEN r.clean THEN 1 ELSE 0 END AS charts_clean,
              r.coder_lines, r.accepted_unchanged, r.missed_lines, r.corrected, r.rejected,
              r.reviewed_cents, abs(r.reviewed_cents - r.coder_cents) AS abs_impact_cents,
              r.reviewed_cents - r.coder_cents AS net_impact_cents
         FROM (SELECT * FROM review_results r WHERE ${where}
                ORDER BY r.approved_at DESC, r.encounter_id
                LIMIT $${params.length + 1} OFFSET $${params.length + 2}) r
         JOIN encounters e ON e.id = r.encounter_id
         LEFT JOIN users cu ON cu.id = r.coder_id
         LEFT JOIN users ru ON ru.id = r.reviewer_id
        ORDER BY r.approved_at DESC, r.encounter_id`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    return { rows: rows.map((row) => ({ ...row, tally: toTally(row) })), total };
  }
}

/** A chart has a line of this outcome: read from its tallies. */
const OUTCOME_CLAUSES: Record<NonNullable<ChartsFilter['outcome']>, string> = {
  accepted: 'r.accepted_unchanged > 0',
  corrected: 'r.corrected > 0',
  rejected: 'r.rejected > 0',
  missed: 'r.missed_lines > 0',
};
