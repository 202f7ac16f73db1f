import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import type { EncounterStatus, RecordedSamplingDecision } from '@countersign/shared';
import { SamplingApi } from '../../quality/sampling-api';
import { reviewSkippedNote } from '../history/describe-event';
import { RoomView } from '../room-view';

/** The states after a submit in which the submit's sampling decision still says something. */
const DECIDED: readonly EncounterStatus[] = ['submitted', 'in_review', 'approved', 'signed_off'];

/**
 * Why the chart is reviewed, or why its review was skipped (docs/domain.md section 10,
 * "Sampling"): the latest submit's decision (`GET /api/encounters/:id/sampling`), asked again
 * when the chart's status changes. Nothing shows before the first submit.
 */
@Component({
  selector: 'cs-sampling-note',
  imports: [MatIconModule],
  templateUrl: './sampling-note.html',
  styleUrl: './sampling-note.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SamplingNote {
  private readonly api = inject(SamplingApi);
  private readonly view = inject(RoomView);

  private readonly chart = computed(() => {
    const live = this.view.live();
    return live && DECIDED.includes(live.status) ? `${live.id}|${live.status}` : null;
  });
  protected readonly decision = signal<RecordedSamplingDecision | null>(null);
  protected readonly skippedNote = computed(() => {
    const d = this.decision();
    return d && !d.review ? reviewSkippedNote(d.reasons, true) : null;
  });
  private asked: string | null = null;

  constructor() {
    effect(() => {
      const chart = this.chart();
      untracked(() => void this.load(chart));
    });
  }

  private async load(key: string | null): Promise<void> {
    this.asked = key;
    if (!key) {
      this.decision.set(null);
      return;
    }
    try {
      const decision = await this.api.decision(key.split('|')[0]!);
      if (this.asked === key) this.decision.set(decision);
    } catch {
      // Charts submitted before sampling existed have no decision: nothing to explain.
      if (this.asked === key) this.decision.set(null);
    }
  }
}
