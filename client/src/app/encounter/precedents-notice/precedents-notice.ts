import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import type { ClaimLine, Precedent } from '@countersign/shared';
import { PrecedentsApi } from '../../precedents/precedents-api';
import { RoomView } from '../room-view';

/** How long the lines' codes must stay put before the room asks again (typing a code, a burst). */
export const PRECEDENT_REFRESH_MS = 500;

/** The chart's billed codes, each once, sorted: what decides which precedents apply. */
export function billedCodesKey(lines: readonly ClaimLine[]): string {
  const codes = lines.filter((l) => l.review.state !== 'rejected').map((l) => l.code);
  return [...new Set(codes)].sort().join(' ');
}

/**
 * The precedents that apply to this chart: the organization's active precedents whose codes
 * are all on the chart's billed lines (`GET /api/precedents/for-chart/:id`). Asked again when
 * the set of billed codes changes, once it has stayed the same for a moment; nothing shows
 * when none apply.
 */
@Component({
  selector: 'cs-precedents-notice',
  imports: [MatIconModule, RouterLink],
  templateUrl: './precedents-notice.html',
  styleUrl: './precedents-notice.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PrecedentsNotice {
  private readonly api = inject(PrecedentsApi);
  private readonly view = inject(RoomView);

  private readonly chart = computed(() => {
    const live = this.view.live();
    return live ? { id: live.id, codes: billedCodesKey(live.lines) } : null;
  });
  protected readonly precedents = signal<readonly Precedent[]>([]);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private asked = '';

  constructor() {
    effect(() => {
      const chart = this.chart();
      untracked(() => this.schedule(chart));
    });
    inject(DestroyRef).onDestroy(() => clearTimeout(this.timer));
  }

  private schedule(chart: { id: string; codes: string } | null): void {
    clearTimeout(this.timer);
    if (!chart) return;
    const key = `${chart.id}|${chart.codes}`;
    if (key === this.asked) return;
    // The first answer comes at once; later changes wait for the codes to settle.
    const wait = this.asked.startsWith(`${chart.id}|`) ? PRECEDENT_REFRESH_MS : 0;
    this.timer = setTimeout(() => void this.load(chart.id, key), wait);
  }

  private async load(encounterId: string, key: string): Promise<void> {
    this.asked = key;
    try {
      const found = await this.api.forChart(encounterId);
      if (this.asked === key) this.precedents.set(found);
    } catch {
      // The notice is a help, not part of the chart: a failed ask leaves what was shown.
    }
  }
}
