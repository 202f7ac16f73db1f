import { DOCUMENT } from '@angular/common';
import { DestroyRef, Injectable, InjectionToken, inject, signal } from '@angular/core';
import {
  applyEncounterEvent,
  type Ack,
  type ClaimLineInput,
  type ClaimLinePatch,
  type CommandResult,
  type Encounter,
  type EncounterEvent,
  type PresenceMember,
} from '@countersign/shared';
import { ApiError, toApiError } from '../api/api-error';
import { AuthService } from '../auth/auth.service';
import { LIVE_SOCKET_FACTORY, type LiveSocket } from './live-socket';

/** What the connection badge shows. */
export type ConnectionStatus = 'live' | 'reconnecting' | 'offline';

/** How long a command or join waits for the server's acknowledgement. */
export const LIVE_ACK_TIMEOUT_MS = new InjectionToken<number>('LIVE_ACK_TIMEOUT_MS', {
  providedIn: 'root',
  factory: () => 10_000,
});

const bySeq = (a: EncounterEvent, b: EncounterEvent) => a.seq - b.seq;

/**
 * One encounter's live room, provided by the page that shows it.
 *
 * The encounter is the join snapshot with every later event folded in, in `seq` order:
 * an event at or below the version is a duplicate and is dropped, the next one is folded, and
 * one past a gap triggers `room:catch-up` first. Events that arrive while a join or catch-up is
 * in flight wait in a buffer. A reconnect joins again and replaces the state with the snapshot.
 * Commands are never applied optimistically: the state changes when their event arrives.
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

  /** The encounter as of its last folded event; null until the first join answers. */
  readonly encounter = this.encounterState.asReadonly();
  readonly presence = this.presenceState.asReadonly();
  readonly status = this.statusState.asReadonly();
  /** Why the room could not be joined (for example `not_found`); the page shows it instead. */
  readonly joinError = this.joinFailure.asReadonly();

  private socket: LiveSocket | null = null;
  private encounterId = '';
  /** Bumped by every join, so the answer of an older join or catch-up is ignored. */
  private generation = 0;
  private syncing = false;
  private buffered: EncounterEvent[] = [];

  constructor() {
    inject(DestroyRef).onDestroy(() => this.close());
  }

  /** Connects and joins the room of `encounterId`, leaving any room joined before. */
  open(encounterId: string): void {
    this.close();
    this.encounterId = encounterId;
    this.encounterState.set(null);
    this.presenceState.set([]);
    this.joinFailure.set(null);
    this.buffered = [];
    const socket = this.createSocket();
    this.socket = socket;
    socket.on('connect', () => this.ifCurrent(socket, () => void this.join(socket)));
    socket.on('disconnect', () => this.ifCurrent(socket, () => this.statusState.set(socket.active ? 'reconnecting' : 'offline')));
    socket.on('connect_error', (error) => this.ifCurrent(socket, () => this.connectFailed(socket, error)));
    socket.on('encounter:event', (event) => this.ifCurrent(socket, () => this.receive(event)));
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

  /** Leaves the room and disconnects; safe to call twice. */
  close(): void {
    this.window?.removeEventListener('offline', this.wentOffline);
    this.window?.removeEventListener('online', this.cameOnline);
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    this.generation++;
    socket.off();
    if (socket.connected) socket.emit('room:leave', { encounterId: this.encounterId }, () => undefined);
    socket.disconnect();
    this.statusState.set('offline');
  }

  /** Adds a line (at the end unless `index` is given); resolves with the event's seq once committed. */
  async addLine(line: ClaimLineInput, index?: number): Promise<CommandResult> {
    const socket = this.liveSocket();
    const command = { encounterId: this.encounterId, line, ...(index === undefined ? {} : { index }) };
    return this.settle(socket.timeout(this.ackTimeoutMs).emitWithAck('line:add', command));
  }

  /** Changes only the fields in `patch`. */
  async updateLine(lineId: string, patch: ClaimLinePatch): Promise<CommandResult> {
    const socket = this.liveSocket();
    return this.settle(socket.timeout(this.ackTimeoutMs).emitWithAck('line:update', { encounterId: this.encounterId, lineId, patch }));
  }

  async removeLine(lineId: string): Promise<CommandResult> {
    const socket = this.liveSocket();
    return this.settle(socket.timeout(this.ackTimeoutMs).emitWithAck('line:remove', { encounterId: this.encounterId, lineId }));
  }

  private async join(socket: LiveSocket): Promise<void> {
    const generation = ++this.generation;
    this.syncing = true;
    this.statusState.set('reconnecting');
    let ack: Ack<{ encounter: Encounter; seq: number; presence: PresenceMember[] }>;
    try {
      ack = await socket.timeout(this.ackTimeoutMs).emitWithAck('room:join', { encounterId: this.encounterId });
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
    const { encounter, seq, presence } = ack.data;
    this.encounterState.set({ ...encounter, version: seq });
    this.presenceState.set(presence);
    this.joinFailure.set(null);
    this.syncing = false;
    this.statusState.set('live');
    this.drain();
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
      return;
    }
    this.buffered.push(event);
    void this.catchUp();
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
      ack = await socket.timeout(this.ackTimeoutMs).emitWithAck('room:catch-up', { encounterId: this.encounterId, afterSeq: state.version });
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
    let current = before;
    for (const event of [...ack.data.events].sort(bySeq)) {
      if (event.seq <= current.version) continue;
      if (event.seq !== current.version + 1) break;
      current = applyEncounterEvent(current, event);
    }
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

  private connectFailed(socket: LiveSocket, error: Error): void {
    if (error.message === 'unauthenticated') {
      this.close();
      this.auth.sessionEnded();
      return;
    }
    this.statusState.set(socket.active ? 'reconnecting' : 'offline');
  }

  private liveSocket(): LiveSocket {
    if (!this.socket || this.statusState() !== 'live') {
      throw new ApiError('unavailable', 'Not connected to the live room, so the change was not sent. Try again once it shows Live.');
    }
    return this.socket;
  }

  private async settle(pending: Promise<Ack<CommandResult>>): Promise<CommandResult> {
    let ack: Ack<CommandResult>;
    try {
      ack = await pending;
    } catch (error) {
      throw toApiError(error);
    }
    if (!ack.ok) throw ApiError.fromBody(ack.error);
    return ack.data;
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
