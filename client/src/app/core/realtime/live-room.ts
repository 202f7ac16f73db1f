import { DOCUMENT } from '@angular/common';
import { DestroyRef, Injectable, InjectionToken, computed, inject, signal } from '@angular/core';
import {
  applyEncounterEvent,
  type Ack,
  type BilledFieldsPatch,
  type ClaimLineInput,
  type ClaimLinePatch,
  type ClientToServerEvents,
  type CommandResult,
  type CorrectionCategory,
  type DisputeDecision,
  type Encounter,
  type EncounterEvent,
  type LiveEdits,
  type PresenceMember,
  type RoomSnapshot,
  type Transition,
} from '@countersign/shared';
import { ApiError } from '../api/api-error';
import { AuthService } from '../auth/auth.service';
import { ConflictError, lastChangeOf, type ConflictTarget } from './conflict';
import { LIVE_SOCKET_FACTORY, type LiveSocket } from './live-socket';

/** What the connection badge shows. */
export type ConnectionStatus = 'live' | 'reconnecting' | 'offline';

/** How long a command or join waits for the server's acknowledgement before it is sent again. */
export const LIVE_ACK_TIMEOUT_MS = new InjectionToken<number>('LIVE_ACK_TIMEOUT_MS', {
  providedIn: 'root',
  factory: () => 5_000,
});

/** Socket events that are encounter commands: each carries `{encounterId, baseVersion, opId}`. */
export type CommandEvent = Exclude<
  keyof ClientToServerEvents,
  'room:join' | 'room:leave' | 'room:catch-up' | 'presence:focus'
>;
type CommandPayload<E extends CommandEvent> = Parameters<ClientToServerEvents[E]>[0];
/** What a caller names of a command; the room adds the encounter, the version it saw and an operation id. */
export type CommandBody<E extends CommandEvent> = Omit<
  CommandPayload<E>,
  'encounterId' | 'baseVersion' | 'opId'
>;

/** Folded events kept for "who changed this" messages. */
const RECENT_EVENTS = 200;

const bySeq = (a: EncounterEvent, b: EncounterEvent) => a.seq - b.seq;

/**
 * One encounter's live room, provided by the page that shows it.
 *
 * The encounter is the join snapshot with every later event folded in, in `seq` order:
 * an event at or below the version is a duplicate and is dropped, the next one is folded, and
 * one past a gap triggers `room:catch-up` first. Events that arrive while a join or catch-up is
 * in flight wait in a buffer. A reconnect joins again with `afterSeq`, folds the events it
 * missed and then takes the snapshot as the truth.
 *
 * Commands are never applied optimistically: the state changes when their event arrives. Each
 * names the version it was made against and an operation id; one that is not answered in time
 * (a timeout, a dropped connection) is sent again with the same operation id once the room is
 * live again, so it takes effect once. A `conflict` refusal replaces the state with the chart
 * the server sent and rejects with a ConflictError that says who changed the target.
 */
@Injectable()
export class LiveRoom {
  private readonly createSocket = inject(LIVE_SOCKET_FACTORY);
  private readonly auth = inject(AuthService);
  private readonly ackTimeoutMs = inject(LIVE_ACK_TIMEOUT_MS);
  private readonly window = inject(DOCUMENT).defaultView;

  private readonly encounterState = signal<Encounter | null>(null);
  private readonly presenceState = signal<readonly PresenceMember[]>([]);
  private readonly statusState = signal<ConnectionStatus>('reconnecting');
  private readonly joinFailure = signal<ApiError | null>(null);
  private readonly recentState = signal<readonly EncounterEvent[]>([]);
  private readonly retryingState = signal(0);
  private readonly editsState = signal<LiveEdits | null>(null);

  /** The encounter as of its last folded event; null until the first join answers. */
  readonly encounter = this.encounterState.asReadonly();
  readonly presence = this.presenceState.asReadonly();
  readonly status = this.statusState.asReadonly();
  /** Why the room could not be joined (for example `not_found`); the page shows it instead. */
  readonly joinError = this.joinFailure.asReadonly();
  /** The last events folded into the state, oldest first. */
  readonly recentEvents = this.recentState.asReadonly();
  /**
   * The server's findings, fees and review impact: the newest version received (join answer or
   * `encounter:edits`); an older one arriving late is ignored. Null until the first join answers.
   */
  readonly edits = this.editsState.asReadonly();
  /** Commands sent again because their first answer did not come. */
  readonly retrying = computed(() => this.retryingState() > 0);

