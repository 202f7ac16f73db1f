import { Inject, Injectable } from '@nestjs/common';
import type {
  LoginRequest,
  PasswordLinkInfo,
  SessionResponse,
  SetPasswordRequest,
  SetPasswordResponse,
} from '@countersign/shared';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DomainError } from '../errors/domain-error.js';
import { PasswordLinksService, linkNotUsable } from '../users/password-links.service.js';
import { UsersService } from '../users/users.service.js';
import { LoginBrake } from './login-brake.js';
import { decoyHash, hashPassword, verifyPassword } from './password.js';
import { signSessionToken, verifySessionToken } from './session-token.js';
import { SessionsService, type OpenSession } from './sessions.service.js';

/** A session as issued: the token for the cookie and what the client is told. */
export interface IssuedSession extends SessionResponse {
  token: string;
  maxAgeMs: number;
}

/**
 * The login brake's account key for set-password links: a wrong token counts against the
 * source address like a wrong password, and names no account (a token names none).
 */
const LINK_BRAKE_KEY = 'set-password-link';

/** Logs people in and out, and turns session tokens back into open sessions. */
@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(LoginBrake) private readonly brake: LoginBrake,
    @Inject(PasswordLinksService) private readonly links: PasswordLinksService,
  ) {}

  /** Checks the password (braked per account and address), then opens a session row. */
  async login(request: LoginRequest, address: string): Promise<IssuedSession> {
    await this.brake.check(request.email, address);
    const user = await this.users.findForLogin(request.email);
    // No password yet (added, or reset, and the link not used): the decoy, which matches nothing.
    const valid = await verifyPassword(user?.passwordHash ?? (await decoyHash()), request.password);
    if (!user || !user.passwordHash || !valid || user.deactivatedAt) {
      await this.brake.failed(request.email, address);
      throw new DomainError('invalid_credentials', 'Email or password is not right');
    }
    await this.brake.succeeded(request.email, address);
    await this.users.recordLogin(user.id);
    const started = await this.sessions.start(user.id);
    const session = await this.sessions.find(started.id, user.id);
    if (!session) throw new DomainError('invalid_credentials', 'Email or password is not right');
    const now = Math.floor(Date.now() / 1000);
    const exp = Math.floor(session.expiresAt.getTime() / 1000);
    const token = signSessionToken(
      { sid: session.id, sub: user.id, org: user.organizationId, iat: now, exp },
      this.config.session.secret,
    );
    return { ...this.describe(session), token, maxAgeMs: (exp - now) * 1000 };
  }

  /** Whose account a set-password link opens; braked like sign-in; one `not_found` for any link that does not work. */
  async passwordLink(token: string, address: string): Promise<PasswordLinkInfo> {
    await this.brake.check(LINK_BRAKE_KEY, address);
    const info = await this.links.describe(token);
    if (!info) {
      await this.brake.failed(LINK_BRAKE_KEY, address);
      throw linkNotUsable();
    }
    return info;
  }

  /**
   * Sets a password through a one-time link (hashed as at sign-in); the link is then used up.
   * Braked like sign-in; the answer for a link that does not work never says why.
   */
  async setPassword(request: SetPasswordRequest, address: string): Promise<SetPasswordResponse> {
    await this.brake.check(LINK_BRAKE_KEY, address);
    // A cheap look first, so a wrong token costs no argon2 hash.
    const usable = (await this.links.describe(request.token)) !== null;
    const done = usable
      ? await this.links.setPassword(request.token, await hashPassword(request.password))
      : null;
    if (!done) {
      await this.brake.failed(LINK_BRAKE_KEY, address);
      throw linkNotUsable();
    }
    return done;
  }

  /** Ends the session a token names (logout); a token that is not valid ends nothing. */
  async logout(token: string | undefined): Promise<void> {
    const claims = verifySessionToken(token, this.config.session.secret);
    if (claims) await this.sessions.end(claims.sid, 'logout');
  }

  /**
   * The open session a token names, read fresh from the database (user, role, organization);
   * null when the token is not valid or its session ended. `activity` restarts the idle clock.
   */
  async authenticate(
    token: string | undefined,
    options: { activity?: boolean | 'reported' } = {},
  ): Promise<OpenSession | null> {
    const claims = verifySessionToken(token, this.config.session.secret);
    if (!claims) return null;
    const session = await this.sessions.find(claims.sid, claims.sub, options);
    return session && session.user.organizationId === claims.org ? session : null;
  }

  /** What the client is told about its session. */
  describe(session: OpenSession): SessionResponse {
    return {
      user: session.user,
      expiresAt: session.expiresAt.toISOString(),
      idleExpiresAt: session.idleExpiresAt.toISOString(),
      idleTimeoutSeconds: this.sessions.idleSeconds,
      idleRemainingSeconds: Math.max(
        0,
        Math.floor((session.idleExpiresAt.getTime() - Date.now()) / 1000),
      ),
    };
  }
}
