import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Title } from '@angular/platform-browser';
import { RouterLink } from '@angular/router';
import { placeOfService, type Encounter } from '@countersign/shared';
import { CatalogLookup } from '../../core/catalog/catalog-lookup';
import { ClaimExportMenu } from '../../export/claim-export-menu/claim-export-menu';
import { LiveRoom, type ConnectionStatus } from '../../core/realtime/live-room';
import { ClaimLines } from '../claim-lines/claim-lines';
import { ClinicalNote } from '../clinical-note/clinical-note';
import { DiagnosisList } from '../diagnosis-list/diagnosis-list';
import { FeeSummary } from '../fee-summary/fee-summary';
import { PrecedentsNotice } from '../precedents-notice/precedents-notice';
import { SamplingNote } from '../sampling-note/sampling-note';
import { FindingsPanel } from '../findings-panel/findings-panel';
import { HeaderEditor } from '../header-editor/header-editor';
import { HistoryPanel } from '../history/history-panel';
import { PresenceAvatars } from '../presence-avatars/presence-avatars';
import { ReviewResult } from '../review-result/review-result';
import { RoomView } from '../room-view';
import { StatusChip } from '../status-chip/status-chip';
import { ThreadPanel } from '../threads/thread-panel';
import { WorkflowBar } from '../workflow-bar/workflow-bar';
import { DoubleCodingNote } from '../../agreement/double-coding-note/double-coding-note';
import { MakePracticeLink } from '../../practice/practice-bar/make-practice-link';
import { PracticeBar } from '../../practice/practice-bar/practice-bar';

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

/** The keyboard shortcuts of the review room, as the help lists them. */
export const SHORTCUTS: ReadonlyArray<{ keys: string[]; what: string }> = [
  { keys: ['j', '↓'], what: 'Next line' },
  { keys: ['k', '↑'], what: 'Previous line' },
  { keys: ['a'], what: 'Accept the line (reviewer)' },
  { keys: ['s'], what: 'Suggest a correction (reviewer)' },
  { keys: ['r'], what: 'Reject the line (reviewer)' },
  { keys: ['c'], what: 'Comments on the line' },
  { keys: ['Enter'], what: 'Edit the line (coder)' },
  { keys: ['Esc'], what: 'Close the form or panel' },
  { keys: ['?'], what: 'Show or hide this help' },
];

/** Every code on the chart whose description the page shows. */
function codesOf(encounter: Encounter): string[] {
  return [
    ...encounter.diagnoses,
    ...encounter.lines.flatMap((line) => [line.code, ...line.modifiers]),
    ...encounter.suggestions.flatMap((s) => [s.proposed.code, ...s.proposed.modifiers]),
  ];
}

/** Whole years between two `YYYY-MM-DD` dates. */
export function ageOn(dateOfBirth: string, onDate: string): number | null {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [y, m, d] = onDate.split('-').map(Number);
  if (!by || !bm || !bd || !y || !m || !d) return null;
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** True when a key press belongs to a field the person is typing in. */
function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * The review room of one encounter: the note with its evidence on the left, diagnoses and
 * claim lines with their reviews in the middle, comments or history on the right, and the
 * workflow on top. Everyone in the room sees each committed change as it happens.
 */
@Component({
  selector: 'cs-encounter-page',
  imports: [
    ClaimExportMenu,
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
    ClinicalNote,
    WorkflowBar,
    PracticeBar,
    MakePracticeLink,
    ThreadPanel,
    HistoryPanel,
    FindingsPanel,
    FeeSummary,
    PrecedentsNotice,
    SamplingNote,
    HeaderEditor,
    ReviewResult,
    DoubleCodingNote,
  ],
  providers: [LiveRoom, RoomView],
  templateUrl: './encounter-page.html',
  styleUrl: './encounter-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(document:keydown)': 'shortcut($event)' },
})
export class EncounterPage {
  private readonly room = inject(LiveRoom);
  protected readonly view = inject(RoomView);
  private readonly catalog = inject(CatalogLookup);
  private readonly title = inject(Title);
  private readonly dialog = inject(MatDialog);

  /** Route parameter `:id`. */
  readonly id = input.required<string>();

