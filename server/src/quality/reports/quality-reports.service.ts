import { Inject, Injectable } from '@nestjs/common';
import {
  CODE_FAMILY_LABELS,
  CORRECTION_CATEGORY_LABELS,
  EMPTY_TALLY,
  accuracyFigures,
  canReadTeamQuality,
  qualityWeek,
  type AccuracyTally,
  type AgeBucket,
  type CodeFamily,
  type CorrectionRow,
  type DurationFigures,
  type MyQuality,
  type QualityChartsPage,
  type QualityChartsQuery,
  type QualityFilter,
  type QualityGroupRow,
  type QualityReport,
  type ReviewLevel,
  type SessionUser,
  type CategoryRow,
  formatBilledLine,
} from '@countersign/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '../../errors/domain-error.js';
import { SamplingService } from '../../sampling/sampling.service.js';
import {
  QualityReportsRepository,
  type CategoryTallyRow,
  type ChartsFilter,
  type DurationRow,
  type QueueRow,
  type RollupFilter,
  type StoredLine,
  type TallyRow,
  type WeekRange,
} from './quality-reports.repository.js';

/** The longest period a report reads: two years of weeks (105, so any two calendar years fit). */
export const MAX_PERIOD_WEEKS = 105;
/** The default period: the last 12 weeks, this one included. */
export const DEFAULT_PERIOD_WEEKS = 12;
/** The most corrections a coder's own view lists. */
export const MAX_CORRECTIONS = 200;

const DAY_MS = 86_400_000;
const AGE_BUCKET_LABELS = ['< 1 day', '1-3 days', '3-7 days', '> 7 days'];

const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const dateMs = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);

/** The Monday (UTC) of the week `iso` lies in. */
export function mondayOf(iso: string): string {
  return qualityWeek(`${iso}T00:00:00Z`);
}

/**
 * The whole weeks a period covers: figures are kept per approval week (Monday to Sunday, UTC),
 * so `from` is taken back to its Monday and `to` on to its Sunday. No `to`: this week; no
 * `from`: 12 weeks ending with `to`'s week. Longer than two years is refused with 400.
 */
export function resolvePeriod(
  from: string | undefined,
  to: string | undefined,
  today: string,
): WeekRange & { from: string; to: string } {
  const toWeek = mondayOf(to ?? today);
  const fromWeek = from
    ? mondayOf(from)
    : isoDate(dateMs(toWeek) - (DEFAULT_PERIOD_WEEKS - 1) * 7 * DAY_MS);
  if (fromWeek > toWeek)
    throw new DomainError(
      'validation_failed',
      'from: The start date must be on or before the end date',
      {
        issues: [{ path: 'from', message: 'The start date must be on or before the end date' }],
      },
    );
  const weeks = (dateMs(toWeek) - dateMs(fromWeek)) / (7 * DAY_MS) + 1;
  if (weeks > MAX_PERIOD_WEEKS) {
    const message = `A period can be at most ${MAX_PERIOD_WEEKS} weeks (two years); this one is ${weeks}`;
    throw new DomainError('validation_failed', `from: ${message}`, {
      issues: [{ path: 'from', message }],
    });
  }
  return { fromWeek, toWeek, from: fromWeek, to: isoDate(dateMs(toWeek) + 6 * DAY_MS) };
}

/** "99214-25 x1": the code, its modifiers joined by dashes, and the units. */
export function formatLine(line: StoredLine | null): string | null {
  if (!line) return null;
  return formatBilledLine({
    code: line.code,
    modifiers: line.modifiers ?? [],
    units: line.units ?? 1,
  });
}

const hours = (value: number | null): number | null =>
  value === null ? null : Math.round(value * 100) / 100;

/** The hours a duration bucket covers: [low, high) (`quality_duration_bucket`, about 4% wide). */
export function bucketHours(bucket: number): [number, number] {
  if (bucket <= 0) return [0, 0];
  return [(Math.exp((bucket - 1) / 24) - 1) / 60, (Math.exp(bucket / 24) - 1) / 60];
}

/**
 * p50 and p90 from a histogram of durations, as percentile_cont would give them from the
 * values themselves, to within a bucket's width: the rank is placed inside its bucket.
 */
