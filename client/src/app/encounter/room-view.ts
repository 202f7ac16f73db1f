import { DOCUMENT } from '@angular/common';
import {
  DestroyRef,
  Injectable,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  signal,
} from '@angular/core';
import {
  can,
  type Acknowledgement,
  type ClaimLine,
  type Encounter,
  type EncounterAction,
  type Evidence,
  type Finding,
  type PresenceMember,
  isWaitingSuggestion,
} from '@countersign/shared';
import { toApiError } from '../core/api/api-error';
import { AuthService } from '../core/auth/auth.service';
import { ConflictError } from '../core/realtime/conflict';
import { LiveRoom } from '../core/realtime/live-room';
import { describeEvent, lineSummary } from './history/describe-event';

/** A form open on one line: the coder editing it, or the reviewer suggesting or rejecting. */
export interface LineForm {
  kind: 'edit' | 'suggest' | 'reject';
  /** The line as it stood when the form opened, and the version then: what the person saw. */
  line: ClaimLine;
  seen: number;
  /** Which opening this is; a form carried over a conflict keeps its number (and its draft). */
  opened: number;
}

/** What the side panel shows: the threads of a line (or of the chart, `lineId` null), or the history. */
export type SidePanel = { kind: 'threads'; lineId: string | null } | { kind: 'history' };

/** The chart as it stood after event `seq`, shown read-only instead of the live one. */
export interface HistoryView {
  seq: number;
  encounter: Encounter;
  /** "Riley Reviewer accepted 20610". */
  caption: string;
  at: string;
}

/**
 * What the review room's components share: the chart shown (live, or as it stood at a past
 * event), which line is active, which form is open, the side panel, and what the signed-in
 * person may do now. Provided by the encounter page beside its LiveRoom.
 */
@Injectable()
export class RoomView {
  private readonly room = inject(LiveRoom);
  private readonly auth = inject(AuthService);
  private readonly injector = inject(Injector);
  private readonly document = inject(DOCUMENT);

  readonly user = this.auth.user;
  readonly live = this.room.encounter;
  readonly history = signal<HistoryView | null>(null);
  /** The chart on screen: the one at the selected history event, else the live one. */
  readonly shown = computed(() => this.history()?.encounter ?? this.live());
  readonly connected = computed(() => this.room.status() === 'live');
  /** Nothing can be changed: looking at history or not connected. */
  readonly readOnly = computed(() => this.history() !== null || !this.connected());

  readonly activeLineId = signal<string | null>(null);
  readonly form = signal<LineForm | null>(null);
  readonly panel = signal<SidePanel | null>(null);
  /** Text selected in the note, ready to attach as evidence. */
  readonly noteSelection = signal<Evidence | null>(null);
  /** Evidence attached to the new line's draft and to the line being edited. */
  readonly newLineEvidence = signal<Evidence | null>(null);
  readonly editEvidence = signal<Evidence | null>(null);
  /** The line a one-click command is on its way for. */
  readonly busyLine = signal<string | null>(null);
  /** A message about one line (a refused or conflicting command), shown on that line. */
  readonly lineNotices = signal<ReadonlyMap<string, string>>(new Map());

  /**
   * The server's findings, fees and review impact of the live chart. Looking at history shows
   * none: they describe the chart as it is now, not as it stood then.
   */
  readonly edits = computed(() => (this.history() ? null : this.room.edits()));
  /** Acknowledged warnings of the live chart, by finding id. */
  readonly acknowledgements = computed(
    () =>
      new Map<string, Acknowledgement>(
        (this.live()?.acknowledgements ?? []).map((a) => [a.findingId, a]),
      ),
  );
  /** Per line: the findings that name it, worst first; acknowledged warnings no longer mark a line. */
  readonly findingsByLine = computed(() => {
    const acknowledged = this.acknowledgements();
    const byLine = new Map<string, Finding[]>();
    for (const finding of this.edits()?.findings ?? []) {
      if (finding.severity === 'warning' && acknowledged.has(finding.id)) continue;
      for (const lineId of finding.lineIds)
        byLine.set(lineId, [...(byLine.get(lineId) ?? []), finding]);
    }
    for (const findings of byLine.values())
      findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
    return byLine;
  });
  /** The line a finding was just followed to, highlighted for a moment. */
  readonly jumpedLineId = signal<string | null>(null);

  /** Others in the room by the line they are working on: the soft lock. */
  readonly focusByLine = computed(() => {
    const self = this.user()?.id;
    const byLine = new Map<string, PresenceMember[]>();
    for (const member of this.room.presence()) {
      if (!member.focusLineId || member.userId === self) continue;
      byLine.set(member.focusLineId, [...(byLine.get(member.focusLineId) ?? []), member]);
    }
    return byLine;
  });

