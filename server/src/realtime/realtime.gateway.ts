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
  CommentAddCommandSchema,
  FindingAcknowledgeCommandSchema,
  LineAddCommandSchema,
  LineRemoveCommandSchema,
  LineUpdateCommandSchema,
  PresenceFocusSchema,
  ReviewAcceptCommandSchema,
  ReviewAddMissedCommandSchema,
  ReviewRejectCommandSchema,
  ReviewSuggestCommandSchema,
  RoomJoinSchema,
  RoomRequestSchema,
  SuggestionAnswerCommandSchema,
  SuggestionDecideCommandSchema,
  SuggestionEscalateCommandSchema,
  SuggestionWithdrawCommandSchema,
  ThreadResolveCommandSchema,
  TransitionCommandSchema,
  WorklistWatchSchema,
  encounterRoom,
  worklistRoom,
  type Ack,
  type ClientToServerEvents,
  type CommandBase,
  type CommandResult,
  type Encounter,
  type EncounterEvent,
  type LiveEdits,
  type PresenceMember,
  type RoomSnapshot,
  type ServerToClientEvents,
  type SessionEndReason,
  type SessionUser,
} from '@countersign/shared';
import type { Subscription } from 'rxjs';
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { ChartReadsService } from '../audit/chart-reads.service.js';
import { AuthService } from '../auth/auth.service.js';
import { readSessionCookie } from '../auth/session-cookie.js';
import { SessionsService } from '../auth/sessions.service.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { isDatabaseUnavailable } from '../database/database-errors.js';
import { DomainError } from '../errors/domain-error.js';
import { LimitsService } from '../limits/limits.service.js';
import { EncounterEventBus, type CommittedChange } from '../encounter/encounter-event-bus.js';
import type { CommandOutcome } from '../encounter/encounter-writer.js';
import { EncounterService, type CommandMeta } from '../encounter/encounter.service.js';
import { KeptCharts } from '../encounter/kept-charts.js';
import { parseOrThrow } from '../errors/zod-validation.pipe.js';
import { ChartEditsService } from '../review/chart-edits.service.js';
import { CommentsService } from '../review/comments.service.js';
import { ReviewService } from '../review/review.service.js';
import { SuggestionsService } from '../review/suggestions.service.js';
import { ErrorCountsService } from '../worklist/error-counts.service.js';
import { LiveCharts } from './live-charts.js';
import { sessionRoom, SocketAdmission, type AdmittedSocketData } from './socket-admission.js';

interface SocketData extends AdmittedSocketData {
  /** Per encounter room: the line this person is working on. */
  focus: Record<string, string | null>;
}
type LiveServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
type LiveSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

const ROOM_PREFIX = encounterRoom('');

/**
 * The live room. The handshake is authenticated with the session cookie; each handler is
 * validated input and one service call, acknowledged after commit; events reach the room
 * through the event bus, also only after commit. With the Redis adapter, rooms, broadcasts
 * and presence span every server instance. A socket that watches the worklist joins its
 * organization's worklist room, which carries coalesced row changes (LiveCharts).
 */
