import { HttpException, type Logger } from '@nestjs/common';
import type { ApiErrorBody, ErrorCode } from '@countersign/shared';
import { ZodError } from 'zod';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  isDatabaseUnavailable,
} from '../database/database-errors.js';
import { DomainError } from './domain-error.js';
import { describeError } from '../logging/redact.js';

const CODE_BY_HTTP_STATUS: Record<number, ErrorCode> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  428: 'precondition_required',
  429: 'rate_limited',
  503: 'unavailable',
};

/**
 * Maps anything thrown by a handler to the public error body: domain errors and validation
 * errors as they are, framework HTTP errors by status, everything else as `internal` (logged,
 * never shown).
 */
export function toErrorBody(error: unknown, logger: Pick<Logger, 'error'>): ApiErrorBody {
  if (error instanceof DomainError) return error.toBody();
  if (error instanceof ZodError) return validationBody(error);
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = CODE_BY_HTTP_STATUS[status] ?? (status >= 500 ? 'internal' : 'validation_failed');
    return { code, message: error.message };
  }
  if (isDatabaseUnavailable(error)) {
    // The driver's message only (no statement, no parameters): the database is away, not a bug.
    logger.error({ msg: 'database unavailable', ...describeError(error) });
    return {
      code: 'unavailable',
      message:
        'The database is not reachable right now; nothing was changed. Try again in a moment.',
      details: { retryAfter: DATABASE_RETRY_AFTER_SECONDS },
    };
  }
  logger.error({ msg: 'unhandled error', ...describeError(error) });
  return { code: 'internal', message: 'Something went wrong on the server; it has been logged.' };
}

/** A validation error lists every problem with its field path. */
export function validationBody(error: ZodError): ApiErrorBody {
  const issues = error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
  const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  return { code: 'validation_failed', message: summary || 'Invalid input', details: { issues } };
}

/** Seconds to wait before retrying, when the error body says so (`rate_limited`, `unavailable`). */
export function retryAfterSeconds(body: ApiErrorBody): number | null {
  const value = (body.details as { retryAfter?: unknown } | undefined)?.retryAfter;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.ceil(value) : null;
}
