import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayInit,
} from '@nestjs/websockets';
import {
  CatchUpRequestSchema,
  LineAddCommandSchema,
  LineRemoveCommandSchema,
  LineUpdateCommandSchema,
  RoomRequestSchema,
  encounterRoom,
  type Ack,
  type ClientToServerEvents,
  type CommandResult,
  type EncounterEvent,
  type PresenceMember,
  type RoomSnapshot,
  type ServerToClientEvents,
  type SessionUser,
} from '@countersign/shared';
import type { Subscription } from 'rxjs';
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { AuthService } from '../auth/auth.service.js';
import { readSessionCookie } from '../auth/session-cookie.js';
import { EncounterEventBus } from '../encounter/encounter-event-bus.js';
import { EncounterService, type CommandOutcome } from '../encounter/encounter.service.js';
import { parseOrThrow } from '../errors/zod-validation.pipe.js';
import { toAck } from './socket-ack.js';

interface SocketData {
  user: SessionUser;
}
type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const ROOM_PREFIX = encounterRoom('');

/**
 * The live room. The handshake is authenticated with the session cookie; each handler is
 * validated input and one service call; encounter events reach the room only after commit,
 * through the event bus. With the Redis adapter, rooms, broadcasts and presence span every
 * server instance.
 */
@WebSocketGateway({ serveClient: false, cors: false, connectionStateRecovery: undefined })
export class RealtimeGateway implements OnGatewayInit<LiveServer>, OnGatewayConnection<LiveSocket>, OnModuleDestroy {
  @WebSocketServer() private server!: LiveServer;
  private readonly logger = new Logger(RealtimeGateway.name);
  private subscription: Subscription | null = null;

  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(EncounterService) private readonly encounters: EncounterService,
    @Inject(EncounterEventBus) private readonly bus: EncounterEventBus,
  ) {}

  afterInit(server: LiveServer): void {
    server.use((socket, next) => {
      this.auth
        .authenticate(readSessionCookie(socket.handshake.headers.cookie))
        .then((session) => {
          if (!session) return next(new Error('unauthenticated'));
          socket.data.user = session.user;
          next();
        })
        .catch((error: unknown) => {
          this.logger.error(error instanceof Error ? error.message : String(error));
          next(new Error('internal'));
        });
    });
    this.subscription = this.bus.events.subscribe((event) => this.broadcast(event));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  handleConnection(socket: LiveSocket): void {
    socket.on('disconnecting', () => {
      const rooms = [...socket.rooms].filter((room) => room.startsWith(ROOM_PREFIX));
      socket.once('disconnect', () => rooms.forEach((room) => void this.broadcastPresence(room)));
    });
  }

  @SubscribeMessage('room:join')
  join(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): Promise<Ack<RoomSnapshot>> {
    return toAck(async () => {
      const { encounterId } = parseOrThrow(RoomRequestSchema, body);
      // Scoped read first, so a socket never joins a room of another organization.
      await this.encounters.get(socket.data.user, encounterId);
      const room = encounterRoom(encounterId);
      // Join before reading the state: an event committed in between arrives as a message
      // and the client drops it when its seq is not above the snapshot's.
      await socket.join(room);
      const encounter = await this.encounters.get(socket.data.user, encounterId);
      const presence = await this.broadcastPresence(room);
      return { encounter, seq: encounter.version, presence };
    }, this.logger);
  }

  @SubscribeMessage('room:leave')
  leave(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): Promise<Ack<null>> {
    return toAck(async () => {
      const room = encounterRoom(parseOrThrow(RoomRequestSchema, body).encounterId);
      await socket.leave(room);
      await this.broadcastPresence(room);
      return null;
    }, this.logger);
  }

  @SubscribeMessage('room:catch-up')
  catchUp(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): Promise<Ack<{ events: EncounterEvent[] }>> {
    return toAck(async () => {
      const { encounterId, afterSeq } = parseOrThrow(CatchUpRequestSchema, body);
      return { events: await this.encounters.eventsAfter(socket.data.user, encounterId, afterSeq) };
    }, this.logger);
  }

  @SubscribeMessage('line:add')
  addLine(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): Promise<Ack<CommandResult>> {
    return this.command(socket, LineAddCommandSchema, body, (user, c) => this.encounters.addLine(user, c.encounterId, c.line, c.index));
  }

  @SubscribeMessage('line:update')
  updateLine(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): Promise<Ack<CommandResult>> {
    return this.command(socket, LineUpdateCommandSchema, body, (user, c) => this.encounters.updateLine(user, c.encounterId, c.lineId, c.patch));
  }

  @SubscribeMessage('line:remove')
  removeLine(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): Promise<Ack<CommandResult>> {
    return this.command(socket, LineRemoveCommandSchema, body, (user, c) => this.encounters.removeLine(user, c.encounterId, c.lineId));
  }

  /** A command: validated input, one service call, acknowledged with the event's seq after commit. */
  private command<S extends z.ZodType>(
    socket: LiveSocket,
    schema: S,
    body: unknown,
    run: (user: SessionUser, command: z.output<S>) => Promise<CommandOutcome>,
  ): Promise<Ack<CommandResult>> {
    return toAck(async () => {
      const { event } = await run(socket.data.user, parseOrThrow(schema, body));
      return { seq: event.seq };
    }, this.logger);
  }

  private broadcast(event: EncounterEvent): void {
    this.server.to(encounterRoom(event.encounterId)).emit('encounter:event', event);
  }

  /** Who is in the room across every instance; one entry per person however many tabs. */
  private async broadcastPresence(room: string): Promise<PresenceMember[]> {
    const sockets = await this.server.in(room).fetchSockets();
    const members = new Map<string, PresenceMember>();
    for (const s of sockets) {
      const user = s.data.user;
      if (user && !members.has(user.id)) members.set(user.id, { userId: user.id, name: user.name, role: user.role });
    }
    const list = [...members.values()].sort((a, b) => a.name.localeCompare(b.name));
    this.server.to(room).emit('presence:changed', { encounterId: room.slice(ROOM_PREFIX.length), members: list });
    return list;
  }
}
