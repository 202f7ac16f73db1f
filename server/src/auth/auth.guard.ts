import {
  Inject,
  Injectable,
  SetMetadata,
  createParamDecorator,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { SessionUser } from '@countersign/shared';
import type { Request } from 'express';
import { DomainError } from '../errors/domain-error.js';
import { LimitsService } from '../limits/limits.service.js';
import { AuthService } from './auth.service.js';
import { readSessionCookie } from './session-cookie.js';
import type { OpenSession } from './sessions.service.js';

const PUBLIC_ROUTE = 'countersign:public';
/** Marks a route that needs no session (login, health, docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

type AuthenticatedRequest = Request & { user?: SessionUser; session?: OpenSession };

/** The signed-in user of an HTTP request, set by the global AuthGuard. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): SessionUser => {
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (!user) throw new DomainError('unauthenticated', 'Sign in first');
    return user;
  },
);

/** The open session of an HTTP request, set by the global AuthGuard. */
export const CurrentSession = createParamDecorator(
  (_data: unknown, context: ExecutionContext): OpenSession => {
    const session = context.switchToHttp().getRequest<AuthenticatedRequest>().session;
    if (!session) throw new DomainError('unauthenticated', 'Sign in first');
    return session;
  },
);

/**
 * Global guard: every route needs an open session (checked against its row on every request)
 * unless marked @Public(), and every request counts against a rate limit: per user when
 * signed in, per source address otherwise.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(LimitsService) private readonly limits: LimitsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (
      this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [
        context.getHandler(),
        context.getClass(),
      ])
    ) {
      await this.limits.consumeRequest({ address: sourceAddress(request) });
      return true;
    }
    const session = await this.auth.authenticate(readSessionCookie(request.headers.cookie));
    if (!session) {
      await this.limits.consumeRequest({ address: sourceAddress(request) });
      throw new DomainError('unauthenticated', 'Your session has ended; sign in again');
    }
    await this.limits.consumeRequest({ userId: session.user.id });
    request.user = session.user;
    request.session = session;
    return true;
  }
}

/** The client's address (Express resolves X-Forwarded-For only from trusted proxies). */
export function sourceAddress(request: Pick<Request, 'ip' | 'socket'>): string {
  return request.ip ?? request.socket.remoteAddress ?? 'unknown';
}

/** The user a request was authenticated as, for middleware that logs it. */
export function requestUser(request: Request): SessionUser | undefined {
  return (request as AuthenticatedRequest).user;
}
