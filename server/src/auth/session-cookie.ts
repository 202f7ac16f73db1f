import { SESSION_COOKIE } from '@countersign/shared';
import { parseCookie } from 'cookie';
import type { Response } from 'express';
import type { AppConfig } from '../config/config.js';

/** The session token from a Cookie header, for HTTP requests and socket handshakes alike. */
export function readSessionCookie(cookieHeader: string | undefined): string | undefined {
  return cookieHeader ? parseCookie(cookieHeader)[SESSION_COOKIE] : undefined;
}

export function setSessionCookie(
  response: Response,
  config: AppConfig,
  token: string,
  maxAgeMs: number,
): void {
  response.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: config.session.secureCookie,
    path: '/',
    maxAge: maxAgeMs,
  });
}

export function clearSessionCookie(response: Response, config: AppConfig): void {
  response.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'strict',
    secure: config.session.secureCookie,
    path: '/',
  });
}
