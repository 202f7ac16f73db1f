import { randomUUID } from 'node:crypto';
import fc from 'fast-check';

/**
 * Malformed inputs generated from JSON Schemas (the OpenAPI document's request schemas and the
 * socket event map's zod schemas): a plausible base value with at least one poisoned part, a
 * value that no declared field may accept (a NUL byte or a lone surrogate in a string, an
 * integer beyond Postgres' range or below zero, a deeply nested array, a missing required
 * field, a body of the wrong shape). Every input is malformed by construction, so the server
 * must refuse each one and change nothing.
 */

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  nullable?: boolean;
  default?: unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A nested array `depth` levels deep: refused by every declared field, and a test of the parser's stack. */
export function deepArray(depth: number): Json {
  let value: Json = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** A nested object `depth` levels deep. */
export function deepObject(depth: number): Json {
  let value: Json = {};
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

/** Poisons for a JSON value of the given schema type: each is invalid for any field of that type. */
export function jsonPoison(schema: JsonSchema, maxDepth: number): fc.Arbitrary<Json> {
  const strings = fc.constantFrom<Json>(
    '\u0000',
    'note\u0000text',
    '\uD800',
    'x\uDFFFy',
    'a\uD83D',
    `${'y'.repeat(300)}\u0000`,
    '\u0000'.repeat(1000),
  );
  const numbers = fc.constantFrom<Json>(
    2 ** 31,
    2 ** 31 + 1,
    2 ** 53 + 2,
    1e308,
    -1,
    -(2 ** 31) - 1,
    -1e308,
  );
  const deep = fc.integer({ min: 32, max: maxDepth }).map<Json>((depth) => deepArray(depth));
  const types = schemaTypes(schema);
  const options: Array<fc.Arbitrary<Json>> = [strings, deep];
  if (!types.has('string') || types.size > 1) options.push(numbers);
  if (types.has('integer')) options.push(fc.constantFrom<Json>(1.5, 0.1));
  return fc.oneof(...options);
}

/** Poisons for a value in a URL (path segment or query), already percent-encoded, by schema type. */
export function urlPoison(schema: JsonSchema): fc.Arbitrary<string> {
  const types = schemaTypes(schema);
  const nul = fc.constantFrom(
    '%00',
    'a%00b',
    '2026-03-02%00',
    `${'9'.repeat(20)}%00`,
    '%ED%A0%80%00',
    '%00%F0%9F',
  );
  if (types.has('integer') || types.has('number')) {
    return fc.oneof(
      nul,
      fc.constantFrom(
        '-1',
        '99999999999999999999',
        '1e400',
        '2147483648',
        '9223372036854775808',
        'NaN',
        'Infinity',
        '1.5',
        '0000-01-01',
      ),
    );
  }
  if (schema.format === 'date' || schema.pattern?.includes('\\d{4}')) {
    return fc.oneof(
      nul,
      fc.constantFrom(
        '0000-01-01',
        '2026-13-45',
        '2026-02-30',
        '1899-12-31',
        '2101-01-01',
        '99999-01-01',
      ),
    );
  }
  return nul;
}

/** The names of a schema's types, looking through anyOf/oneOf/allOf. */
function schemaTypes(schema: JsonSchema): Set<string> {
  const types = new Set<string>();
  const visit = (s: JsonSchema) => {
    if (Array.isArray(s.type)) s.type.forEach((t) => types.add(t));
    else if (s.type) types.add(s.type);
    if (s.enum || s.const !== undefined) types.add('string');
    [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])].forEach(visit);
  };
  visit(schema);
  return types;
}

/** A plausible value of `schema` to hide a poison in; `ids` supplies real uuids where a field wants one. */
export function sample(schema: JsonSchema, ids: () => string = randomUUID): Json {
  const variant =
    schema.anyOf?.find((s) => s.type !== 'null') ??
    schema.oneOf?.find((s) => s.type !== 'null') ??
    schema.allOf?.[0];
  if (variant && !schema.type) return sample(variant, ids);
  if (schema.default !== undefined) return schema.default as Json;
  if (schema.enum?.length) return schema.enum[0] as Json;
  if (schema.const !== undefined) return schema.const as Json;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const value: Record<string, Json> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {}))
        value[key] = sample(property, ids);
      return value;
    }
    case 'array':
      return schema.items && (schema.minItems ?? 0) > 0 ? [sample(schema.items, ids)] : [];
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, 1);
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'uuid') return ids();
      if (schema.format === 'email') return 'someone@example.org';
      if (schema.format === 'date' || schema.pattern?.includes('\\d{4}')) return '2026-03-02';
      return 'x';
    default:
      return null;
  }
}

/** A place inside a value where a declared field sits, with its schema. */
export interface FieldPath {
  path: Array<string | number>;
  schema: JsonSchema;
  required: boolean;
}

/** Every declared field of `schema`, nested objects and first array items included. */
export function fieldPaths(
  schema: JsonSchema,
  prefix: Array<string | number> = [],
  required = true,
): FieldPath[] {
  const variant =
    schema.anyOf?.find((s) => s.type !== 'null') ??
    schema.oneOf?.find((s) => s.type !== 'null') ??
    schema.allOf?.[0];
  const own = variant && !schema.type ? variant : schema;
  const out: FieldPath[] = prefix.length ? [{ path: prefix, schema, required }] : [];
  if (own.properties) {
    const needed = new Set(own.required ?? []);
    for (const [key, property] of Object.entries(own.properties))
      out.push(...fieldPaths(property, [...prefix, key], needed.has(key)));
  }
  if (own.items) out.push(...fieldPaths(own.items, [...prefix, 0], true));
  return out;
}

/** A copy of `value` with `path` set to `poison` (creating the objects and arrays on the way). */
export function setAt(value: Json, path: Array<string | number>, poison: Json): Json {
  if (!path.length) return poison;
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    const array = Array.isArray(value) ? [...value] : [];
    array[head] = setAt(array[head] ?? {}, rest, poison);
    return array;
  }
  const object = value && typeof value === 'object' && !Array.isArray(value) ? { ...value } : {};
  object[head!] = setAt(object[head!] ?? {}, rest, poison);
  return object;
}

/** A copy of `value` without the field at `path`. */
export function deleteAt(value: Json, path: Array<string | number>): Json {
  if (!value || typeof value !== 'object' || !path.length) return value;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const array = [...value];
    if (typeof head === 'number' && head < array.length)
      array[head] = rest.length ? deleteAt(array[head]!, rest) : array[head]!;
    return array;
  }
  const object = { ...value };
  if (!rest.length) delete object[head as string];
  else if ((head as string) in object)
    object[head as string] = deleteAt(object[head as string]!, rest);
  return object;
}

/** Extra fields a client might add: ignored by the schemas, but they must not break anything. */
export const extraFields: fc.Arbitrary<Record<string, Json>> = fc.dictionary(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'extra',
    'id',
    'organizationId',
    'version',
    'status',
    '\u0000',
    'a'.repeat(200),
  ),
  fc.oneof(
    fc.constant<Json>(null),
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.constant<Json>({ admin: true }),
  ),
  { maxKeys: 3 },
);
