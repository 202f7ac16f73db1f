import { Body, Controller, Get, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { LoginRequestSchema, SessionResponseSchema, type LoginRequest, type SessionResponse, type SessionUser } from '@countersign/shared';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ZodValidationPipe } from '../errors/zod-validation.pipe.js';
import { ApiZodBody, ApiZodResponse } from '../openapi/zod-openapi.js';
import { AuthService } from './auth.service.js';
import { CurrentUser, Public } from './auth.guard.js';
import { clearSessionCookie, setSessionCookie } from './session-cookie.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Signs in; the session token travels only in an httpOnly, SameSite cookie. */
  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiZodBody(LoginRequestSchema)
  @ApiZodResponse(SessionResponseSchema)
  async login(
    @Body(new ZodValidationPipe(LoginRequestSchema)) body: LoginRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionResponse> {
    const session = await this.auth.login(body);
    setSessionCookie(response, this.config, session.token, session.maxAgeMs);
    return { user: session.user, expiresAt: session.expiresAt };
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  logout(@Res({ passthrough: true }) response: Response): void {
    clearSessionCookie(response, this.config);
  }

  /** The current session; 401 when signed out. */
  @Get('session')
  @ApiZodResponse(SessionResponseSchema)
  session(@CurrentUser() user: SessionUser, @Res({ passthrough: true }) response: Response): SessionResponse {
    const renewed = this.auth.issue(user);
    setSessionCookie(response, this.config, renewed.token, renewed.maxAgeMs);
    return { user, expiresAt: renewed.expiresAt };
  }
}
