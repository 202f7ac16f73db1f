import { randomUUID } from 'node:crypto';
import {
  applyEncounterEvent,
  type Ack,
  type CommandResult,
  type Encounter,
  type EncounterEvent,
} from '@countersign/shared';
import { io } from 'socket.io-client';
import type { LiveClient } from './test-app.js';

type CommandEvent = Exclude<
  Parameters<LiveClient['emit']>[0],
  'presence:focus' | 'room:join' | 'room:leave' | 'room:catch-up'
>;

/**
 * A room client that behaves as the browser's live room does: folds events in order, catches
 * up from the event log on a gap, rejoins with `afterSeq` after a disconnect, and retries an
 * unacknowledged command with the same operation id until it has an answer.
 */
export class ConvergingClient {
  state: Encounter | null = null;
  /** Commands the server acknowledged: opId -> seq. */
  readonly applied = new Map<string, number>();
  /** Commands the server refused: opId -> error code. */
  readonly refused = new Map<string, string>();
  /** How many events came back through a rejoin's catch-up. */
  caughtUpEvents = 0;
  private readonly socket: LiveClient;
  private catchingUp: Promise<void> | null = null;
  private joined: Promise<void> | null = null;

  constructor(
    url: string,
    cookie: string,
    private readonly encounterId: string,
  ) {
    this.socket = io(url, {
      transports: ['websocket'],
      extraHeaders: { cookie },
      reconnection: false,
      forceNew: true,
      autoConnect: false,
    });
    this.socket.on('connect', () => void (this.joined = this.join()));
    this.socket.on('encounter:event', (event) => void this.receive(event));
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  async connect(): Promise<void> {
    if (this.socket.connected) return;
    const connected = new Promise<void>((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', reject);
    });
    this.socket.connect();
    await connected;
    await this.joined;
  }

  disconnect(): void {
    this.socket.disconnect();
  }

  close(): void {
    this.socket.close();
  }

  /** Sends a command made against the current state; retries with the same opId until answered. */
  async command(event: CommandEvent, payload: Record<string, unknown>): Promise<void> {
    const opId = randomUUID();
    const body = {
      encounterId: this.encounterId,
      baseVersion: this.state?.version ?? 0,
      opId,
      ...payload,
    };
    for (;;) {
      if (!this.socket.connected) await this.connect();
      try {
        const ack = await (
          this.socket.timeout(3000) as unknown as {
            emitWithAck: (e: string, b: unknown) => Promise<Ack<CommandResult>>;
          }
        ).emitWithAck(event, body);
        if (ack.ok) this.applied.set(opId, ack.data.seq);
        else this.refused.set(opId, ack.error.code);
        return;
      } catch {
        // No answer (disconnected or timed out): the command may or may not have taken effect; retry it.
      }
    }
  }

  private async join(): Promise<void> {
    const afterSeq = this.state?.version;
    const ack = await this.socket.emitWithAck('room:join', {
      encounterId: this.encounterId,
      afterSeq,
    });
    if (!ack.ok) throw new Error(ack.error.message);
    if (this.state && ack.data.events) {
      this.caughtUpEvents += ack.data.events.length;
      this.fold(ack.data.events);
    }
    // Folding what was missed must arrive where the server is; take the server's word if not.
    this.state = ack.data.encounter;
  }

  private async receive(event: EncounterEvent): Promise<void> {
    await this.joined;
    await this.catchingUp;
    if (!this.state || event.seq <= this.state.version) return;
    if (event.seq === this.state.version + 1) {
      this.state = applyEncounterEvent(this.state, event);
      return;
    }
    this.catchingUp = this.catchUp();
    await this.catchingUp;
    this.catchingUp = null;
    if (event.seq === this.state.version + 1) this.state = applyEncounterEvent(this.state, event);
  }

  private async catchUp(): Promise<void> {
    const ack = await this.socket.emitWithAck('room:catch-up', {
      encounterId: this.encounterId,
      afterSeq: this.state!.version,
    });
    if (ack.ok) this.fold(ack.data.events);
  }

  private fold(events: readonly EncounterEvent[]): void {
    for (const event of events)
      if (event.seq === this.state!.version + 1)
        this.state = applyEncounterEvent(this.state!, event);
  }
}