  private socket: LiveSocket | null = null;
  private encounterId = '';
  /** Bumped by every join, so the answer of an older join or catch-up is ignored. */
  private generation = 0;
  private syncing = false;
  private buffered: EncounterEvent[] = [];
  /** The chart right before each remembered event, for saying what a change did. */
  private readonly statesBefore = new Map<number, Encounter>();
  private focusedLineId: string | null = null;
  private liveWaiters: Array<{
    resolve: (socket: LiveSocket) => void;
    reject: (error: ApiError) => void;
  }> = [];

  constructor() {
    inject(DestroyRef).onDestroy(() => this.close());
  }

  /** Connects and joins the room of `encounterId`, leaving any room joined before. */
  open(encounterId: string): void {
    this.close();
    this.encounterId = encounterId;
    this.encounterState.set(null);
    this.editsState.set(null);
    this.presenceState.set([]);
    this.recentState.set([]);
    this.statesBefore.clear();
    this.joinFailure.set(null);
    this.buffered = [];
    this.focusedLineId = null;
    const socket = this.createSocket();
    this.socket = socket;
    socket.on('connect', () => this.ifCurrent(socket, () => void this.join(socket)));
    socket.on('disconnect', () =>
      this.ifCurrent(socket, () =>
        this.statusState.set(socket.active ? 'reconnecting' : 'offline'),
      ),
    );
    socket.on('connect_error', (error) =>
      this.ifCurrent(socket, () => this.connectFailed(socket, error)),
    );
    socket.on('session:ended', ({ reason }) =>
      this.ifCurrent(socket, () => this.auth.sessionEnded(reason)),
    );
    socket.on('encounter:event', (event) => this.ifCurrent(socket, () => this.receive(event)));
    socket.on('encounter:edits', (edits) => this.ifCurrent(socket, () => this.takeEdits(edits)));
    socket.on('presence:changed', ({ encounterId: id, members }) =>
      this.ifCurrent(socket, () => {
        if (id === this.encounterId) this.presenceState.set(members);
      }),
    );
    this.window?.addEventListener('offline', this.wentOffline);
    this.window?.addEventListener('online', this.cameOnline);
    if (this.window?.navigator.onLine === false) {
      this.statusState.set('offline');
    } else {
      this.statusState.set('reconnecting');
      socket.connect();
    }
  }

  /** Leaves the room and disconnects; safe to call twice. Commands still waiting fail. */
  close(): void {
    this.window?.removeEventListener('offline', this.wentOffline);
    this.window?.removeEventListener('online', this.cameOnline);
    const waiters = this.liveWaiters;
    this.liveWaiters = [];
    waiters.forEach((w) =>
      w.reject(
        new ApiError('unavailable', 'The encounter was closed before the change was confirmed.'),
      ),
    );
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    this.generation++;
    socket.off();
    if (socket.connected)
      socket.emit('room:leave', { encounterId: this.encounterId }, () => undefined);
    socket.disconnect();
    this.statusState.set('offline');
  }

  /** Adds a line (at the end unless `index` is given). */
  addLine(line: ClaimLineInput, index?: number): Promise<CommandResult> {
    return this.command(
      'line:add',
      { line, ...(index === undefined ? {} : { index }) },
      { kind: 'chart' },
    );
  }

  /** Changes only the fields in `patch`; `seen` is the version the line was opened for editing at. */
  updateLine(lineId: string, patch: ClaimLinePatch, seen?: number): Promise<CommandResult> {
    return this.command('line:update', { lineId, patch }, { kind: 'line', lineId }, seen);
  }

  removeLine(lineId: string): Promise<CommandResult> {
    return this.command('line:remove', { lineId }, { kind: 'line', lineId });
  }

