/**
 * Every error code a client can see. Clients branch on `code`; people read `message`.
 * A code is never renamed once shipped: add a new one instead.
 */
export const ERROR_CODES = [
  'validation_failed',
  'unauthenticated',
  'invalid_credentials',
  'forbidden',
  'not_found',
  'conflict',
  'invalid_state',
  'rate_limited',
  'unavailable',
  'internal',
  /** The request body is larger than the server accepts (413). */
  'payload_too_large',
  /** A REST write came without `If-Match` naming the version it was made against (428). */
  'precondition_required',
  /** A write whose body is not `application/json` (415). */
  'unsupported_media_type',
  /** A write or a socket handshake from a web page of an origin not on the allow-list (403). */
  'origin_not_allowed',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The one error body the HTTP filter and the socket ack mapper produce. */
export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** HTTP status for each code, so the server's filter and the client agree on one table. */
export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_state: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
  payload_too_large: 413,
  precondition_required: 428,
  unsupported_media_type: 415,
  origin_not_allowed: 403,
};

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiErrorBody).code === 'string' &&
    (ERROR_CODES as readonly string[]).includes((value as ApiErrorBody).code) &&
    typeof (value as ApiErrorBody).message === 'string'
  );
}
