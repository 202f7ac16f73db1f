import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a session token says: which session row, who, in which organization, until when (epoch seconds). */
export interface SessionClaims {
  sid: string;
  sub: string;
  org: string;
  iat: number;
  exp: number;
}

/**
 * A compact signed token, `base64url(claims).base64url(HMAC-SHA256)`, carried only in an
 * httpOnly cookie. The signature only proves the server issued it: the session row it names
 * is checked on every request and command, so ending the row ends the token at once.
 */
export function signSessionToken(claims: SessionClaims, secret: string): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${signature(body, secret)}`;
}

/** The claims of a valid, unexpired token, or null. */
export function verifySessionToken(
  token: string | undefined,
  secret: string,
  nowSeconds = Date.now() / 1000,
): SessionClaims | null {
  if (!token) return null;
  const [body, mac, extra] = token.split('.');
  if (!body || !mac || extra !== undefined) return null;
  const expected = Buffer.from(signature(body, secret));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const claims = JSON.parse(
      Buffer.from(body, 'base64url').toString('utf8'),
    ) as Partial<SessionClaims>;
    if (
      typeof claims.sid !== 'string' ||
      typeof claims.sub !== 'string' ||
      typeof claims.org !== 'string'
    )
      return null;
    if (
      typeof claims.exp !== 'number' ||
      typeof claims.iat !== 'number' ||
      claims.exp <= nowSeconds
    )
      return null;
    return claims as SessionClaims;
  } catch {
    return null;
  }
}

function signature(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}
