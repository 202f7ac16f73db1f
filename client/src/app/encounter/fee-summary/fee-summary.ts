import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RoomView } from '../room-view';
import { formatDifference, formatDollars } from './money';

/**
 * The Medicare fee estimate of the chart as it would be billed, with the fee schedule behind it,
 * and once the chart was submitted, the dollar impact of the review: what the coder submitted,
 * what the reviewed lines come to, the difference and the dollar accuracy (docs/domain.md section 4.8).
 */
@Component({
  selector: 'cs-fee-summary',
  imports: [DecimalPipe, MatTooltipModule],
  templateUrl: './fee-summary.html',
  styleUrl: './fee-summary.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FeeSummary {
  protected readonly view = inject(RoomView);

  protected readonly fees = computed(() => this.view.edits()?.fees ?? null);
  protected readonly unpriced = computed(
    () => this.fees()?.lines.filter((l) => !l.priced).length ?? 0,
  );
  /** Lines a payment rule changed or left unpaid (denied, reduced, bilateral, another schedule), with the reason. */
  protected readonly adjusted = computed(() => {
    const lines = this.view.live()?.lines ?? [];
    return (this.fees()?.lines ?? [])
      .filter(
        (l) =>
          l.note !== null &&
          (l.outcome !== 'paid' || l.rvu === null || l.note.startsWith('Clinical lab')),
      )
      .map((l) => {
        const index = lines.findIndex((line) => line.id === l.lineId);
        return { ...l, label: `${index >= 0 ? `Line ${index + 1} ` : ''}${l.code}` };
      });
  });
  protected readonly impact = computed(() => {
    const impact = this.view.edits()?.impact;
    if (!impact) return null;
    const cents = Math.round(impact.impact * 100);
    return { ...impact, tone: cents > 0 ? 'up' : cents < 0 ? 'down' : 'even' };
  });

  protected dollars(amount: number): string {
    return formatDollars(amount);
  }

  protected difference(amount: number): string {
    return formatDifference(amount);
  }
}
