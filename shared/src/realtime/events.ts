import { z } from 'zod';
import type { ApiErrorBody } from '../errors/error-codes.js';
import type { Role } from '../auth/auth.schema.js';
import { ClaimLineInputSchema, ClaimLinePatchSchema, type Encounter } from '../encounter/encounter.schema.js';
import type { EncounterEvent } from '../encounter/encounter-events.js';

/**
 * The Socket.IO protocol, typed both ways. Only the gateway (server) and the socket client
 * (browser) touch socket.io; everything else sees these shapes.
 *
 * - A client authenticates with the session cookie on the handshake; without it the
 *   connection is refused with `connect_error` `unauthenticated`.
 * - `room:join` answers the encounter's current state and its sequence number; events with
 *   a higher `seq` follow as `encounter:event`.
 * - A client that sees a gap (event seq > version + 1) asks `room:catch-up` for the events
 *   after its version, or joins again.
 * - Commands (`line:*`) are acknowledged only after the change has committed; the
 *   acknowledgement carries the event's `seq`. The same event reaches every socket in the
 *   room, the sender's included, after commit.
 * - A changed payload gets a new event name; a name's shape never changes.
 */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ApiErrorBody };
export type AckCallback<T> = (response: Ack<T>) => void;

export const RoomRequestSchema = z.object({ encounterId: z.string().uuid() });
export type RoomRequest = z.infer<typeof RoomRequestSchema>;

export const CatchUpRequestSchema = RoomRequestSchema.extend({ afterSeq: z.number().int().min(0) });
export type CatchUpRequest = z.infer<typeof CatchUpRequestSchema>;

export const LineAddCommandSchema = RoomRequestSchema.extend({
  line: ClaimLineInputSchema,
  /** Position in the line order; default: at the end. */
  index: z.number().int().min(0).optional(),
});
export type LineAddCommand = z.input<typeof LineAddCommandSchema>;

export const LineUpdateCommandSchema = RoomRequestSchema.extend({
  lineId: z.string().uuid(),
  patch: ClaimLinePatchSchema,
});
export type LineUpdateCommand = z.input<typeof LineUpdateCommandSchema>;

export const LineRemoveCommandSchema = RoomRequestSchema.extend({ lineId: z.string().uuid() });
export type LineRemoveCommand = z.input<typeof LineRemoveCommandSchema>;

/** One person in a room; several tabs of one person count once. */
export interface PresenceMember {
  userId: string;
  name: string;
  role: Role;
}

export interface RoomSnapshot {
  encounter: Encounter;
  /** Sequence number of the last event folded into `encounter` (equals `encounter.version`). */
  seq: number;
  presence: PresenceMember[];
}

export interface CommandResult {
  /** Sequence number of the event the command produced. */
  seq: number;
}

export interface ClientToServerEvents {
  'room:join': (request: RoomRequest, ack: AckCallback<RoomSnapshot>) => void;
  'room:leave': (request: RoomRequest, ack: AckCallback<null>) => void;
  'room:catch-up': (request: CatchUpRequest, ack: AckCallback<{ events: EncounterEvent[] }>) => void;
  'line:add': (command: LineAddCommand, ack: AckCallback<CommandResult>) => void;
  'line:update': (command: LineUpdateCommand, ack: AckCallback<CommandResult>) => void;
  'line:remove': (command: LineRemoveCommand, ack: AckCallback<CommandResult>) => void;
}

export interface ServerToClientEvents {
  'encounter:event': (event: EncounterEvent) => void;
  'presence:changed': (presence: { encounterId: string; members: PresenceMember[] }) => void;
}

/** Room name of an encounter; one place so server and tests agree. */
export function encounterRoom(encounterId: string): string {
  return `encounter:${encounterId}`;
}
