import type { IncomingMessage } from 'node:http';

/**
 * Which web pages may act with a signed-in person's cookie: pages of the server's own origin
 * (the Origin's host is the Host the request was sent to) and the configured allow-list.
 * A request without an Origin header does not come from a web page's script or form (browsers
 * send Origin on every cross-origin request, every POST and every WebSocket handshake), so it
 * is not a cross-site forgery and passes; the session cookie still decides who it is.
 */
export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(allowedOrigins: readonly string[]) {
    this.allowed = new Set(allowedOrigins);
  }

  /** True when a request with these headers may write or open a socket. */
  allows(headers: IncomingMessage['headers']): boolean {
    const origin = headers.origin;
    if (origin === undefined) return true;
    if (this.allowed.has(origin)) return true;
    // Host, not X-Forwarded-Host: anyone can send the latter. A proxy that rewrites Host
    // needs its public origin in ALLOWED_ORIGINS.
    const host = headers.host;
    return typeof host === 'string' && hostOf(origin) === host.toLowerCase();
  }

  /** The socket.io `allowRequest` hook: refuses the handshake of a foreign page. */
  readonly allowRequest = (
    request: IncomingMessage,
    callback: (error: string | null | undefined, success: boolean) => void,
  ): void => {
    if (this.allows(request.headers)) callback(null, true);
    else callback('origin_not_allowed', false);
  };
}

/** `host[:port]` of an origin, lower case; null for `null` or anything that is not a URL. */
function hostOf(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.host.toLowerCase() : null;
  } catch {
    return null;
  }
}