@WebSocketGateway({ serveClient: false, cors: false })
export class RealtimeGateway
  implements OnGatewayInit<LiveServer>, OnGatewayConnection<LiveSocket>, OnModuleDestroy
{
  @WebSocketServer() private server!: LiveServer;
  private readonly logger = new Logger(RealtimeGateway.name);
  private subscription: Subscription | null = null;
  private endings: Subscription | null = null;
  private sweeper: ReturnType<typeof setInterval> | null = null;
  private admission!: SocketAdmission;
  private live!: LiveCharts;

  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(LimitsService) private readonly limits: LimitsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EncounterService) private readonly encounters: EncounterService,
    @Inject(ReviewService) private readonly review: ReviewService,
    @Inject(SuggestionsService) private readonly suggestions: SuggestionsService,
    @Inject(CommentsService) private readonly comments: CommentsService,
    @Inject(ChartEditsService) private readonly chartEdits: ChartEditsService,
    @Inject(EncounterEventBus) private readonly bus: EncounterEventBus,
    @Inject(ChartReadsService) private readonly chartReads: ChartReadsService,
    @Inject(ErrorCountsService) private readonly errorCounts: ErrorCountsService,
    @Inject(KeptCharts) private readonly keptCharts: KeptCharts,
  ) {}

  afterInit(server: LiveServer): void {
    this.admission = new SocketAdmission(
      this.sessions,
      this.limits,
      this.config.limits,
      this.logger,
    );
    server.use((socket, next) => {
      this.auth
        .authenticate(readSessionCookie(socket.handshake.headers.cookie))
        .then(async (session) => {
          // Connections count against the same limits as REST: per user, or per address without a session.
          await this.limits.consumeRequest(
            session ? { userId: session.user.id } : { address: socket.handshake.address },
          );
          if (!session) return next(new Error('unauthenticated'));
          socket.data.user = session.user;
          socket.data.sessionId = session.id;
          socket.data.focus = {};
          socket.data.inFlight = 0;
          socket.data.refusals = [];
          next();
        })
        .catch((error: unknown) => {
          if (error instanceof DomainError) return next(new Error(error.code));
          if (isDatabaseUnavailable(error)) return next(new Error('unavailable'));
          this.logger.error(error instanceof Error ? error.message : String(error));
          next(new Error('internal'));
        });
    });
    this.live = new LiveCharts(
      (organizationId, encounterId) => this.encounters.chart(organizationId, encounterId),
      (encounter) => this.editsCounted(encounter),
      {
        edits: (edits) =>
          server.to(encounterRoom(edits.encounterId)).emit('encounter:edits', edits),
        worklist: (organizationId, rows) =>
          server.to(worklistRoom(organizationId)).emit('worklist:rows', { rows }),
      },
      this.logger,
    );
    this.keptCharts.serveFrom((encounterId) => this.live.kept(encounterId));
    this.subscription = this.bus.changes.subscribe((change) => this.broadcast(change));
    this.endings = this.sessions.ended.subscribe(({ sessionIds, reason }) =>
      sessionIds.forEach((id) => this.endSession(id, reason)),
    );
    this.sweeper = setInterval(() => void this.sweep(), this.config.session.sweepMs);
    this.sweeper.unref();
  }

  /**
   * A burst's edits for the room; their error count is stored for the worklist's "has errors"
   * (after the commands were acknowledged, never holding up the room).
   */
  private async editsCounted(encounter: Encounter): Promise<LiveEdits> {
    const generation = await this.errorCounts.currentGeneration();
    const edits = await this.chartEdits.liveEdits(encounter);
    this.errorCounts.record(edits, generation);
    return edits;
  }

  onModuleDestroy(): void {
    this.keptCharts.serveFrom(null);
    this.subscription?.unsubscribe();
    this.endings?.unsubscribe();
    if (this.sweeper) clearInterval(this.sweeper);
    this.live.close();
  }

  handleConnection(socket: LiveSocket): void {
    void socket.join(sessionRoom(socket.data.sessionId));
    socket.once('disconnect', () => this.limits.forgetSocket(socket.id));
    socket.on('disconnecting', () => {
      const rooms = [...socket.rooms].filter((room) => room.startsWith(ROOM_PREFIX));
      socket.once('disconnect', () =>
        rooms.forEach(
          (room) =>
            // Another instance that went away mid-shutdown never answers; presence heals on the next change.
            void this.broadcastPresence(room).catch((error: unknown) =>
              this.logger.warn(
                `presence after a disconnect: ${error instanceof Error ? error.message : String(error)}`,
              ),
            ),
        ),
      );
    });
  }

  @SubscribeMessage('room:join')
  join(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<Ack<RoomSnapshot>> {
    return this.admission.run(socket, false, async (user) => {
      const { encounterId, afterSeq } = parseOrThrow(RoomJoinSchema, body);
      // Scoped read first, so a socket never joins a room of another organization.
      await this.encounters.get(user, encounterId);
      // Logged before the socket joins: a read the log could not record is no read at all.
      await this.chartReads.record(user, encounterId, 'socket room:join');
      const room = encounterRoom(encounterId);
      // Join before reading the state: an event committed in between arrives as a message
      // and the client drops it when its seq is not above the snapshot's.
      await socket.join(room);
      const encounter = await this.encounters.get(user, encounterId);
      this.live.seen(encounter);
      const [presence, edits] = await Promise.all([
        this.broadcastPresence(room),
        this.chartEdits.liveEdits(encounter),
      ]);
      const snapshot = { encounter, seq: encounter.version, presence, edits };
      if (afterSeq === undefined || afterSeq > encounter.version) return snapshot;
      const events = (await this.encounters.eventsAfter(user, encounterId, afterSeq)).filter(
        (e) => e.seq <= encounter.version,
      );
      return { ...snapshot, events };
    });
  }

  @SubscribeMessage('room:leave')
  leave(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): Promise<Ack<null>> {
    return this.admission.run(socket, false, async () => {
      const { encounterId } = parseOrThrow(RoomRequestSchema, body);
      const room = encounterRoom(encounterId);
      delete socket.data.focus[encounterId];
      await socket.leave(room);
      await this.broadcastPresence(room);
      return null;
    });
  }

  @SubscribeMessage('room:catch-up')
  catchUp(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<Ack<{ events: EncounterEvent[] }>> {
    return this.admission.run(socket, false, async (user) => {
      const { encounterId, afterSeq } = parseOrThrow(CatchUpRequestSchema, body);
      const events = await this.encounters.eventsAfter(user, encounterId, afterSeq);
      await this.chartReads.record(user, encounterId, 'socket room:catch-up');
      return { events };
    });
  }

  /** The worklist page's socket asks for its organization's row changes. */
  @SubscribeMessage('worklist:watch')
  watchWorklist(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<Ack<null>> {
    return this.admission.run(socket, false, async (user) => {
      parseOrThrow(WorklistWatchSchema, body);
      await socket.join(worklistRoom(user.organizationId));
      return null;
    });
  }

  @SubscribeMessage('presence:focus')
  async focus(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): Promise<void> {
    if (!(await this.admission.admitQuietly(socket))) return;
    const parsed = PresenceFocusSchema.safeParse(body);
    const room = parsed.success ? encounterRoom(parsed.data.encounterId) : null;
    if (!parsed.success || !room || !socket.rooms.has(room)) return;
    socket.data.focus[parsed.data.encounterId] = parsed.data.lineId;
    await this.broadcastPresence(room);
  }

  @SubscribeMessage('line:add')
  addLine(@ConnectedSocket() s: LiveSocket, @MessageBody() body: unknown) {
    return this.command(
      s,
      LineAddCommandSchema,
      body,
      (u, c, m) => this.encounters.addLine(u, c.encounterId, c.line, c.index, m),
      'line',
    );
  }

  @SubscribeMessage('line:update')
  updateLine(@ConnectedSocket() s: LiveSocket, @MessageBody() body: unknown) {
    return this.command(
      s,
      LineUpdateCommandSchema,
      body,
      (u, c, m) => this.encounters.updateLine(u, c.encounterId, c.lineId, c.patch, m),
      'line',
    );
  }

  @SubscribeMessage('line:remove')
  removeLine(@ConnectedSocket() s: LiveSocket, @MessageBody() body: unknown) {
    return this.command(
      s,
      LineRemoveCommandSchema,
      body,
      (u, c, m) => this.encounters.removeLine(u, c.encounterId, c.lineId, m),
      'line',
    );
  }

  @SubscribeMessage('review:accept')
  acceptLine(@ConnectedSocket() s: LiveSocket, @MessageBody() body: unknown) {
    return this.command(s, ReviewAcceptCommandSchema, body, (u, c, m) =>
      this.review.accept(u, c.encounterId, c.lineId, m),
    );
  }

  @SubscribeMessage('review:reject')
  rejectLine(@ConnectedSocket() s: LiveSocket, @MessageBody() body: unknown) {
    return this.command(s, ReviewRejectCommandSchema, body, (u, c, m) =>
      this.review.reject(u, c.encounterId, c.lineId, c.category, c.comment, m),
    );
  }

  @SubscribeMessage('review:suggest')
  suggest(@ConnectedSocket() s: LiveSocket, @MessageBody() body: unknown) {
    return this.command(s, ReviewSuggestCommandSchema, body, (u, c, m) =>
      this.review.suggest(
        u,
        c.encounterId,
        c.lineId,
        c.patch,
        c.category,
        c.comment,
        c.precedentNumber,
        m,
      ),
    );
  }

  @SubscribeMessage('review:add-missed')
  addMissed(@ConnectedSocket() s: LiveSocket, @MessageBody() body: unknown) {
    return this.command(s, ReviewAddMissedCommandSchema, body, (u, c, m) =>
      this.review.addMissed(u, c.encounterId, c.line, c.comment, m),
    );
  }

  @SubscribeMessage('suggestion:answer')
  answer(@ConnectedSocket() s: LiveSocket, @MessageBody() body: unknown) {
    return this.command(s, SuggestionAnswerCommandSchema, body, (u, c, m) =>
      this.suggestions.answer(u, c.encounterId, c.suggestionId, c.answer, c.comment, m),
    );
  }

  @SubscribeMessage('suggestion:withdraw')
  withdraw(@ConnectedSocket() s: LiveSocket, @MessageBody() body: unknown) {
    return this.command(s, SuggestionWithdrawCommandSchema, body, (u, c, m) =>
      this.suggestions.withdraw(u, c.encounterId, c.suggestionId, m),
    );
  }

  @SubscribeMessage('suggestion:escalate')
  escalate(@ConnectedSocket() s: LiveSocket, @MessageBody() body: unknown) {
    return this.command(s, SuggestionEscalateCommandSchema, body, (u, c, m) =>
      this.suggestions.escalate(u, c.encounterId, c.suggestionId, c.comment, m),
    );
  }

  @SubscribeMessage('suggestion:decide')
  decide(@ConnectedSocket() s: LiveSocket, @MessageBody() body: unknown) {
    return this.command(s, SuggestionDecideCommandSchema, body, (u, c, m) =>
      this.suggestions.decide(u, c.encounterId, c.suggestionId, c.decision, c.reason, m),
    );
  }

  @SubscribeMessage('comment:add')
  comment(@ConnectedSocket() s: LiveSocket, @MessageBody() body: unknown) {
    return this.command(s, CommentAddCommandSchema, body, (u, c, m) =>
      this.comments.comment(u, c.encounterId, c, m),
    );
  }

  @SubscribeMessage('thread:resolve')
  resolve(@ConnectedSocket() s: LiveSocket, @MessageBody() body: unknown) {
    return this.command(s, ThreadResolveCommandSchema, body, (u, c, m) =>
      this.comments.resolve(u, c.encounterId, c.threadId, c.resolved, m),
    );
  }

  @SubscribeMessage('encounter:transition')
  transition(@ConnectedSocket() s: LiveSocket, @MessageBody() body: unknown) {
    return this.command(s, TransitionCommandSchema, body, (u, c, m) =>
      this.review.transition(u, c.encounterId, c.transition, c.reason, m),
    );
  }

  @SubscribeMessage('finding:acknowledge')
  acknowledge(@ConnectedSocket() s: LiveSocket, @MessageBody() body: unknown) {
    return this.command(s, FindingAcknowledgeCommandSchema, body, (u, c, m) =>
      this.review.acknowledge(u, c.encounterId, c.findingId, c.reason, m),
    );
  }

  /**
   * A command: admitted (limits, open session, fresh user), validated input, one service call,
   * acknowledged with the event's seq after commit. A line command (`line`, the live edit path)
   * has its session checked inside its own transaction, sent with the row lock, and acts as the
   * user that check answers.
   */
  private command<S extends z.ZodType<CommandBase>>(
    socket: LiveSocket,
    schema: S,
    body: unknown,
    run: (user: SessionUser, command: z.output<S>, meta: CommandMeta) => Promise<CommandOutcome>,
    kind: 'line' | 'other' = 'other',
  ): Promise<Ack<CommandResult>> {
    if (kind === 'line')
      return this.admission.runChecking(socket, true, (user, session) =>
        this.handle(schema, body, run, user, session),
      );
    return this.admission.run(socket, true, (user) => this.handle(schema, body, run, user));
  }

  private async handle<S extends z.ZodType<CommandBase>>(
    schema: S,
    body: unknown,
    run: (user: SessionUser, command: z.output<S>, meta: CommandMeta) => Promise<CommandOutcome>,
    user: SessionUser,
    session?: CommandMeta['session'],
  ): Promise<CommandResult> {
    const command = parseOrThrow(schema, body);
    const { event, duplicate } = await run(user, command, {
      baseVersion: command.baseVersion,
      opId: command.opId,
      command,
      session,
    });
    return { seq: event.seq, duplicate };
  }

  /** Tells a session's sockets, on every instance, that it ended, and disconnects them. */
  private endSession(sessionId: string, reason: SessionEndReason): void {
    this.server.to(sessionRoom(sessionId)).emit('session:ended', { reason });
    this.server.in(sessionRoom(sessionId)).disconnectSockets(true);
  }

  /**
   * This instance's sockets whose session ended without anyone ending it here: past its
   * lifetime or idle period, its user deleted or deactivated elsewhere, or its role changed
   * directly in the database. One query per tick for all of them.
   */
  private sweeping = false;
  private async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const sockets = [...this.server.sockets.sockets.values()] as LiveSocket[];
      // Each session with the role its (first) socket acts with: Postgres answers only for the
      // sessions that ended or whose role moved.
      const expected = new Map<string, SessionUser['role']>();
      for (const socket of sockets)
        if (socket.data.sessionId && !expected.has(socket.data.sessionId))
          expected.set(socket.data.sessionId, socket.data.user.role);
      if (expected.size === 0) return;
      const { changedRoles, ended } = await this.sessions.stillOpen(expected);
      for (const socket of sockets) {
        const sessionId = socket.data.sessionId;
        if (!sessionId) continue;
        const reason = ended.get(sessionId);
        if (reason) this.endSocket(socket, reason);
        else if ((changedRoles.get(sessionId) ?? expected.get(sessionId)) !== socket.data.user.role)
          this.endSocket(socket, 'role_changed');
      }
    } catch (error) {
      // The database is away: sessions cannot be checked, and every command is refused anyway.
      this.logger.warn(
        `session sweep skipped: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      this.sweeping = false;
    }
  }

  private endSocket(socket: LiveSocket, reason: SessionEndReason): void {
    socket.emit('session:ended', { reason });
    socket.disconnect(true);
  }

  /**
   * The event to its room at once: one emit, encoded once for every socket of the room (and
   * once for Redis). The chart's edits and worklist row follow later, coalesced, so neither
   * the acknowledgement nor the next command waits for them.
   */
  private broadcast(change: CommittedChange): void {
    this.server.to(encounterRoom(change.event.encounterId)).emit('encounter:event', change.event);
    this.live.committed(change);
  }

  /** Who is in the room across every instance; one entry per person however many tabs. */
  private async broadcastPresence(room: string): Promise<PresenceMember[]> {
    const encounterId = room.slice(ROOM_PREFIX.length);
    const sockets = await this.server.in(room).fetchSockets();
    const members = new Map<string, PresenceMember>();
    for (const s of sockets) {
      const user = s.data.user;
      if (!user) continue;
      const focusLineId = s.data.focus?.[encounterId] ?? null;
      const known = members.get(user.id);
      if (!known)
        members.set(user.id, { userId: user.id, name: user.name, role: user.role, focusLineId });
      else if (!known.focusLineId && focusLineId) known.focusLineId = focusLineId;
    }
    const list = [...members.values()].sort((a, b) => a.name.localeCompare(b.name));
    this.server.to(room).emit('presence:changed', { encounterId, members: list });
    return list;
  }
}
