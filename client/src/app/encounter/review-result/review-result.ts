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
import { RouterLink } from '@angular/router';
import {
  CODE_FAMILY_LABELS,
  CORRECTION_CATEGORY_LABELS,
  canReadTeamQuality,
  type ChartQualityResult,
  type ChartResultLine,
  type EncounterStatus,
} from '@countersign/shared';
import { MeasureTiles } from '../../quality/measure-tiles/measure-tiles';
import { QualityApi } from '../../quality/quality-api';
import { dollars, figuresSentence } from '../../quality/quality-format';
import { RoomView } from '../room-view';

const REVIEWED: readonly EncounterStatus[] = ['approved', 'signed_off'];

const OUTCOME_LABELS: Record<ChartResultLine['outcome'], string> = {
  accepted: 'Accepted',
  corrected: 'Corrected',
  rejected: 'Rejected',
  missed: 'Missed',
};

/**
 * The chart's review result, in the room once it is approved or signed off
 * (`GET /api/quality/encounters/:id/result`): this chart's figures, each line's outcome, and
 * where it leaves the coder. Asked again when the status changes, so it appears the moment the
 * reviewer approves, without a reload.
 */
@Component({
  selector: 'cs-review-result',
  imports: [DatePipe, MeasureTiles, RouterLink],
  templateUrl: './review-result.html',
  styleUrl: './review-result.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReviewResult {
  private readonly api = inject(QualityApi);
  private readonly view = inject(RoomView);

  private readonly chart = computed(() => {
    const live = this.view.live();
    return live && REVIEWED.includes(live.status) ? `${live.id}|${live.status}` : null;
  });
  protected readonly result = signal<ChartQualityResult | null>(null);
  protected readonly isCoder = computed(
    () => !!this.result()?.coder && this.result()?.coder?.id === this.view.user()?.id,
  );
  protected readonly canReadTeam = computed(() => {
    const role = this.view.user()?.role;
    return role !== undefined && canReadTeamQuality(role);
  });
  private asked: string | null = null;

  protected readonly dollars = dollars;
  protected readonly figuresSentence = figuresSentence;
  protected readonly outcomeLabel = (o: ChartResultLine['outcome']) => OUTCOME_LABELS[o];
  protected readonly categoryLabel = (line: ChartResultLine) =>
    line.category ? CORRECTION_CATEGORY_LABELS[line.category] : null;
  protected readonly familyLabel = (line: ChartResultLine) => CODE_FAMILY_LABELS[line.family];

  constructor() {
    effect(() => {
      const chart = this.chart();
      untracked(() => void this.load(chart));
    });
  }

  private async load(chart: string | null): Promise<void> {
    this.asked = chart;
    if (!chart) {
      this.result.set(null);
      return;
    }
    try {
      const result = await this.api.result(chart.split('|')[0]!);
      if (this.asked === chart) this.result.set(result);
    } catch {
      // Not approved yet on the server (404) or not reachable: the card is a summary of the
      // review, not part of the chart, so the room goes on without it.
      if (this.asked === chart) this.result.set(null);
    }
  }
}
