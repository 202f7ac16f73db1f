import { Logger, type INestApplication } from '@nestjs/common';
import { HTTP_STATUS_BY_CODE } from '@countersign/shared';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import helmet from 'helmet';
import type { AppConfig } from '../config/config.js';
import { DomainError } from '../errors/domain-error.js';
import { type OriginPolicy } from './origin-policy.js';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Routes whose body is a file, not JSON (the catalogue import streams it itself). */
const RAW_BODY_ROUTES: ReadonlyArray<{ method: string; path: RegExp; types: readonly string[] }> = [
  {
    method: 'POST',
    path: /^\/api\/catalog\/imports\/?$/,
    types: ['application/octet-stream', 'application/gzip', 'application/x-gzip'],
  },
  {
    method: 'POST',
    path: /^\/api\/encounter-imports\/?$/,
    types: ['text/csv', 'application/fhir+json'],
  },
];

function rawBodyRoute(request: Request) {
  return RAW_BODY_ROUTES.find(
    (route) => route.method === request.method && route.path.test(request.path),
  );
}

/**
 * The web edge, in order, before any route: security headers (helmet with a CSP the built
 * client runs under, HSTS when cookies are secure), `Cache-Control: no-store` on the API,
 * the Origin allow-list on writes, JSON-only write bodies, and the JSON parser whose
 * failures leave as typed errors (413 `payload_too_large`, 400 `validation_failed`).
 */
export function useWebEdge(app: INestApplication, config: AppConfig, origins: OriginPolicy): void {
  app.use(securityHeaders(config));
  app.use(noStoreOnApi);
  app.use(originCheck(origins));
  app.use(jsonOnlyWrites);
  app.use(jsonBody(config.web.bodyLimit));
}

/** helmet: CSP with scripts from our own origin only, no framing, no sniffing, HSTS over HTTPS. */
export function securityHeaders(config: AppConfig): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        // Angular adds component styles as <style> elements at run time.
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    strictTransportSecurity: config.session.secureCookie
      ? { maxAge: 31_536_000, includeSubDomains: true }
      : false,
    referrerPolicy: { policy: 'same-origin' },
    frameguard: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
}

/** API answers carry patient data: no browser or proxy keeps a copy. */
function noStoreOnApi(request: Request, response: Response, next: NextFunction): void {
  if (request.path.startsWith('/api')) {
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Pragma', 'no-cache');
  }
  next();
}

function originCheck(origins: OriginPolicy): RequestHandler {
  return (request, response, next) => {
    if (!WRITE_METHODS.has(request.method) || origins.allows(request.headers)) return next();
    sendError(
      response,
      new DomainError('origin_not_allowed', 'This origin may not change anything here'),
    );
  };
}

/**
 * A write's body is JSON (a few routes take a file): HTML forms and `text/plain` posts, which
 * a foreign page can send without asking, are refused with 415 before anything reads them.
 */
function jsonOnlyWrites(request: Request, response: Response, next: NextFunction): void {
  if (!WRITE_METHODS.has(request.method)) return next();
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const hasBody =
    request.headers['transfer-encoding'] !== undefined ||
    Number(request.headers['content-length'] ?? 0) > 0;
  if (!type && !hasBody) return next();
  const raw = rawBodyRoute(request);
  const accepted = raw ? raw.types : ['application/json'];
  if (accepted.includes(type)) return next();
  sendError(
    response,
    new DomainError('unsupported_media_type', `Send the body as ${accepted.join(' or ')}`),
  );
}

/** express.json, with its errors answered as typed errors instead of reaching the framework. */
function jsonBody(limit: string): RequestHandler {
  const parse = express.json({ limit, strict: true });
  return (request, response, next) => {
    parse(request, response, (error?: unknown) => {
      if (error === undefined || error === null) return next();
      sendError(response, bodyError(error, limit));
    });
  };
}

function bodyError(error: unknown, limit: string): DomainError {
  const type = (error as { type?: unknown }).type;
  if (type === 'entity.too.large')
    return new DomainError('payload_too_large', `The body is larger than ${limit}`);
  if (type === 'encoding.unsupported' || type === 'charset.unsupported')
    return new DomainError('unsupported_media_type', 'Send the body as UTF-8 JSON');
  return new DomainError('validation_failed', 'The body is not valid JSON');
}

const log = new Logger('Http');

/**
 * Writes a typed error body with its status, for middleware that answers before Nest's
 * routes; logged like every request, by method and code (never the URL or the body).
 */
export function sendError(response: Response, error: DomainError): void {
  if (response.headersSent) return;
  const status = HTTP_STATUS_BY_CODE[error.code];
  log.log({
    msg: 'request',
    method: response.req.method,
    route: '(edge)',
    status,
    code: error.code,
  });
  response.status(status).json(error.toBody());
}
