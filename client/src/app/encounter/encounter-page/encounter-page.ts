import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Title } from '@angular/platform-browser';
import { RouterLink } from '@angular/router';
import { LOCKED_STATUSES, placeOfService, type Encounter } from '@countersign/shared';
import { AuthService } from '../../core/auth/auth.service';
import { CatalogLookup } from '../../core/catalog/catalog-lookup';
import { LiveRoom, type ConnectionStatus } from '../../core/realtime/live-room';
import { ClaimLines } from '../claim-lines/claim-lines';
import { DiagnosisList } from '../diagnosis-list/diagnosis-list';
import { PresenceAvatars } from '../presence-avatars/presence-avatars';
import { StatusChip } from '../status-chip/status-chip';

const CONNECTION_LABELS: Readonly<Record<ConnectionStatus, string>> = {
  live: 'Live',
  reconnecting: 'Reconnecting',
  offline: 'Offline',
};

const CONNECTION_HINTS: Readonly<Record<ConnectionStatus, string>> = {
  live: 'Changes by anyone in this encounter appear as they are saved.',
  reconnecting: 'Connecting to the live room; edits are paused until it is back.',
  offline: 'Not connected; edits are paused. The page reconnects when the network returns.',
};

/** Every code on the chart whose description the page shows. */
function codesOf(encounter: Encounter): string[] {
  return [...encounter.diagnoses, ...encounter.lines.flatMap((line) => [line.code, ...line.modifiers])];
}

/** Whole years between two `YYYY-MM-DD` dates. */
export function ageOn(dateOfBirth: string, onDate: string): number | null {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [y, m, d] = onDate.split('-').map(Number);
  if (!by || !bm || !bd || !y || !m || !d) return null;
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * The live room of one encounter: the note on the left, diagnoses and claim lines on the right,
 * everyone in the room seeing each committed change as it happens.
 */
@Component({
  selector: 'cs-encounter-page',
  imports: [
    DatePipe,
    RouterLink,
    MatButtonModule,
    MatIconModule,
    MatProgressSpinnerModule,
    MatTooltipModule,
    StatusChip,
    PresenceAvatars,
    DiagnosisList,
    ClaimLines,
  ],
  providers: [LiveRoom],
  templateUrl: './encounter-page.html',
  styleUrl: './encounter-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EncounterPage {
  private readonly room = inject(LiveRoom);
  private readonly catalog = inject(CatalogLookup);
  private readonly title = inject(Title);
  private readonly auth = inject(AuthService);

  /** Route parameter `:id`. */
  readonly id = input.required<string>();

  protected readonly encounter = this.room.encounter;
  protected readonly presence = this.room.presence;
  protected readonly joinError = this.room.joinError;
  protected readonly connection = this.room.status;
  protected readonly connectionLabel = computed(() => CONNECTION_LABELS[this.connection()]);
  protected readonly connectionHint = computed(() => CONNECTION_HINTS[this.connection()]);
  /** Editing needs a live connection and a chart that approval or sign-off has not locked. */
  protected readonly editable = computed(() => {
    const encounter = this.encounter();
    return this.connection() === 'live' && !!encounter && !LOCKED_STATUSES.has(encounter.status);
  });
  protected readonly selfId = computed(() => this.auth.user()?.id ?? null);
  protected readonly place = computed(() => {
    const code = this.encounter()?.placeOfService;
    return code ? (placeOfService(code)?.name ?? 'Unknown place') : '';
  });
  protected readonly age = computed(() => {
    const encounter = this.encounter();
    return encounter ? ageOn(encounter.patient.dateOfBirth, encounter.dateOfService) : null;
  });

  constructor() {
    effect((onCleanup) => {
      const id = this.id();
      untracked(() => this.room.open(id));
      onCleanup(() => this.room.close());
    });
    effect(() => this.describeCodes());
    effect(() => this.showPatientInTitle());
  }

  protected retry(): void {
    this.room.open(this.id());
  }

  private describeCodes(): void {
    const encounter = this.encounter();
    if (encounter) untracked(() => void this.catalog.ensure(codesOf(encounter)));
  }

  private showPatientInTitle(): void {
    const name = this.encounter()?.patient.name;
    if (name) untracked(() => this.title.setTitle(`${name} · Countersign`));
  }
}
