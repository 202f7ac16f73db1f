import type { Request } from 'express';
import { DomainError } from '../errors/domain-error.js';

/**
 * The whole body of a file upload as UTF-8 text, refused past `limit` bytes (413, before
 * reading when Content-Length says so) or when it is not UTF-8 (400).
 */
export async function readTextBody(request: Request, limit: number): Promise<string> {
  const tooLarge = () =>
    new DomainError('payload_too_large', `The file is larger than ${limit / (1024 * 1024)} MB`);
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      request.resume();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new DomainError('validation_failed', 'The file is not UTF-8 text');
  }
}
