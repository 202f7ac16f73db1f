import { type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { DomainError } from './domain-error.js';
import { validationBody } from './to-error-body.js';

/** Validates a body or query against a shared zod schema; the parsed value is what the handler gets. */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    return parseOrThrow(this.schema, value);
  }
}

/** Parses `value` or throws a `validation_failed` domain error listing every problem. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const body = validationBody(result.error);
  throw new DomainError('validation_failed', body.message, body.details);
}
