import type { Logger } from '@nestjs/common';
import type { Ack, SessionUser } from '@countersign/shared';
import type { Socket } from 'socket.io';
import { TOUCH_AFTER_SECONDS, type SessionsService } from '../auth/sessions.service.js';
import type { LimitsConfig } from '../config/config.js';
import type { SessionCheck } from '../encounter/encounter-writer.js';
import type { SqlRunner } from '../database/live-pool.js';
import { DomainError } from '../errors/domain-error.js';
import type { LimitsService } from '../limits/limits.service.js';
import { toAck } from './socket-ack.js';

/** What the handshake puts on a socket for admission to use. */
export interface AdmittedSocketData {
  user: SessionUser;
  sessionId: string;
  /** Handlers of this socket that have not answered yet. */
  inFlight: number;
  /** When this socket's recent commands were refused (ms epoch), for the flood cut-off. */
  refusals: number[];
}

type AdmittedSocket = Socket<never, never, never, AdmittedSocketData>;

/**
 * The session check handed to a live edit, which runs it in its own transaction (sent with the
 * row lock, so it costs no round trip of its own): the session's user as they are now, or
 * `unauthenticated` (and the socket is disconnected) when the session ended.
 */
export type { SessionCheck };

/** Room of every socket of one session, on every instance. */
export function sessionRoom(sessionId: string): string {
  return `session:${sessionId}`;
}

const REFUSAL_WINDOW_MS = 10_000;

/**
 * What every socket handler passes before it runs, cheapest first: the socket's in-flight cap
 * (memory), its own rate (memory; a socket lives on one instance), the user's rate over every
 * socket and instance (Redis), then the session row (Postgres), which also gives the user as
 * the database has them now. Refusals are acked `rate_limited` with `details.retryAfter`; a
 * socket that keeps sending after many refusals is disconnected.
 */
export class SocketAdmission {
  /** Handlers running per user on this instance, over all their sockets (closed ones included until they answer). */
  private readonly inFlightByUser = new Map<string, number>();

  constructor(
    private readonly sessions: Pick<SessionsService, 'find' | 'idleSeconds'>,
    private readonly limits: Pick<LimitsService, 'consumeSocket' | 'consumeUserCommand'>,
    private readonly config: Pick<
      LimitsConfig,
      'socketMaxInFlight' | 'socketRefusalsBeforeDisconnect'
    >,
    private readonly logger: Pick<Logger, 'error' | 'warn'>,
  ) {}

  /** Runs `work` as the session's current user, or answers why not. `activity`: a person's action, restarts the idle clock. */
  run<T>(
    socket: AdmittedSocket,
    activity: boolean,
    work: (user: SessionUser) => Promise<T>,
  ): Promise<Ack<T>> {
    return this.admit(socket, async () => work(await this.checkSession(socket, activity)));
  }

  /**
   * Like `run` for a live edit, which checks the session itself with `check`, in its own
   * transaction before anything else; `user` is the socket's user for scoping until then. A
   * `work` that ends without checking (its input was refused first) is answered as `run` would:
   * an ended session is `unauthenticated` whatever else was wrong.
   */
  runChecking<T>(
    socket: AdmittedSocket,
    activity: boolean,
    work: (user: SessionUser, check: SessionCheck) => Promise<T>,
  ): Promise<Ack<T>> {
    return this.admit(socket, async () => {
      let checked = false;
      const check: SessionCheck = (runner: SqlRunner) => {
        checked = true;
        return this.checkSession(socket, activity, runner);
      };
      // A command written in one statement checks the session there (the same conditions,
      // with the role and name the socket acts with, and the idle clock restarted when due).
      check.inStatement = {
        sessionId: socket.data.sessionId,
        idleSeconds: this.sessions.idleSeconds,
        touch: activity,
        touchAfterSeconds: TOUCH_AFTER_SECONDS,
        checked: () => {
          checked = true;
        },
      };
      try {
        const result = await work(socket.data.user, check);
        if (!checked) await this.checkSession(socket, activity);
        return result;
      } catch (error) {
        if (!checked) await this.checkSession(socket, activity);
        throw error;
      }
    });
  }

  /** The session's user as the database has them now; `unauthenticated` (and a disconnect) when it ended. */
  private async checkSession(
    socket: AdmittedSocket,
    activity: boolean,
    runner?: SqlRunner,
  ): Promise<SessionUser> {
    const data = socket.data;
    const session = await this.sessions.find(data.sessionId, data.user.id, { activity, runner });
    // The socket is disconnected once this answer went out (`admit`).
    if (!session) throw new DomainError('unauthenticated', 'Your session has ended; sign in again');
    data.user = session.user;
    return session.user;
  }

  /** The limits, then `work`, answered as an ack. */
  private async admit<T>(socket: AdmittedSocket, work: () => Promise<T>): Promise<Ack<T>> {
    const data = socket.data;
    const userId = data.user.id;
    const userInFlight = this.inFlightByUser.get(userId) ?? 0;
    // Per user too: a user reconnecting to flood again cannot hold more of this instance's database pool.
    if (
      data.inFlight >= this.config.socketMaxInFlight ||
      userInFlight >= this.config.socketMaxInFlight
    ) {
      return this.refused(
        socket,
        new DomainError(
          'rate_limited',
          'Too many changes are waiting for an answer; wait for them first',
          { retryAfter: 1 },
        ),
      );
    }
    data.inFlight += 1;
    this.inFlightByUser.set(userId, userInFlight + 1);
    try {
      const ack = await toAck(async () => {
        await this.limits.consumeSocket(socket.id);
        await this.limits.consumeUserCommand(data.user.id);
        return work();
      }, this.logger);
      if (!ack.ok && ack.error.code === 'rate_limited') this.countRefusal(socket);
      // After the answer: the session ended (the check may have run inside a transaction, whose
      // rollback came after it).
      if (!ack.ok && ack.error.code === 'unauthenticated')
        setImmediate(() => socket.disconnect(true));
      return ack;
    } finally {
      data.inFlight -= 1;
      const left = (this.inFlightByUser.get(userId) ?? 1) - 1;
      if (left > 0) this.inFlightByUser.set(userId, left);
      else this.inFlightByUser.delete(userId);
    }
  }

  /** For handlers without an ack (presence): false when the socket is over a limit. */
  async admitQuietly(socket: AdmittedSocket): Promise<boolean> {
    const ack = await this.run(socket, false, () => Promise.resolve(true));
    return ack.ok;
  }

  private refused(socket: AdmittedSocket, error: DomainError): Ack<never> {
    this.countRefusal(socket);
    return { ok: false, error: error.toBody() };
  }

  private countRefusal(socket: AdmittedSocket): void {
    const now = Date.now();
    const recent = socket.data.refusals.filter((at) => now - at < REFUSAL_WINDOW_MS);
    recent.push(now);
    socket.data.refusals = recent;
    if (recent.length >= this.config.socketRefusalsBeforeDisconnect && socket.connected) {
      this.logger.warn(
        `disconnecting a socket of user ${socket.data.user.id} that kept sending after ${recent.length} refusals`,
      );
      // After the refusals already answered have gone out.
      setImmediate(() => socket.disconnect(true));
    }
  }
}