  private openings = 0;
  private jumpTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    // The room learns which line this person works on from the open form.
    effect(() => this.room.focus(this.form()?.line.id ?? null));
    inject(DestroyRef).onDestroy(() => clearTimeout(this.jumpTimer));
  }

  /** Whether the signed-in person may do `action` on the live chart now (review-policy's `can`). */
  can(action: EncounterAction): boolean {
    const encounter = this.live();
    const user = this.user();
    return !!encounter && !!user && !this.readOnly() && can(action, user, encounter);
  }

  /**
   * Whether the signed-in person may do `action` on the live chart once connected: what stays on
   * screen (with sending paused) while the connection is down, so nothing being typed vanishes.
   */
  allowed(action: EncounterAction): boolean {
    const encounter = this.live();
    const user = this.user();
    return !!encounter && !!user && this.history() === null && can(action, user, encounter);
  }

  openForm(kind: LineForm['kind'], line: ClaimLine): void {
    const live = this.live();
    if (!live) return;
    this.activeLineId.set(line.id);
    this.form.set({ kind, line, seen: live.version, opened: ++this.openings });
    if (kind === 'edit') this.editEvidence.set(line.evidence);
    this.clearNotice(line.id);
  }

  closeForm(): void {
    const form = this.form();
    this.form.set(null);
    this.editEvidence.set(null);
    if (form) this.focusLine(form.line.id);
  }

  /** Makes `lineId` the active line and moves keyboard focus to its row. */
  focusLine(lineId: string): void {
    this.activeLineId.set(lineId);
    afterNextRender(
      () =>
        this.document
          .querySelector<HTMLElement>(`tr[data-testid="claim-line"][data-line-id="${lineId}"]`)
          ?.focus(),
      {
        injector: this.injector,
      },
    );
  }

  /** Brings `lineId` into view from elsewhere on the page (a finding): focuses, scrolls to and flashes its row. */
  jumpToLine(lineId: string): void {
    this.focusLine(lineId);
    afterNextRender(
      () =>
        this.document
          .querySelector<HTMLElement>(`tr[data-testid="claim-line"][data-line-id="${lineId}"]`)
          ?.scrollIntoView?.({ block: 'center', behavior: 'smooth' }),
      { injector: this.injector },
    );
    this.jumpedLineId.set(lineId);
    clearTimeout(this.jumpTimer);
    this.jumpTimer = setTimeout(() => this.jumpedLineId.set(null), 2000);
  }

  /** The reviewer may accept this line now (it is not accepted already). */
  canAccept(line: ClaimLine): boolean {
    return this.can('review.accept') && line.review.state !== 'accepted';
  }

  /** The reviewer may suggest a correction: the line is not rejected and has no open suggestion. */
  canSuggest(line: ClaimLine): boolean {
    return (
      this.can('review.suggest') &&
      line.review.state !== 'rejected' &&
      !this.hasOpenSuggestion(line)
    );
  }

  canReject(line: ClaimLine): boolean {
    return (
      this.can('review.reject') && line.review.state !== 'rejected' && !this.hasOpenSuggestion(line)
    );
  }

  /** The coder may change the line's fields: no suggestion on it waits for an answer or a decision. */
  canEditLine(line: ClaimLine): boolean {
    return this.can('line.edit') && !this.hasOpenSuggestion(line);
  }

  /** A suggestion on the line still waits for the coder, the reviewer or a supervisor (as the server checks). */
  private hasOpenSuggestion(line: ClaimLine): boolean {
    return !!this.live()?.suggestions.some(
      (s) => s.lineId === line.id && isWaitingSuggestion(s.status),
    );
  }

  acceptLine(line: ClaimLine): Promise<void> {
    return this.runOnLine(line, () => this.room.acceptLine(line.id));
  }

  removeLine(line: ClaimLine): Promise<void> {
    return this.runOnLine(line, () => this.room.removeLine(line.id));
  }

  /** Sends a one-click command about a line; a refusal shows on the line. */
  async runOnLine(line: ClaimLine, command: () => Promise<unknown>): Promise<void> {
    if (this.busyLine()) return;
    this.busyLine.set(line.id);
    this.clearNotice(line.id);
    try {
      await command();
    } catch (error) {
      this.showNotice(line.id, this.refusalMessage(error));
    } finally {
      this.busyLine.set(null);
    }
  }

  openThreads(lineId: string | null): void {
    this.panel.set({ kind: 'threads', lineId });
  }

  showNotice(lineId: string, message: string): void {
    this.lineNotices.update((notices) => new Map(notices).set(lineId, message));
  }

  clearNotice(lineId: string): void {
    if (!this.lineNotices().has(lineId)) return;
    this.lineNotices.update((notices) => {
      const next = new Map(notices);
      next.delete(lineId);
      return next;
    });
  }

  /**
   * What to tell a person whose command was refused. A conflict names who moved the target on
   * and what it is now; the room has already replaced the chart with the server's.
   */
  refusalMessage(error: unknown): string {
    if (!(error instanceof ConflictError)) return toApiError(error).message;
    const self = this.user()?.id;
    const by = error.changedBy;
    const who = by ? (by.actor.id === self ? 'You' : by.actor.name) : 'Someone';
    const thing =
      error.target.kind === 'line'
        ? 'this line'
        : error.target.kind === 'suggestion'
          ? 'this suggestion'
          : 'the chart';
    const how = by ? ` (${describeEvent(by.event, by.before ?? error.current)})` : '';
    const lineId = error.target.kind === 'line' ? error.target.lineId : null;
    const line = lineId ? error.current?.lines.find((l) => l.id === lineId) : null;
    const now =
      error.target.kind === 'line'
        ? line
          ? ` It is now ${lineSummary(line)}.`
          : ' The line has been removed.'
        : ' Look at it again before you retry.';
    return `${who} changed ${thing}${how}; your change was not applied — here is what it is now.${now}`;
  }
}
