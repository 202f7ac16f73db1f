import { Inject, Injectable, SetMetadata, createParamDecorator, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { SessionUser } from '@countersign/shared';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DomainError } from '../errors/domain-error.js';
import { AuthService } from './auth.service.js';
import { readSessionCookie, setSessionCookie } from './session-cookie.js';

const PUBLIC_ROUTE = 'countersign:public';
/** Marks a route that needs no session (login, health, docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

type AuthenticatedRequest = Request & { user?: SessionUser };

/** The signed-in user of an HTTP request, set by the global AuthGuard. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): SessionUser => {
  const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!user) throw new DomainError('unauthenticated', 'Sign in first');
  return user;
});

/** Global guard: every route needs a valid session cookie unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const session = await this.auth.authenticate(readSessionCookie(request.headers.cookie));
    if (!session) throw new DomainError('unauthenticated', 'Your session has ended; sign in again');
    request.user = session.user;
    if (this.auth.needsRenewal(session.issuedAt, session.expiresAt)) {
      const renewed = this.auth.issue(session.user);
      setSessionCookie(context.switchToHttp().getResponse<Response>(), this.config, renewed.token, renewed.maxAgeMs);
    }
    return true;
  }
}

/** The user a request was authenticated as, for middleware that logs it. */
export function requestUser(request: Request): SessionUser | undefined {
  return (request as AuthenticatedRequest).user;
}