  acceptLine(lineId: string): Promise<CommandResult> {
    return this.command('review:accept', { lineId }, { kind: 'line', lineId });
  }

  rejectLine(
    lineId: string,
    category: CorrectionCategory,
    comment: string,
    seen?: number,
  ): Promise<CommandResult> {
    return this.command(
      'review:reject',
      { lineId, category, comment },
      { kind: 'line', lineId },
      seen,
    );
  }

  suggest(
    lineId: string,
    patch: BilledFieldsPatch,
    category: Exclude<CorrectionCategory, 'missed-code'>,
    comment: string,
    seen?: number,
    precedentNumber?: number,
  ): Promise<CommandResult> {
    return this.command(
      'review:suggest',
      { lineId, patch, category, comment, ...(precedentNumber ? { precedentNumber } : {}) },
      { kind: 'line', lineId },
      seen,
    );
  }

  addMissedLine(line: ClaimLineInput, comment: string): Promise<CommandResult> {
    return this.command('review:add-missed', { line, comment }, { kind: 'chart' });
  }

  answerSuggestion(
    suggestionId: string,
    answer: 'accept' | 'dispute',
    comment = '',
    seen?: number,
  ): Promise<CommandResult> {
    return this.command(
      'suggestion:answer',
      { suggestionId, answer, comment },
      { kind: 'suggestion', suggestionId },
      seen,
    );
  }

  withdrawSuggestion(suggestionId: string): Promise<CommandResult> {
    return this.command(
      'suggestion:withdraw',
      { suggestionId },
      { kind: 'suggestion', suggestionId },
    );
  }

  /** Sends a disputed suggestion to a supervisor, with why (may be empty). */
  escalateSuggestion(suggestionId: string, comment = ''): Promise<CommandResult> {
    return this.command(
      'suggestion:escalate',
      { suggestionId, comment },
      { kind: 'suggestion', suggestionId },
    );
  }

  /** A supervisor's decision of an escalated dispute, with its reason. */
  decideSuggestion(
    suggestionId: string,
    decision: DisputeDecision,
    reason: string,
  ): Promise<CommandResult> {
    return this.command(
      'suggestion:decide',
      { suggestionId, decision, reason },
      { kind: 'suggestion', suggestionId },
    );
  }

  /** Replies in `threadId`, or opens a thread on `lineId` (null: on the encounter). */
  comment(body: CommandBody<'comment:add'>): Promise<CommandResult> {
    return this.command('comment:add', body, { kind: 'chart' });
  }

  resolveThread(threadId: string, resolved: boolean): Promise<CommandResult> {
    return this.command('thread:resolve', { threadId, resolved }, { kind: 'chart' });
  }

  /** Acknowledges a warning finding with the reason it does not apply. */
  acknowledgeFinding(findingId: string, reason: string): Promise<CommandResult> {
    return this.command('finding:acknowledge', { findingId, reason }, { kind: 'chart' });
  }

  transition(transition: Transition, reason = '', seen?: number): Promise<CommandResult> {
    return this.command('encounter:transition', { transition, reason }, { kind: 'chart' }, seen);
  }

  /**
   * Tells the room which line this person is editing or reviewing (null: none). Sent only when
   * it changes, and again after a rejoin, since the server forgets it with the old connection.
   */
  focus(lineId: string | null): void {
    if (lineId === this.focusedLineId) return;
    this.focusedLineId = lineId;
    if (this.socket?.connected && this.statusState() === 'live')
      this.socket.emit('presence:focus', { encounterId: this.encounterId, lineId });
  }

  /** Takes a newer chart the server sent another way (a REST `conflict`), as a join snapshot would be. */
  adopt(encounter: Encounter): void {
    const state = this.encounterState();
    if (encounter.id !== this.encounterId || (state && encounter.version <= state.version)) return;
    this.encounterState.set(encounter);
    this.drain();
  }

