import type { Logger } from '@nestjs/common';
import type { Ack } from '@countersign/shared';
import { toErrorBody } from '../errors/to-error-body.js';

/**
 * The socket twin of the HTTP error filter: a handler's result or error becomes the ack
 * `{ ok: true, data }` or `{ ok: false, error: { code, message, details? } }`.
 */
export async function toAck<T>(
  work: () => Promise<T>,
  logger: Pick<Logger, 'error'>,
): Promise<Ack<T>> {
  try {
    return { ok: true, data: await work() };
  } catch (error) {
    return { ok: false, error: toErrorBody(error, logger) };
  }
}
