import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { EncounterStatus } from '@countersign/shared';
import { ENCOUNTER_STATUS_LABELS } from '../encounter-status';

/** An encounter's state as a small coloured chip. */
@Component({
  selector: 'cs-status-chip',
  template: '<span class="chip" [class]="\'chip chip--\' + status()">{{ label() }}</span>',
  styleUrl: './status-chip.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StatusChip {
  readonly status = input.required<EncounterStatus>();
  protected readonly label = computed(() => ENCOUNTER_STATUS_LABELS[this.status()]);
}
