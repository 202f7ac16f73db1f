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
  qualityWeek,
  type AgreementChart,
  type AgreementPair,
  type AgreementReport,
} from '@countersign/shared';
import { map } from 'rxjs';
import { toApiError } from '../../core/api/api-error';
import { TeamDirectory } from '../../core/team/team-directory';
import type { ChartPalette, ChartPoint } from '../../quality/chart-options';
import { EChart } from '../../quality/echart';
import { downloadCsv } from '../../quality/quality-csv';
import { measureValue } from '../../quality/quality-format';
import { AgreementApi } from '../agreement-api';
import {
  AGREEMENT_EXPLANATION,
  agreementChartCsvRows,
  agreementCsvRows,
  agreementTiles,
  agreementTrendOption,
  agreementTrendSummary,
  chartCount,
  coefficient,
  pairKey,
  pairName,
  unitCounts,
} from '../agreement-format';

/** The page's state in the address: the report's filter, and which charts are listed. */
interface AgreementPageParams {
  from?: string;
  to?: string;
  coderId?: string;
  /** `coderA~coderB`: list that pair's charts. */
  pair?: string;
  /** A Monday: list that week's charts. */
  week?: string;
}

const KEYS = ['from', 'to', 'coderId', 'pair', 'week'] as const;

/**
 * Agreement between coders (`/quality/agreement`, supervisors and admins): the team's figures
 * as tiles, a table by pair, the weekly trend and the charts behind each figure, each linking
 * to its reconciliation (docs/domain.md 11.3).
 */
@Component({
  selector: 'cs-agreement-page',
  imports: [EChart, MatButtonModule, MatIconModule, RouterLink],
  templateUrl: './agreement-page.html',
  styleUrl: './agreement-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AgreementPage {
  private readonly api = inject(AgreementApi);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly team = inject(TeamDirectory);

  protected readonly params = toSignal<AgreementPageParams, AgreementPageParams>(
    this.route.queryParamMap.pipe(
      map((p): AgreementPageParams => {
        const params: AgreementPageParams = {};
        for (const key of KEYS) {
          const value = p.get(key);
          if (value) params[key] = value;
        }
        return params;
      }),
    ),
    { initialValue: {} },
  );
  /** The report's own filter: a change of pair or week does not reload it. */
  private readonly filter = computed(
    () => {
      const { from, to, coderId } = this.params();
      return { from, to, coderId };
    },
    {
      equal: (a, b) => a.from === b.from && a.to === b.to && a.coderId === b.coderId,
    },
  );
  protected readonly report = signal<AgreementReport | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly loading = signal(false);

  protected readonly explanation = AGREEMENT_EXPLANATION;
  protected readonly coders = computed(() => this.team.members().filter((m) => m.role === 'coder'));
  protected readonly tiles = computed(() => {
    const r = this.report();
    return r ? agreementTiles(r.team, false) : [];
  });
  protected readonly trend = computed(() => {
    const weeks = this.report()?.weeks ?? [];
    return {
      option: (p: ChartPalette) => agreementTrendOption(weeks, p),
      summary: agreementTrendSummary(weeks),
      empty: !weeks.some((w) => w.charts > 0),
    };
  });
  protected readonly selectedPair = computed(() => {
    const key = this.params().pair;
    return key ? (this.report()?.pairs.find((p) => pairKey(p) === key) ?? null) : null;
  });
  /** The charts behind the selected figure: a pair's, a week's, or all of them. */
  protected readonly charts = computed((): AgreementChart[] => {
    const r = this.report();
    if (!r) return [];
    const { pair, week } = this.params();
    return r.charts.filter(
      (c) => (!pair || pairKey(c) === pair) && (!week || qualityWeek(c.bothSubmittedAt) === week),
    );
  });
  protected readonly chartsHeading = computed(() => {
    const pair = this.selectedPair();
    const week = this.params().week;
    const parts = [pair ? pairName(pair) : null, week ? `week of ${week}` : null].filter(Boolean);
    return parts.length ? `Charts behind ${parts.join(', ')}` : 'Charts behind the figures';
  });

  protected readonly pairKey = pairKey;
  protected readonly pairName = pairName;
  protected readonly measureValue = measureValue;
  protected readonly unitCounts = unitCounts;
  protected readonly coefficient = coefficient;
  protected readonly chartCount = chartCount;
  protected readonly day = (iso: string) => iso.slice(0, 10);

  constructor() {
    void this.team.ensure();
    effect(() => {
      const filter = this.filter();
      untracked(() => void this.load(filter));
    });
  }

  protected set(key: 'from' | 'to' | 'coderId', value: string): void {
    this.navigate({ ...this.params(), [key]: value.trim() || undefined });
  }

  protected showPair(pair: AgreementPair | null): void {
    this.navigate({ ...this.params(), pair: pair ? pairKey(pair) : undefined, week: undefined });
  }

  protected showWeek(point: ChartPoint): void {
    this.navigate({ ...this.params(), week: point.link.week, pair: undefined });
  }

  protected showAll(): void {
    this.navigate({ ...this.params(), pair: undefined, week: undefined });
  }

  protected clear(): void {
    this.navigate({});
  }

  protected exportFigures(): void {
    const r = this.report();
    if (r) void downloadCsv('agreement.csv', agreementCsvRows(r));
  }

  protected exportCharts(): void {
    void downloadCsv('agreement-charts.csv', agreementChartCsvRows(this.charts()));
  }

  private navigate(params: AgreementPageParams): void {
    const queryParams = Object.fromEntries(Object.entries(params).filter(([, v]) => v));
    void this.router.navigate([], { relativeTo: this.route, queryParams, replaceUrl: true });
  }

  private async load(filter: Pick<AgreementPageParams, 'from' | 'to' | 'coderId'>): Promise<void> {
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