export function histogramPercentiles(
  buckets: ReadonlyArray<{ bucket: number; charts: number }>,
): DurationRow {
  const sorted = [...buckets].filter((b) => b.charts > 0).sort((a, b) => a.bucket - b.bucket);
  const count = sorted.reduce((sum, b) => sum + b.charts, 0);
  if (count === 0) return { count: 0, p50: null, p90: null };
  const at = (p: number): number => {
    const rank = p * (count - 1);
    let before = 0;
    for (const b of sorted) {
      if (rank < before + b.charts) {
        const [low, high] = bucketHours(b.bucket);
        return low + ((high - low) * (rank - before + 0.5)) / b.charts;
      }
      before += b.charts;
    }
    return bucketHours(sorted[sorted.length - 1]!.bucket)[1];
  };
  return { count, p50: at(0.5), p90: at(0.9) };
}

function duration(row: DurationRow): DurationFigures {
  return { count: row.count, p50Hours: hours(row.p50), p90Hours: hours(row.p90) };
}

function queueFigures(row: QueueRow) {
  const ageBuckets: AgeBucket[] = AGE_BUCKET_LABELS.map((label, i) => ({
    label,
    count: row.buckets[i] ?? 0,
  }));
  return { count: row.count, oldestHours: hours(row.oldestHours), ageBuckets };
}

/** Corrections by category, with each one's share of the reviewed lines (`lines`). */
function categoryRows(rows: readonly CategoryTallyRow[], lines: number): CategoryRow[] {
  return rows.map((row) => ({
    category: row.category,
    label: CORRECTION_CATEGORY_LABELS[row.category] ?? row.category,
    corrections: row.corrections,
    lines,
    netImpactCents: row.netImpactCents,
    absImpactCents: row.absImpactCents,
  }));
}

function familyRows(rows: readonly TallyRow[]): QualityGroupRow[] {
  return rows
    .map((row) => ({
      key: row.family!,
      label: CODE_FAMILY_LABELS[row.family as CodeFamily] ?? row.family!,
      figures: accuracyFigures(row.tally),
    }))
    .sort((a, b) => b.figures.tally.chartsReviewed - a.figures.tally.chartsReviewed);
}

/** GROUPING(coder, reviewer, provider, week) bits: 1 = that column rolled up. */
const GROUPED = {
  total: 0b1111,
  coder: 0b0111,
  reviewer: 0b1011,
  provider: 0b1101,
  week: 0b1110,
  coderWeek: 0b0110,
} as const;

/**
 * The quality programme's reports (docs/domain.md section 10.5): the team report supervisors
 * read, a coder's own view, and the charts behind any figure. Always the caller's organization.
 */