  protected readonly live = this.room.encounter;
  protected readonly shown = this.view.shown;
  protected readonly presence = this.room.presence;
  protected readonly joinError = this.room.joinError;
  protected readonly retrying = this.room.retrying;
  protected readonly connection = this.room.status;
  protected readonly connectionLabel = computed(() => CONNECTION_LABELS[this.connection()]);
  protected readonly connectionHint = computed(() => CONNECTION_HINTS[this.connection()]);
  protected readonly selfId = computed(() => this.view.user()?.id ?? null);
  protected readonly shortcuts = SHORTCUTS;
  protected readonly helpOpen = signal(false);
  protected readonly place = computed(() => {
    const code = this.shown()?.placeOfService;
    return code ? (placeOfService(code)?.name ?? 'Unknown place') : '';
  });
  protected readonly age = computed(() => {
    const encounter = this.shown();
    return encounter ? ageOn(encounter.patient.dateOfBirth, encounter.dateOfService) : null;
  });
  protected readonly chartThreads = computed(() => {
    const threads = this.shown()?.threads.filter((t) => t.lineId === null) ?? [];
    return {
      comments: threads.reduce((n, t) => n + t.comments.length, 0),
      open: threads.some((t) => !t.resolved),
    };
  });
  /** The assigned coder edits the header (patient, dates, provider, place) while it is a draft. */
  protected readonly canEditHeader = computed(
    () => this.live()?.status === 'draft' && this.view.can('encounter.edit'),
  );
  protected readonly editingHeader = signal(false);
  protected readonly locked = computed(
    () => !this.view.history() && this.live()?.status === 'signed_off',
  );

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

  protected togglePanel(kind: 'history' | 'discussion'): void {
    const panel = this.view.panel();
    const open =
      kind === 'history'
        ? panel?.kind === 'history'
        : panel?.kind === 'threads' && panel.lineId === null;
    if (open) {
      this.view.panel.set(null);
      if (kind === 'history') this.view.history.set(null);
    } else {
      this.view.panel.set(
        kind === 'history' ? { kind: 'history' } : { kind: 'threads', lineId: null },
      );
    }
  }

  protected backToLive(): void {
    this.view.history.set(null);
  }

  /** The review room's keyboard: never while typing in a field or with a dialog open. */
  protected shortcut(event: KeyboardEvent): void {
    if (
      event.defaultPrevented ||
      event.ctrlKey ||
      event.metaKey ||
      event.altKey ||
      typingIn(event.target)
    )
      return;
    if (this.dialog.openDialogs.length) return;
    if (event.key === '?') return this.handled(event, () => this.helpOpen.update((open) => !open));
    if (event.key === 'Escape') return this.escape(event);
    const lines = this.shown()?.lines ?? [];
    const active = lines.find((l) => l.id === this.view.activeLineId()) ?? null;
    const onRowOrPage =
      event.target === document.body ||
      (event.target instanceof HTMLElement && event.target.matches('tr[data-line-id]'));
    switch (event.key) {
      case 'j':
      case 'k':
        return this.handled(event, () => this.move(event.key === 'j' ? 1 : -1));
      case 'ArrowDown':
      case 'ArrowUp':
        if (onRowOrPage) this.handled(event, () => this.move(event.key === 'ArrowDown' ? 1 : -1));
        return;
      case 'a':
        if (active && this.view.canAccept(active))
          this.handled(event, () => void this.view.acceptLine(active));
        return;
      case 's':
        if (active && this.view.canSuggest(active))
          this.handled(event, () => this.view.openForm('suggest', active));
        return;
      case 'r':
        if (active && this.view.canReject(active))
          this.handled(event, () => this.view.openForm('reject', active));
        return;
      case 'c':
        if (active) this.handled(event, () => this.view.openThreads(active.id));
        return;
      case 'Enter':
        // A focused row handles Enter itself; from elsewhere on the page, edit the active line.
        if (active && event.target === document.body && this.view.canEditLine(active))
          this.handled(event, () => this.view.openForm('edit', active));
        return;
    }
  }

  private escape(event: KeyboardEvent): void {
    if (this.helpOpen()) return this.handled(event, () => this.helpOpen.set(false));
    if (this.view.form()) return this.handled(event, () => this.view.closeForm());
    if (this.view.panel()) return this.handled(event, () => this.view.panel.set(null));
  }

  private move(step: number): void {
    const lines = this.shown()?.lines ?? [];
    if (!lines.length) return;
    const index = lines.findIndex((l) => l.id === this.view.activeLineId());
    const next =
      index < 0
        ? step > 0
          ? 0
          : lines.length - 1
        : Math.min(lines.length - 1, Math.max(0, index + step));
    this.view.focusLine(lines[next]!.id);
  }

  private handled(event: KeyboardEvent, action: () => void): void {
    event.preventDefault();
    action();
  }

  private describeCodes(): void {
    const encounter = this.shown();
    if (encounter) untracked(() => void this.catalog.ensure(codesOf(encounter)));
  }

  private showPatientInTitle(): void {
    const name = this.live()?.patient.name;
    if (name) untracked(() => this.title.setTitle(`${name} · Countersign`));
  }
}