  /**
   * Sends a command made against version `seen` (default: the state as shown now; a form passes
   * the version it was opened at, so a change made meanwhile is a conflict, not overwritten).
   * Resolves once the server has committed it; sends it again with the same operation id until
   * an answer comes.
   */
  private async command<E extends CommandEvent>(
    event: E,
    body: CommandBody<E>,
    target: ConflictTarget,
    seen?: number,
  ): Promise<CommandResult> {
    const state = this.encounterState();
    if (!this.socket || !state || this.statusState() !== 'live') {
      throw new ApiError(
        'unavailable',
        'Not connected to the live room, so the change was not sent. Try again once it shows Live.',
      );
    }
    const baseVersion = Math.min(seen ?? state.version, state.version);
    const payload = {
      ...body,
      encounterId: this.encounterId,
      baseVersion,
      opId: crypto.randomUUID(),
    } as CommandPayload<E>;
    const emit = (socket: LiveSocket) =>
      (
        socket.timeout(this.ackTimeoutMs) as unknown as {
          emitWithAck: (e: E, p: CommandPayload<E>) => Promise<Ack<CommandResult>>;
        }
      ).emitWithAck(event, payload);
    let ack: Ack<CommandResult> | null = null;
    let attempts = 0;
    try {
      while (!ack) {
        const socket = await this.whenLive();
        if (attempts++ === 1) this.retryingState.update((n) => n + 1);
        try {
          ack = await emit(socket);
        } catch {
          // No answer in time: the command may or may not have taken effect. The same opId makes
          // sending it again safe; a dead connection shows as a disconnect and waits for the rejoin.
        }
      }
    } finally {
      if (attempts > 1) this.retryingState.update((n) => n - 1);
    }
    if (ack.ok) return ack.data;
    throw this.refused(ApiError.fromBody(ack.error), target, payload.baseVersion);
  }

  /** A conflict brings the chart as it is now: take it, and say who moved it on. */
  private refused(error: ApiError, target: ConflictTarget, baseVersion: number): ApiError {
    if (error.code !== 'conflict') return error;
    const current = (error.details as { encounter?: Encounter } | undefined)?.encounter;
    if (current) this.adopt(current);
    const state = this.encounterState();
    const change = state ? lastChangeOf(this.recentState(), state, target, baseVersion) : null;
    const changedBy = change
      ? { ...change, before: this.statesBefore.get(change.event.seq) ?? null }
      : null;
    return new ConflictError(error.message, state ?? current ?? null, changedBy, target);
  }

  private whenLive(): Promise<LiveSocket> {
    if (this.socket && this.statusState() === 'live') return Promise.resolve(this.socket);
    if (!this.socket)
      return Promise.reject(
        new ApiError('unavailable', 'The encounter was closed before the change was confirmed.'),
      );
    return new Promise((resolve, reject) => this.liveWaiters.push({ resolve, reject }));
  }

  private async join(socket: LiveSocket): Promise<void> {
    const generation = ++this.generation;
    this.syncing = true;
    this.statusState.set('reconnecting');
    const known = this.encounterState();
    let ack: Ack<RoomSnapshot>;
    try {
      ack = (await socket.timeout(this.ackTimeoutMs).emitWithAck('room:join', {
        encounterId: this.encounterId,
        ...(known ? { afterSeq: known.version } : {}),
      })) as Ack<RoomSnapshot>;
    } catch {
      // No answer: start over on a fresh connection, whose `connect` joins again.
      if (generation === this.generation && socket === this.socket) socket.disconnect().connect();
      return;
    }
    if (generation !== this.generation || socket !== this.socket) return;
    if (!ack.ok) {
      this.joinFailure.set(ApiError.fromBody(ack.error));
      this.syncing = false;
      this.buffered = [];
      this.close();
      return;
    }
    const { encounter, seq, presence, edits, events } = ack.data;
    // What was missed is folded first, so it counts as seen; then the snapshot is the truth.
    if (known && events) this.foldRun(known, events);
    this.encounterState.set({ ...encounter, version: seq });
    this.presenceState.set(presence);
    this.takeEdits(edits);
    this.joinFailure.set(null);
    this.syncing = false;
    this.statusState.set('live');
    if (this.focusedLineId)
      socket.emit('presence:focus', { encounterId: this.encounterId, lineId: this.focusedLineId });
    const waiters = this.liveWaiters;
    this.liveWaiters = [];
    waiters.forEach((w) => w.resolve(socket));
    this.drain();
  }