@Injectable()
export class QualityReportsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(QualityReportsRepository) private readonly repository: QualityReportsRepository,
    @Inject(SamplingService) private readonly sampling: SamplingService,
  ) {}

  /** Today (UTC), the day periods end on by default. */
  protected today(): string {
    return new Date().toISOString().slice(0, 10);
  }

  async report(user: SessionUser, filter: QualityFilter): Promise<QualityReport> {
    if (!canReadTeamQuality(user.role))
      throw DomainError.forbidden('Only supervisors and admins read the team quality report');
    const period = resolvePeriod(filter.from, filter.to, this.today());
    const rollup: RollupFilter = { ...filter, ...period, organizationId: user.organizationId };
    // The statements run side by side on the pool (each reads committed roll-ups; a report
    // drawn while a chart is approved may count it in one table and not yet in another).
    const tx = this.dataSource.manager;
    const [grouped, families, categories, turnaround, queue, allFamilies] = await Promise.all([
      this.repository.groupedTallies(tx, rollup),
      this.repository.familyTallies(tx, rollup),
      this.repository.categoryTallies(tx, rollup),
      this.turnaround(tx, rollup),
      this.repository.queue(tx, user.organizationId),
      rollup.family ? this.repository.allFamiliesTally(tx, rollup) : null,
    ]);
    const of = (grouping: number) => grouped.filter((row) => row.grouping === grouping);
    const totals = of(GROUPED.total)[0]?.tally ?? { ...EMPTY_TALLY };
    // A category's share is of every reviewed line under the same filter; the category
    // roll-up has no family, so with a family filter the lines are all families' too.
    const allLines = allFamilies ?? totals;
    const [people, providers] = await Promise.all([
      this.repository.userNames(tx, user.organizationId, [
        ...new Set(grouped.flatMap((row) => [row.coder_id, row.reviewer_id]).filter(isString)),
      ]),
      this.repository.providerNames(
        tx,
        user.organizationId,
        of(GROUPED.provider).map((row) => row.provider_npi!),
      ),
    ]);
    const personRow = (id: string, tally: AccuracyTally): QualityGroupRow => ({
      key: id,
      label: people.get(id) ?? 'Removed user',
      figures: accuracyFigures(tally),
    });
    const byName = (a: QualityGroupRow, b: QualityGroupRow) => a.label.localeCompare(b.label);
    return {
      filter: { ...filter, from: period.from, to: period.to },
      totals: accuracyFigures(totals),
      byCoder: of(GROUPED.coder)
        .map((row) => personRow(row.coder_id!, row.tally))
        .sort(byName),
      byReviewer: of(GROUPED.reviewer)
        .map((row) => personRow(row.reviewer_id!, row.tally))
        .sort(byName),
      byFamily: familyRows(families),
      byProvider: of(GROUPED.provider)
        .map((row) => ({
          key: row.provider_npi!,
          label:
            row.provider_npi === ''
              ? 'No NPI'
              : `${providers.get(row.provider_npi!) ?? 'Unknown provider'} (${row.provider_npi})`,
          figures: accuracyFigures(row.tally),
        }))
        .sort(byName),
      byWeek: of(GROUPED.week)
        .map((row) => ({ key: row.week!, label: row.week!, figures: accuracyFigures(row.tally) }))
        .sort((a, b) => a.key.localeCompare(b.key)),
      coderWeeks: of(GROUPED.coderWeek)
        .map((row) => ({
          coderId: row.coder_id!,
          coderName: people.get(row.coder_id!) ?? 'Removed user',
          week: row.week!,
          figures: accuracyFigures(row.tally),
        }))
        .sort((a, b) => a.coderName.localeCompare(b.coderName) || a.week.localeCompare(b.week)),
      byCategory: categoryRows(categories, allLines.coderLines + allLines.missedLines),
      turnaround: {
        submitToApproval: duration(turnaround.submitToApproval),
        approvalToSignOff: duration(turnaround.approvalToSignOff),
      },
      queue: {
        awaitingReview: queueFigures(queue.awaitingReview),
        awaitingSignOff: queueFigures(queue.awaitingSignOff),
        disputesOpen: queue.disputesOpen,
        escalationsOpen: queue.escalationsOpen,
      },
    };
  }

  /**
   * Turnaround percentiles: from the duration histogram when only the period and a family
   * narrow them (a year of charts is a few thousand histogram rows), else from the charts.
   */
  private async turnaround(tx: EntityManager, rollup: RollupFilter) {
    if (rollup.coderId || rollup.reviewerId || rollup.providerNpi)
      return this.repository.turnaround(tx, rollup);
    const rows = await this.repository.turnaroundHistogram(tx, rollup);
    return {
      submitToApproval: histogramPercentiles(rows.filter((r) => r.kind === 1)),
      approvalToSignOff: histogramPercentiles(rows.filter((r) => r.kind === 2)),
    };
  }

  /** The caller's own figures as a coder (any role: a reviewer who codes sees theirs). */
  async me(user: SessionUser, filter: Pick<QualityFilter, 'from' | 'to'>): Promise<MyQuality> {
    const period = resolvePeriod(filter.from, filter.to, this.today());
    const rollup: RollupFilter = {
      ...period,
      organizationId: user.organizationId,
      coderId: user.id,
    };
    const thisWeek = mondayOf(this.today());
    const lastWeek = isoDate(dateMs(thisWeek) - 7 * DAY_MS);
    const tx = this.dataSource.manager;
    const [grouped, families, categories, weeks, corrections, reviewLevel] = await Promise.all([
      this.repository.groupedTallies(tx, rollup),
      this.repository.familyTallies(tx, rollup),
      this.repository.categoryTallies(tx, rollup),
      this.repository.weekTallies(tx, user.organizationId, user.id, [thisWeek, lastWeek]),
      this.repository.corrections(tx, user.organizationId, user.id, period, MAX_CORRECTIONS),
      this.reviewLevel(tx, user),
    ]);
    const totals = grouped.find((row) => row.grouping === GROUPED.total)?.tally ?? {
      ...EMPTY_TALLY,
    };
    return {
      coder: { id: user.id, name: user.name },
      period: { from: period.from, to: period.to },
      totals: accuracyFigures(totals),
      thisWeek: accuracyFigures(weeks.get(thisWeek) ?? { ...EMPTY_TALLY }),
      lastWeek: accuracyFigures(weeks.get(lastWeek) ?? { ...EMPTY_TALLY }),
      byWeek: grouped
        .filter((row) => row.grouping === GROUPED.week)
        .map((row) => ({ key: row.week!, label: row.week!, figures: accuracyFigures(row.tally) }))
        .sort((a, b) => a.key.localeCompare(b.key)),
      byCategory: categoryRows(categories, totals.coderLines + totals.missedLines),
      byFamily: familyRows(families),
      corrections: corrections.map((row): CorrectionRow => ({
        encounterId: row.encounter_id,
        patientName: row.patient_name,
        dateOfService: row.date_of_service,
        approvedAt: new Date(row.approved_at).toISOString(),
        outcome: row.outcome,
        category: row.category,
        coderLine: formatLine(row.coder_line),
        finalLine: formatLine(row.final_line),
        reviewer:
          row.reviewer_id && row.reviewer_name
            ? { id: row.reviewer_id, name: row.reviewer_name }
            : null,
        comment: row.comment,
      })),
      reviewLevel,
    };
  }

  /**
   * The review level the sampling policy gives a coder (docs/domain.md section 10.6), as the
   * worklist shows it; other roles' charts are not sampled by a level of theirs, so none.
   */
  protected reviewLevel(_tx: EntityManager, user: SessionUser): Promise<ReviewLevel | null> {
    return user.role === 'coder' ? this.sampling.myLevel(user) : Promise.resolve(null);
  }

  /**
   * The charts behind a figure. Supervisors and admins: the organization's. A coder: their own
   * (no coderId means theirs; another coder's is refused). A reviewer: the charts they reviewed
   * or coded (no filter means the ones they reviewed).
   */
  async charts(user: SessionUser, query: QualityChartsQuery): Promise<QualityChartsPage> {
    const filter: ChartsFilter = {
      ...query,
      ...this.chartsPeriod(query),
      organizationId: user.organizationId,
    };
    if (!canReadTeamQuality(user.role)) {
      if (user.role === 'reviewer') {
        const own = query.coderId === user.id || query.reviewerId === user.id;
        if (!own && (query.coderId !== undefined || query.reviewerId !== undefined))
          throw DomainError.forbidden('A reviewer reads the charts they reviewed or coded');
        if (!own) filter.reviewerId = user.id;
      } else {
        if (query.coderId !== undefined && query.coderId !== user.id)
          throw DomainError.forbidden("A coder reads their own charts, not another coder's");
        filter.coderId = user.id;
      }
    }
    const { rows, total } = await this.dataSource.transaction('REPEATABLE READ', (tx) =>
      this.repository.charts(tx, filter, query.page, query.pageSize),
    );
    return {
      rows: rows.map((row) => ({
        encounterId: row.encounter_id,
        patientName: row.patient_name,
        dateOfService: row.date_of_service,
        coder: row.coder_name ? { id: row.coder_id, name: row.coder_name } : null,
        reviewer: row.reviewer_name ? { id: row.reviewer_id, name: row.reviewer_name } : null,
        approvedAt: new Date(row.approved_at).toISOString(),
        figures: accuracyFigures(row.tally),
        categories: row.categories,
      })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** The weeks the charts list reads: one week when `week` is given, else the report's period. */
  private chartsPeriod(query: QualityChartsQuery): WeekRange {
    if (query.week) {
      const week = mondayOf(query.week);
      return { fromWeek: week, toWeek: week };
    }
    return resolvePeriod(query.from, query.to, this.today());
  }
}

function isString(value: string | null): value is string {
  return value !== null;
}
