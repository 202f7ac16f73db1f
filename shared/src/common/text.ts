import { z } from 'zod';

/**
 * The primitives every schema builds on, so that what Postgres cannot store or compare is
 * refused at the edge with `validation_failed` and a field path, never by the database
 * with a 500: text without NUL bytes or lone UTF-16 surrogates, real calendar dates in a
 * sane range, integers within Postgres' `integer`/`bigint`.
 */

/** Largest Postgres `integer` (int4): versions, sequence numbers, units, offsets. */
export const PG_INT_MAX = 2_147_483_647;

/** Largest id a Postgres `bigserial` hands out, as a decimal string. */
export const PG_BIGINT_MAX = 9_223_372_036_854_775_807n;

/** Birth and service dates outside this range are typing mistakes (DOMAIN: 1900 to 2100). */
export const MIN_DATE = '1900-01-01';
export const MAX_DATE = '2100-12-31';

// A NUL byte, or a high surrogate not followed by a low one, or a low one not preceded by a high one.
// eslint-disable-next-line no-control-regex -- the NUL byte is exactly what Postgres text cannot hold
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when Postgres can store `value` as text and it is well-formed Unicode. */
export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/**
 * Text a person or a client sent: a string without NUL bytes or lone surrogates. Chain
 * `.trim()`, `.min()`, `.max()` on it as on `z.string()`.
 */
export function text() {
  return z
    .string()
    .refine(
      isStorableText,
      'Contains a character that cannot be stored (a NUL byte or a broken surrogate pair)',
    );
}

/** True when `value` is `YYYY-MM-DD`, a real calendar day. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** A calendar date, `YYYY-MM-DD`, checked to exist and to lie between 1900-01-01 and 2100-12-31. */
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use the form YYYY-MM-DD')
  .refine(isCalendarDate, 'Not a calendar date')
  .refine(
    (value) => !isCalendarDate(value) || (value >= MIN_DATE && value <= MAX_DATE),
    `Must be between ${MIN_DATE} and ${MAX_DATE}`,
  );

/** A whole number that fits a Postgres `integer`, at least `min` (0 by default). */
export function pgInt(min = 0) {
  return z
    .number()
    .int('Must be a whole number')
    .min(min)
    .max(PG_INT_MAX, `Must be at most ${PG_INT_MAX}`);
}

/** The same, from a query string or header (`"12"`). */
export function pgIntFromString(min = 0) {
  return z.coerce
    .number()
    .int('Must be a whole number')
    .min(min)
    .max(PG_INT_MAX, `Must be at most ${PG_INT_MAX}`);
}

/** A `bigserial` id in a path (`/imports/42`): digits only, 1 up to the largest bigint. */
export const BigIdSchema = z
  .string()
  .regex(/^[1-9]\d{0,18}$/, 'Not an id')
  .refine((value) => /^\d+$/.test(value) && BigInt(value) <= PG_BIGINT_MAX, 'Not an id');

/**
 * The `If-Match` header of a REST write: the encounter version the change was made against,
 * `"12"` (quotes and a weak `W/` prefix allowed). Empty or anything else is refused; it is
 * never read as version 0.
 */
export const IfMatchSchema = z
  .string()
  .trim()
  .regex(
    /^(W\/)?("\d{1,10}"|\d{1,10})$/,
    'If-Match must be the encounter version you saw, e.g. "12"',
  )
  .transform((value) => Number(value.replace(/^W\//, '').replace(/"/g, '')))
  .pipe(pgInt());
