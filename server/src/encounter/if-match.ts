import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { IfMatchSchema } from '@countersign/shared';
import type { Request } from 'express';
import { DomainError } from '../errors/domain-error.js';
import type { CommandMeta } from './encounter.service.js';

/**
 * The version a REST change was made against, from `If-Match: "<version>"`. Required on every
 * change to an encounter, so two people never silently overwrite each other: without it the
 * answer is 428 `precondition_required`; an empty or malformed one is 400; a stale one is then
 * refused by the writer with 409 `conflict`, like a stale socket command.
 */
export function readIfMatch(header: string | string[] | undefined): CommandMeta {
  if (header === undefined) {
    throw new DomainError(
      'precondition_required',
      'Send If-Match with the encounter version you saw, e.g. If-Match: "12"',
    );
  }
  const result = IfMatchSchema.safeParse(Array.isArray(header) ? header.join(',') : header);
  if (!result.success) {
    const message =
      result.error.issues[0]?.message ??
      'If-Match must be the encounter version you saw, e.g. "12"';
    throw new DomainError('validation_failed', `If-Match: ${message}`, {
      issues: [{ path: 'headers.if-match', message }],
    });
  }
  return { baseVersion: result.data };
}

/** `@IfMatch() meta: CommandMeta` in a controller: see readIfMatch. */
export const IfMatch = createParamDecorator(
  (_data: unknown, context: ExecutionContext): CommandMeta =>
    readIfMatch(context.switchToHttp().getRequest<Request>().headers['if-match']),
);
