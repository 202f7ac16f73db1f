import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import {
  CORRECTION_CATEGORY_LABELS,
  type CorrectionRow,
  type MyQuality,
} from '@countersign/shared';
import { toApiError } from '../../core/api/api-error';
import { myTrendOption, type ChartPalette } from '../chart-options';
import { EChart } from '../echart';
import { MeasureTiles } from '../measure-tiles/measure-tiles';
import { QualityApi } from '../quality-api';
import { dollars, figuresSentence, measureCounts, measureValue, percent } from '../quality-format';

const OUTCOME_LABELS: Record<CorrectionRow['outcome'], string> = {
  corrected: 'Corrected',
  rejected: 'Rejected',
  missed: 'Missed',
};

/**
 * A coder's own view (`/quality/me`, anyone): the same three measures a supervisor sees about
 * them, what changed this week, the trend, each correction with the reviewer's words and a link
 * to the chart, and the review level the sampling policy gives them.
 */
@Component({
  selector: 'cs-my-quality-page',
  imports: [DatePipe, EChart, MeasureTiles, RouterLink],
  templateUrl: './my-quality-page.html',
  styleUrl: './my-quality-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MyQualityPage {
  private readonly api = inject(QualityApi);

  protected readonly mine = signal<MyQuality | null>(null);
  protected readonly error = signal<string | null>(null);

  protected readonly trend = computed(() => {
    const rows = this.mine()?.byWeek ?? [];
    return {
      option: (p: ChartPalette) => myTrendOption(rows, p),
      summary: rows.length
        ? `Your three measures week by week over ${rows.length} ${rows.length === 1 ? 'week' : 'weeks'}; the table beside has each week's figures.`
        : '',
      empty: !rows.length,
    };
  });
  /** "What changed this week", in one sentence. */
  protected readonly change = computed(() => {
    const m = this.mine();
    if (!m) return '';
    const now = m.thisWeek.tally.chartsReviewed;
    const before = m.lastWeek.tally.chartsReviewed;
    if (!now && !before) return 'No charts of yours were approved this week or last week.';
    const charts = (n: number) => `${n} ${n === 1 ? 'chart' : 'charts'}`;
    if (!now)
      return `No charts of yours were approved yet this week (${charts(before)} last week).`;
    if (!before)
      return `${charts(now)} approved this week: ${figuresSentence(m.thisWeek)}. None last week to compare with.`;
    return `${charts(now)} approved this week, ${charts(before)} last week: the change is under each measure.`;
  });

  protected readonly value = measureValue;
  protected readonly counts = measureCounts;
  protected readonly dollars = dollars;
  protected readonly percent = percent;
  protected readonly outcomeLabel = (o: CorrectionRow['outcome']) => OUTCOME_LABELS[o];
  protected readonly categoryLabel = (c: CorrectionRow['category']) =>
    c ? CORRECTION_CATEGORY_LABELS[c] : null;

  constructor() {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.mine.set(await this.api.mine({}));
    } catch (error) {
      this.error.set(toApiError(error).message);
    }
  }
}
