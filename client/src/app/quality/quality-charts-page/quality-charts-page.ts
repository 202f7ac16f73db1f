import { DatePipe } from '@angular/common';
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
  CORRECTION_CATEGORY_LABELS,
  type QualityChartsPage as ChartsPage,
} from '@countersign/shared';
import { map } from 'rxjs';
import { toApiError } from '../../core/api/api-error';
import { TeamDirectory } from '../../core/team/team-directory';
import { QualityApi } from '../quality-api';
import { chartCsvRows, downloadCsv } from '../quality-csv';
import {
  FILTER_KEYS,
  chartsParamsFrom,
  describeFilter,
  type ChartsParams,
} from '../quality-filter';
import { dollars, measureCounts, measureValue } from '../quality-format';

export const CHARTS_PAGE_SIZE = 50;
/** The most rows one CSV export asks for (the server's largest page). */
const EXPORT_PAGE_SIZE = 200;

/**
 * The charts behind a figure (`/quality/charts?...`): the filter in words, each chart with its
 * figures linking to its room, page by page, and the whole list as CSV.
 */
@Component({
  selector: 'cs-quality-charts-page',
  imports: [DatePipe, MatButtonModule, MatIconModule, RouterLink],
  templateUrl: './quality-charts-page.html',
  styleUrl: './quality-charts-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class QualityChartsPage {
  private readonly api = inject(QualityApi);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly team = inject(TeamDirectory);

  private readonly query = toSignal<
    { params: ChartsParams; page: number },
    { params: ChartsParams; page: number }
  >(
    this.route.queryParamMap.pipe(
      map((p) => ({
        params: chartsParamsFrom((k) => p.get(k)),
        page: Math.max(1, Math.floor(Number(p.get('page') ?? '1')) || 1),
      })),
    ),
    { initialValue: { params: {}, page: 1 } },
  );
  protected readonly result = signal<ChartsPage | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly exporting = signal(false);

  protected readonly description = computed(() => {
    const members = this.team.members();
    return describeFilter(this.query().params, {
      person: (id) => members.find((m) => m.id === id)?.name ?? null,
    });
  });
  /** Back to the team view with the same filter (week and outcome are the figure's, not the filter's). */
  protected readonly backLink = computed(() => {
    const params = this.query().params;
    return Object.fromEntries(FILTER_KEYS.filter((k) => params[k]).map((k) => [k, params[k]!]));
  });
  protected readonly pages = computed(() => {
    const r = this.result();
    return r ? Math.max(1, Math.ceil(r.total / r.pageSize)) : 1;
  });

  protected readonly value = measureValue;
  protected readonly counts = measureCounts;
  protected readonly dollars = dollars;
  protected readonly categoryLabel = (c: keyof typeof CORRECTION_CATEGORY_LABELS) =>
    CORRECTION_CATEGORY_LABELS[c];

  constructor() {
    void this.team.ensure();
    effect(() => {
      const query = this.query();
      untracked(() => void this.load(query));
    });
  }

  protected goTo(page: number): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { page: page > 1 ? page : null },
      queryParamsHandling: 'merge',
    });
  }

  /** Every chart behind the figure, page after page, as one CSV. */
  protected async exportCsv(): Promise<void> {
    this.exporting.set(true);
    this.error.set(null);
    try {
      const params = this.query().params;
      const rows: ChartsPage['rows'] = [];
      for (let page = 1; ; page++) {
        const next = await this.api.charts({ ...params, page, pageSize: EXPORT_PAGE_SIZE });
        rows.push(...next.rows);
        if (!next.rows.length || rows.length >= next.total) break;
      }
      await downloadCsv('quality-charts.csv', chartCsvRows(rows));
    } catch (error) {
      this.error.set(toApiError(error).message);
    } finally {
      this.exporting.set(false);
    }
  }

  private async load(query: { params: ChartsParams; page: number }): Promise<void> {
    this.error.set(null);
    try {
      const page = await this.api.charts({
        ...query.params,
        page: query.page,
        pageSize: CHARTS_PAGE_SIZE,
      });
      if (this.query() === query) this.result.set(page);
    } catch (error) {
      if (this.query() === query) this.error.set(toApiError(error).message);
    }
  }
}
