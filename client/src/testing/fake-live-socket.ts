import type { Ack, ClientToServerEvents, ServerToClientEvents } from '@countersign/shared';
import type { LiveSocket } from '../app/core/realtime/live-socket';

type CommandName = keyof ClientToServerEvents;
type Payload<E extends CommandName> = Parameters<ClientToServerEvents[E]>[0];
type AckData<E extends CommandName> = Parameters<ClientToServerEvents[E]>[1] extends (
  ack: Ack<infer T>,
) => void
  ? T
  : never;
type Answer<E extends CommandName> = (
  payload: Payload<E>,
) => Ack<AckData<E>> | Promise<Ack<AckData<E>>>;
type Listener = (...args: never[]) => void;

/** A promise with its resolve exposed, to hold a server answer back until a test releases it. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets pending promise callbacks (acks) run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

/**
 * A stand-in for a Socket.IO client socket and the server behind it. A spec says how the
 * server answers each command (`answer`), pushes server events (`push`) and drops or restores
 * the connection; `sent` records every command in order.
 */
export class FakeLiveSocket {
  connected = false;
  active = false;
  readonly sent: Array<{ event: CommandName; payload: unknown }> = [];
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly answers = new Map<CommandName, (payload: never) => unknown>();

  /** Typed view for the code under test. */
  asSocket(): LiveSocket {
    return this as unknown as LiveSocket;
  }

  answer<E extends CommandName>(event: E, answer: Answer<E>): this {
    this.answers.set(event, answer);
    return this;
  }

  push<E extends keyof ServerToClientEvents>(
    event: E,
    ...args: Parameters<ServerToClientEvents[E]>
  ): void {
    this.fire(event, ...args);
  }

  sentOf<E extends CommandName>(event: E): Array<Payload<E>> {
    return this.sent.filter((s) => s.event === event).map((s) => s.payload as Payload<E>);
  }

  /** The transport dropped; the client will retry. */
  dropConnection(): void {
    this.connected = false;
    this.fire('disconnect', 'transport close');
  }

  /** The automatic reconnection succeeded. */
  reconnect(): void {
    this.connected = true;
    this.fire('connect');
  }

  /** The server refused the handshake. */
  refuse(message: string): void {
    this.connected = false;
    this.active = false;
    this.fire('connect_error', new Error(message));
  }

  // The socket.io-client surface the live room uses.

  on(event: string, listener: Listener): this {
    const set = this.listeners.get(event) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(event, set);
    return this;
  }

  off(event?: string): this {
    if (event === undefined) this.listeners.clear();
    else this.listeners.delete(event);
    return this;
  }

  connect(): this {
    this.active = true;
    this.connected = true;
    this.fire('connect');
    return this;
  }

  disconnect(): this {
    const wasConnected = this.connected;
    this.active = false;
    this.connected = false;
    if (wasConnected) this.fire('disconnect', 'io client disconnect');
    return this;
  }

  /** Like socket.io's: the ack promise rejects when no answer comes within `ms`. */
  timeout(ms: number): { emitWithAck: (event: CommandName, payload: unknown) => Promise<unknown> } {
    return {
      emitWithAck: (event, payload) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('operation has timed out')), ms);
          this.emitWithAck(event, payload).then(
            (answer) => {
              clearTimeout(timer);
              resolve(answer);
            },
            (error: unknown) => {
              clearTimeout(timer);
              reject(error instanceof Error ? error : new Error(String(error)));
            },
          );
        }),
    };
  }

  emitWithAck(event: CommandName, payload: unknown): Promise<unknown> {
    this.sent.push({ event, payload });
    const answer = this.answers.get(event);
    // An unanswered command never resolves, like a server that never acknowledges.
    return answer ? Promise.resolve(answer(payload as never)) : new Promise(() => undefined);
  }

  emit(event: CommandName, payload: unknown, ack?: (response: unknown) => void): this {
    if (!ack) {
      // Fire and forget (presence:focus): recorded, never answered.
      this.sent.push({ event, payload });
      return this;
    }
    void this.emitWithAck(event, payload).then((response) => ack(response));
    return this;
  }

  private fire(event: string, ...args: unknown[]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])])
      (listener as (...a: unknown[]) => void)(...args);
  }
}
