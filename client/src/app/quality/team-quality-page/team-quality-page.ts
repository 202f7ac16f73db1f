import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import {
  CODE_FAMILIES,
  CODE_FAMILY_LABELS,
  CORRECTION_CATEGORIES,
  CORRECTION_CATEGORY_LABELS,
  type CategoryRow,
  type QualityGroupRow,
  type QualityReport,
} from '@countersign/shared';
import { map } from 'rxjs';
import { toApiError } from '../../core/api/api-error';
import { TeamDirectory } from '../../core/team/team-directory';
import {
  categoryOption,
  categoryChartHeight,
  categorySummary,
  coderTrendOption,
  coderTrendSummary,
  impactOption,
  type ChartPalette,
  type ChartPoint,
} from '../chart-options';
import { EChart } from '../echart';
import { GroupTable } from '../group-table/group-table';
import { MeasureTiles } from '../measure-tiles/measure-tiles';
import { QualityApi } from '../quality-api';
import { categoryCsvRows, downloadCsv } from '../quality-csv';
import {
  PERIOD_PRESETS,
  chartsLink,
  filterParamsFrom,
  presetOf,
  presetRange,
  toQueryParams,
  type FilterParams,
  type PeriodPresetId,
} from '../quality-filter';
import { dollars, formatDuration, hours, percent } from '../quality-format';

const today = (): string => new Date().toISOString().slice(0, 10);

/**
 * The supervisor's team view (`/quality`): who needs coaching on what, and what it costs. The
 * filter lives in the address; every figure, bar, point and row opens the charts behind it.
 */
@Component({
  selector: 'cs-team-quality-page',
  imports: [EChart, GroupTable, MatButtonModule, MatIconModule, MeasureTiles, RouterLink],
  templateUrl: './team-quality-page.html',
  styleUrl: './team-quality-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TeamQualityPage {
  private readonly api = inject(QualityApi);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly team = inject(TeamDirectory);

  protected readonly filter = toSignal<FilterParams, FilterParams>(
    this.route.queryParamMap.pipe(map((p) => filterParamsFrom((k) => p.get(k)))),
    { initialValue: {} },
  );
  protected readonly report = signal<QualityReport | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly loading = signal(false);

  protected readonly presets = PERIOD_PRESETS;
  protected readonly preset = computed(() => presetOf(this.filter(), today()));
  protected readonly coders = computed(() => this.team.members().filter((m) => m.role === 'coder'));
  protected readonly reviewers = computed(() =>
    this.team.members().filter((m) => m.role !== 'coder'),
  );
  protected readonly categories = CORRECTION_CATEGORIES.map((id) => ({
    id,
    label: CORRECTION_CATEGORY_LABELS[id],
  }));
  protected readonly families = CODE_FAMILIES.map((id) => ({ id, label: CODE_FAMILY_LABELS[id] }));

  /** The period the report covers, as the server resolved it (the default is 12 weeks). */
  protected readonly period = computed(() => this.report()?.filter);
  protected readonly allLink = computed(() => chartsLink(this.filter()));

  protected readonly trend = computed(() => {
    const rows = this.report()?.coderWeeks ?? [];
    return {
      option: (p: ChartPalette) => coderTrendOption(rows, p),
      summary: coderTrendSummary(rows),
      empty: !rows.length,
    };
  });
  protected readonly byCategory = computed(() => {
    const rows = this.report()?.byCategory ?? [];
    return {
      rows,
      option: (p: ChartPalette) => categoryOption(rows, p),
      summary: categorySummary(rows),
      height: categoryChartHeight(rows),
      empty: !rows.some((r) => r.corrections > 0),
    };
  });
  protected readonly impact = computed(() => {
    const rows = this.report()?.byWeek ?? [];
    const totals = this.report()?.totals.tally;
    return {
      option: (p: ChartPalette) => impactOption(rows, p),
      summary: totals
        ? `Dollar impact by week: net ${dollars(totals.netImpactCents)}, ${dollars(totals.absImpactCents)} moved of ${dollars(totals.reviewedCents)} reviewed over ${totals.chartsReviewed} charts; the table by week below has each week.`
        : '',
      empty: !rows.length,
    };
  });

  /** The grouped tables, each row linking to its charts narrowed by the row's key. */
  protected readonly tables = computed(() => {
    const r = this.report();
    if (!r) return [];
    const table = (
      id: string,
      testId: string,
      heading: string,
      keyLabel: string,
      rows: readonly QualityGroupRow[],
      narrow: (key: string) => Parameters<typeof chartsLink>[1],
    ) => ({
      id,
      testId,
      heading,
      keyLabel,
      rows,
      linkFor: (row: QualityGroupRow) => this.link(narrow(row.key)),
    });
    return [
      table('coder_id', 'by-coder', 'By coder', 'Coder', r.byCoder, (coderId) => ({ coderId })),
      table(
        'reviewer_id',
        'by-reviewer',
        'By reviewer',
        'Reviewer',
        r.byReviewer,
        (reviewerId) => ({ reviewerId }),
      ),
      table('family', 'by-family', 'By code family', 'Family', r.byFamily, (family) => ({
        family: family as FilterParams['family'],
      })),
      table(
        'provider_npi',
        'by-provider',
        'By provider',
        'Provider',
        r.byProvider,
        (providerNpi) => ({
          providerNpi,
        }),
      ),
      table('week', 'by-week', 'By week', 'Week of', r.byWeek, (week) => ({ week })),
    ];
  });
  protected readonly categoryLink = (row: CategoryRow) => this.link({ category: row.category });

  protected readonly formatDuration = formatDuration;
  protected readonly hours = hours;
  protected readonly dollars = dollars;
  protected readonly percent = percent;
  protected readonly count = (n: number) => n.toLocaleString('en-US');

  constructor() {
    void this.team.ensure();
    effect(() => {
      const filter = this.filter();
      untracked(() => void this.load(filter));
    });
  }

  protected link(narrowed: Parameters<typeof chartsLink>[1]): Record<string, string> {
    return chartsLink(this.filter(), narrowed);
  }

  protected openPoint(point: ChartPoint): void {
    void this.router.navigate(['/quality/charts'], { queryParams: this.link(point.link) });
  }

  protected choosePreset(id: string): void {
    if (id === 'custom') return;
    const range = presetRange(id as PeriodPresetId, today());
    this.navigate({
      ...this.filter(),
      ...(id === '12w' ? { from: undefined, to: undefined } : range),
    });
  }

  /** One filter field changed: empty clears it. */
  protected set(key: keyof FilterParams, value: string): void {
    const trimmed = value.trim();
    if (key === 'providerNpi' && trimmed && !/^\d{10}$/.test(trimmed)) {
      this.error.set('A provider NPI is 10 digits.');
      return;
    }
    this.navigate({ ...this.filter(), [key]: trimmed || undefined });
  }

  protected clear(): void {
    this.navigate({});
  }

  protected exportCategories(): void {
    void downloadCsv('corrections-by-category.csv', categoryCsvRows(this.byCategory().rows));
  }

  private navigate(filter: FilterParams): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: toQueryParams(filter),
      replaceUrl: true,
    });
  }

  private async load(filter: FilterParams): Promise<void> {
    this.error.set(null);
    this.loading.set(true);
    try {
      const report = await this.api.report(filter);
      if (this.filter() === filter) this.report.set(report);
    } catch (error) {
      if (this.filter() === filter) this.error.set(toApiError(error).message);
    } finally {
      if (this.filter() === filter) this.loading.set(false);
    }
  }
}
