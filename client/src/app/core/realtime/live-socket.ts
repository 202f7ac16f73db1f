import { InjectionToken } from '@angular/core';
import type { ClientToServerEvents, ServerToClientEvents } from '@countersign/shared';
import { io, type Socket } from 'socket.io-client';

/** The typed Socket.IO connection of the live room. */
export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Makes a new, not yet connected socket to this origin, authenticated by the session cookie.
 * A token so that specs can hand the live room a fake server.
 */
export const LIVE_SOCKET_FACTORY = new InjectionToken<() => LiveSocket>('LIVE_SOCKET_FACTORY', {
  providedIn: 'root',
  factory: () => () =>
    io({ withCredentials: true, transports: ['websocket', 'polling'], autoConnect: false }),
});
