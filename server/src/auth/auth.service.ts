import { Inject, Injectable } from '@nestjs/common';
import type { LoginRequest, SessionResponse, SessionUser } from '@countersign/shared';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DomainError } from '../errors/domain-error.js';
import { UsersService } from '../users/users.service.js';
import { decoyHash, verifyPassword } from './password.js';
import { signSessionToken, verifySessionToken } from './session-token.js';

/** A session as issued: the token for the cookie and what the client is told. */
export interface IssuedSession extends SessionResponse {
  token: string;
  maxAgeMs: number;
}

const FAILED_LOGIN_LIMIT = 10;
const FAILED_LOGIN_WINDOW_MS = 15 * 60_000;

/** Logs people in and turns session tokens back into users. */
@Injectable()
export class AuthService {
  /** Failed attempts per email in this instance; a brake on guessing, not an account lock. */
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(UsersService) private readonly users: UsersService,
  ) {}

  async login(request: LoginRequest): Promise<IssuedSession> {
    this.assertNotThrottled(request.email);
    const user = await this.users.findForLogin(request.email);
    const valid = await verifyPassword(user?.passwordHash ?? (await decoyHash()), request.password);
    if (!user || !valid) {
      this.recordFailure(request.email);
      throw new DomainError('invalid_credentials', 'Email or password is not right');
    }
    this.failures.delete(request.email);
    await this.users.recordLogin(user.id);
    const sessionUser = await this.users.sessionUser(user.id, user.organizationId);
    if (!sessionUser) throw new DomainError('invalid_credentials', 'Email or password is not right');
    return this.issue(sessionUser);
  }

  /** A fresh token for a user who is signed in. */
  issue(user: SessionUser): IssuedSession {
    const now = Math.floor(Date.now() / 1000);
    const ttl = this.config.session.ttlMinutes * 60;
    const token = signSessionToken({ sub: user.id, org: user.organizationId, iat: now, exp: now + ttl }, this.config.session.secret);
    return { token, user, expiresAt: new Date((now + ttl) * 1000).toISOString(), maxAgeMs: ttl * 1000 };
  }

  /** The user a token belongs to, read fresh from the database; null when the token is not valid. */
  async authenticate(token: string | undefined): Promise<{ user: SessionUser; issuedAt: number; expiresAt: number } | null> {
    const claims = verifySessionToken(token, this.config.session.secret);
    if (!claims) return null;
    const user = await this.users.sessionUser(claims.sub, claims.org);
    return user ? { user, issuedAt: claims.iat, expiresAt: claims.exp } : null;
  }

  /** Past half its life a token is renewed, so an active user is never logged out mid-review. */
  needsRenewal(issuedAt: number, expiresAt: number, nowSeconds = Date.now() / 1000): boolean {
    return nowSeconds - issuedAt > (expiresAt - issuedAt) / 2;
  }

  private assertNotThrottled(email: string): void {
    const entry = this.failures.get(email);
    if (!entry) return;
    if (Date.now() - entry.since > FAILED_LOGIN_WINDOW_MS) {
      this.failures.delete(email);
      return;
    }
    if (entry.count >= FAILED_LOGIN_LIMIT) {
      throw new DomainError('rate_limited', 'Too many failed sign-ins for this email; try again in 15 minutes');
    }
  }

  private recordFailure(email: string): void {
    const entry = this.failures.get(email);
    if (entry && Date.now() - entry.since <= FAILED_LOGIN_WINDOW_MS) entry.count += 1;
    else this.failures.set(email, { count: 1, since: Date.now() });
  }
}
