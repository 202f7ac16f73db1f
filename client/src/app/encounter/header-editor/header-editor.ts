import {
  ChangeDetectionStrategy,
  Component,
  inject,
  input,
  output,
  signal,
  type OnInit,
} from '@angular/core';
import type { CreateEncounter, Encounter, UpdateEncounterInput } from '@countersign/shared';
import { ApiClient } from '../../core/api/api-client';
import { toApiError } from '../../core/api/api-error';
import { LiveRoom } from '../../core/realtime/live-room';
import {
  EncounterForm,
  serverFieldErrors,
  type FieldErrors,
} from '../../intake/encounter-form/encounter-form';

/** The header fields a person changed: only those are sent, so the history names just them. */
export function headerChanges(before: Encounter, after: CreateEncounter): UpdateEncounterInput {
  const patch: UpdateEncounterInput = {};
  if (
    before.patient.name !== after.patient.name ||
    before.patient.mrn !== after.patient.mrn ||
    before.patient.dateOfBirth !== after.patient.dateOfBirth
  )
    patch.patient = after.patient;
  if (before.dateOfService !== after.dateOfService) patch.dateOfService = after.dateOfService;
  if (before.provider.name !== after.provider.name || before.provider.npi !== after.provider.npi)
    patch.provider = after.provider;
  if (before.placeOfService !== after.placeOfService) patch.placeOfService = after.placeOfService;
  return patch;
}

/**
 * Edits a draft's header (patient, dates, provider, place of service) in place of the facts.
 * The change is made against the version the editor opened at: if someone changed the chart
 * meanwhile, the server refuses it as a conflict, the room takes the chart as it is now, and
 * the person's values stay in the form to check and save again.
 */
@Component({
  selector: 'cs-header-editor',
  imports: [EncounterForm],
  template: `
    @if (conflict(); as message) {
      <p class="conflict" role="alert" data-testid="header-conflict">{{ message }}</p>
    }
    <cs-encounter-form
      mode="header"
      submitLabel="Save header"
      [initial]="opened()"
      [busy]="saving()"
      [serverErrors]="serverErrors()"
      (save)="save($event)"
      (cancelled)="closed.emit()"
    />
  `,
  styles: `
    :host {
      display: block;
      margin-top: 12px;
      padding: 16px 16px 8px;
      border: 1px solid var(--cs-accent-border);
      border-radius: 10px;
      background: var(--cs-accent-tint);
    }
    .conflict {
      margin: 0 0 12px;
      padding: 10px 12px;
      border: 1px solid var(--cs-warning-border);
      border-radius: 8px;
      background: var(--cs-warning-container);
      color: var(--cs-warning-strong);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HeaderEditor implements OnInit {
  private readonly api = inject(ApiClient);
  private readonly room = inject(LiveRoom);

  /** The live chart. */
  readonly encounter = input.required<Encounter>();
  readonly closed = output<void>();

  /** The chart as it was when editing began: the form's starting values. */
  protected readonly opened = signal<Encounter | null>(null);
  protected readonly saving = signal(false);
  protected readonly serverErrors = signal<FieldErrors>({});
  protected readonly conflict = signal<string | null>(null);
  /** The version the change is made against; moves on only when the person has seen a conflict. */
  private baseVersion = 0;

  ngOnInit(): void {
    this.start();
  }

  protected async save(value: CreateEncounter): Promise<void> {
    // Against what the person started from: a field someone else changed meanwhile is sent
    // only when this person changed it too.
    const current = this.encounter();
    const patch = headerChanges(this.opened() ?? current, value);
    if (!Object.keys(patch).length) {
      this.closed.emit();
      return;
    }
    this.saving.set(true);
    this.serverErrors.set({});
    try {
      const saved = await this.api.updateEncounter(current.id, patch, this.baseVersion);
      this.room.adopt(saved);
      this.closed.emit();
    } catch (error) {
      const refusal = toApiError(error);
      const now = (refusal.details as { encounter?: Encounter } | undefined)?.encounter;
      if (refusal.code === 'conflict' && now) {
        this.room.adopt(now);
        this.baseVersion = now.version;
        this.conflict.set(
          'Someone changed the chart while you were editing, so your change was not saved. The chart above shows it as it is now; your values are still here: check them and save again.',
        );
      } else {
        this.serverErrors.set(serverFieldErrors(error));
      }
    } finally {
      this.saving.set(false);
    }
  }

  private start(): void {
    this.opened.set(this.encounter());
    this.baseVersion = this.encounter().version;
  }
}
