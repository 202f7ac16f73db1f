import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  LoginRequestSchema,
  PasswordLinkInfoSchema,
  PasswordTokenSchema,
  SessionResponseSchema,
  SetPasswordRequestSchema,
  SetPasswordResponseSchema,
  type LoginRequest,
  type PasswordLinkInfo,
  type SessionResponse,
  type SetPasswordRequest,
  type SetPasswordResponse,
} from '@countersign/shared';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DomainError } from '../errors/domain-error.js';
import { ZodValidationPipe } from '../errors/zod-validation.pipe.js';
import { ApiZodBody, ApiZodResponse } from '../openapi/zod-openapi.js';
import { AuthService } from './auth.service.js';
import { CurrentSession, Public, sourceAddress } from './auth.guard.js';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from './session-cookie.js';
import type { OpenSession } from './sessions.service.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Signs in; the session token travels only in an httpOnly, SameSite cookie. Braked after failures. */
  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiZodBody(LoginRequestSchema)
  @ApiZodResponse(SessionResponseSchema)
  async login(
    @Body(new ZodValidationPipe(LoginRequestSchema)) body: LoginRequest,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionResponse> {
    const { token, maxAgeMs, ...session } = await this.auth.login(body, sourceAddress(request));
    setSessionCookie(response, this.config, token, maxAgeMs);
    return session;
  }

  /** Whose account a set-password link is for (name, organization), for the set-password page. */
  @Public()
  @Get('password-links/:token')
  @ApiZodResponse(PasswordLinkInfoSchema)
  passwordLink(
    @Param('token', new ZodValidationPipe(PasswordTokenSchema)) token: string,
    @Req() request: Request,
  ): Promise<PasswordLinkInfo> {
    return this.auth.passwordLink(token, sourceAddress(request));
  }

  /** Chooses a password through a one-time link an admin issued; braked like sign-in. */
  @Public()
  @Post('set-password')
  @HttpCode(200)
  @ApiZodBody(SetPasswordRequestSchema)
  @ApiZodResponse(SetPasswordResponseSchema)
  setPassword(
    @Body(new ZodValidationPipe(SetPasswordRequestSchema)) body: SetPasswordRequest,
    @Req() request: Request,
  ): Promise<SetPasswordResponse> {
    return this.auth.setPassword(body, sourceAddress(request));
  }

  /** Ends the session on the server (every tab and socket of it) and clears the cookie. */
  @Public()
  @Post('logout')
  @HttpCode(204)
  async logout(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    clearSessionCookie(response, this.config);
    await this.auth.logout(readSessionCookie(request.headers.cookie));
  }

  /** The current session, without counting as activity; 401 when it has ended. */
  @Get('session')
  @ApiZodResponse(SessionResponseSchema)
  session(@CurrentSession() session: OpenSession): SessionResponse {
    return this.auth.describe(session);
  }

  /** The person did something (keyboard, mouse): restarts the idle clock. The client calls it only on activity. */
  @Post('activity')
  @HttpCode(200)
  @ApiZodResponse(SessionResponseSchema)
  async activity(@Req() request: Request): Promise<SessionResponse> {
    const session = await this.auth.authenticate(readSessionCookie(request.headers.cookie), {
      activity: 'reported',
    });
    if (!session) throw new DomainError('unauthenticated', 'Your session has ended; sign in again');
    return this.auth.describe(session);
  }
}
