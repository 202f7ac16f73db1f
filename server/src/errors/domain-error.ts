import type { ApiErrorBody, ErrorCode } from '@countersign/shared';

/**
 * The one error a feature throws. The HTTP filter and the socket ack mapper turn it into
 * `{ code, message, details? }`; clients branch on `code`, people read `message`.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  toBody(): ApiErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static notFound(what: string): DomainError {
    return new DomainError('not_found', `${what} was not found`);
  }

  static forbidden(message: string): DomainError {
    return new DomainError('forbidden', message);
  }
}
