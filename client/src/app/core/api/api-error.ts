import { HttpErrorResponse } from '@angular/common/http';
import { isApiErrorBody, type ApiErrorBody, type ErrorCode } from '@countersign/shared';
import { firstValueFrom, type Observable } from 'rxjs';

/**
 * A failed request or socket command in the one shape the server speaks: code branches on
 * `code`, people read `message`.
 */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static fromBody(body: ApiErrorBody): ApiError {
    return new ApiError(body.code, body.message, body.details);
  }
}

/** Turns whatever an HttpClient call, a socket ack or a timeout threw into an ApiError. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HttpErrorResponse) {
    if (isApiErrorBody(error.error)) return ApiError.fromBody(error.error);
    const parsed = typeof error.error === 'string' ? parseJson(error.error) : undefined;
    if (isApiErrorBody(parsed)) return ApiError.fromBody(parsed);
    if (error.status === 0)
      return new ApiError(
        'unavailable',
        'Cannot reach the server. Check your connection and try again.',
      );
    return new ApiError(
      'internal',
      `The server answered ${error.status} ${error.statusText}`.trim(),
    );
  }
  if (isApiErrorBody(error)) return ApiError.fromBody(error);
  if (error instanceof Error && /timed? ?out/i.test(error.message)) {
    return new ApiError(
      'unavailable',
      'The server did not answer in time; the change may not have been saved.',
    );
  }
  return new ApiError('internal', error instanceof Error ? error.message : 'Something went wrong.');
}

/** The body of a request made for text (a download) that failed: the server's JSON error, if it is one. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The body of one HttpClient call as a promise, which rejects with an ApiError. */
export async function apiRequest<T>(request: Observable<T>): Promise<T> {
  try {
    return await firstValueFrom(request);
  } catch (error) {
    throw toApiError(error);
  }
}