  /** Keeps the edits of the highest version seen: they follow events, and may arrive out of order. */
  private takeEdits(edits: LiveEdits | undefined): void {
    if (!edits || edits.encounterId !== this.encounterId) return;
    const current = this.editsState();
    if (current && edits.version < current.version) return;
    this.editsState.set(edits);
  }

  private receive(event: EncounterEvent): void {
    if (event.encounterId !== this.encounterId) return;
    if (this.syncing || !this.encounterState()) {
      this.buffered.push(event);
      return;
    }
    this.fold(event);
  }

  private fold(event: EncounterEvent): void {
    const state = this.encounterState();
    if (!state || event.seq <= state.version) return;
    if (event.seq === state.version + 1) {
      this.encounterState.set(applyEncounterEvent(state, event));
      this.remember([{ event, before: state }]);
      return;
    }
    this.buffered.push(event);
    void this.catchUp();
  }

  /** Folds the contiguous events after `state`, remembering them; returns the state reached. */
  private foldRun(state: Encounter, events: readonly EncounterEvent[]): Encounter {
    let current = state;
    const folded: Array<{ event: EncounterEvent; before: Encounter }> = [];
    for (const event of [...events].sort(bySeq)) {
      if (event.seq <= current.version) continue;
      if (event.seq !== current.version + 1) break;
      folded.push({ event, before: current });
      current = applyEncounterEvent(current, event);
    }
    this.remember(folded);
    return current;
  }

  /** Fetches the events between the version and a later event that arrived early. */
  private async catchUp(): Promise<void> {
    const socket = this.socket;
    const state = this.encounterState();
    if (!socket || !state || this.syncing) return;
    const generation = this.generation;
    this.syncing = true;
    let ack: Ack<{ events: EncounterEvent[] }> | null;
    try {
      ack = (await socket.timeout(this.ackTimeoutMs).emitWithAck('room:catch-up', {
        encounterId: this.encounterId,
        afterSeq: state.version,
      })) as Ack<{ events: EncounterEvent[] }>;
    } catch {
      ack = null;
    }
    if (generation !== this.generation || socket !== this.socket) return;
    if (!ack?.ok) {
      // A snapshot replaces the state wholesale; after a disconnect the reconnect joins anyway.
      if (socket.connected) void this.join(socket);
      return;
    }
    const before = this.encounterState() ?? state;
    const current = this.foldRun(before, ack.data.events);
    this.encounterState.set(current);
    // The log had nothing newer: the early events cannot be placed, so drop them, not loop.
    if (current.version === before.version) this.buffered = [];
    this.syncing = false;
    this.drain();
  }

  private drain(): void {
    const pending = this.buffered.sort(bySeq);
    this.buffered = [];
    for (const event of pending) {
      if (this.syncing) this.buffered.push(event);
      else this.fold(event);
    }
  }

  /** Keeps the last events folded, each with the chart right before it (they share structure). */
  private remember(folded: ReadonlyArray<{ event: EncounterEvent; before: Encounter }>): void {
    if (!folded.length) return;
    this.recentState.update((recent) =>
      [...recent, ...folded.map((f) => f.event)].slice(-RECENT_EVENTS),
    );
    for (const { event, before } of folded) this.statesBefore.set(event.seq, before);
    const oldest = this.recentState()[0]?.seq ?? 0;
    for (const seq of this.statesBefore.keys()) if (seq < oldest) this.statesBefore.delete(seq);
  }

  private connectFailed(socket: LiveSocket, error: Error): void {
    if (error.message === 'unauthenticated') {
      this.close();
      this.auth.sessionEnded();
      return;
    }
    this.statusState.set(socket.active ? 'reconnecting' : 'offline');
  }

  private ifCurrent(socket: LiveSocket, action: () => void): void {
    if (socket === this.socket) action();
  }

  private readonly wentOffline = (): void => {
    if (!this.socket) return;
    this.socket.disconnect();
    this.statusState.set('offline');
  };

  private readonly cameOnline = (): void => {
    if (!this.socket || this.socket.connected) return;
    this.statusState.set('reconnecting');
    this.socket.connect();
  };
}
