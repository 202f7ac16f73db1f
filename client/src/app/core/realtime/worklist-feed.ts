import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import type { WorklistRow } from '@countersign/shared';
import { AuthService } from '../auth/auth.service';
import type { ConnectionStatus } from './live-room';
import { LIVE_SOCKET_FACTORY, type LiveSocket } from './live-socket';

/**
 * Worklist changes of the organization as they happen: the feed's socket asks to watch the
 * worklist (`worklist:watch`) on every connect and then gets `worklist:rows`, the rows that
 * changed, coalesced by the server. Only watching sockets get them, so a chart page's socket
 * carries none. Changes made while disconnected are not replayed, so `resynced` ticks on every
 * reconnect and the reader reloads its list.
 */
@Injectable()
export class WorklistFeed {
  private readonly createSocket = inject(LIVE_SOCKET_FACTORY);
  private readonly auth = inject(AuthService);
  private readonly statusState = signal<ConnectionStatus>('offline');
  private readonly resyncs = signal(0);
  private socket: LiveSocket | null = null;

  readonly status = this.statusState.asReadonly();
  /** Counts reconnects after the first connection: each one may have missed changes. */
  readonly resynced = this.resyncs.asReadonly();

  constructor() {
    inject(DestroyRef).onDestroy(() => this.close());
  }

  /** Connects and calls `onRows` with every batch of changed rows until closed. */
  open(onRows: (rows: WorklistRow[]) => void): void {
    this.close();
    const socket = this.createSocket();
    this.socket = socket;
    let connectedBefore = false;
    socket.on('connect', () => {
      socket.emit('worklist:watch', {}, (ack) => {
        if (this.socket !== socket) return;
        // Refused (a limit): not live, and the next reconnect asks again.
        if (!ack.ok) return this.statusState.set('reconnecting');
        this.statusState.set('live');
        if (connectedBefore) this.resyncs.update((n) => n + 1);
        connectedBefore = true;
      });
    });
    socket.on('disconnect', () => this.statusState.set(socket.active ? 'reconnecting' : 'offline'));
    socket.on('connect_error', (error) => {
      if (error.message === 'unauthenticated') {
        this.close();
        this.auth.sessionEnded();
        return;
      }
      this.statusState.set(socket.active ? 'reconnecting' : 'offline');
    });
    socket.on('worklist:rows', ({ rows }) => onRows(rows));
    socket.on('session:ended', ({ reason }) => {
      this.close();
      this.auth.sessionEnded(reason);
    });
    this.statusState.set('reconnecting');
    socket.connect();
  }

  close(): void {
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    socket.off();
    socket.disconnect();
    this.statusState.set('offline');
  }
}
