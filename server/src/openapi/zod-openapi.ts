import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

/**
 * OpenAPI from the shared zod schemas: the same schema that validates a request documents it,
 * so the docs cannot drift from the code.
 */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output'): SchemaObject {
  const json = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io,
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

export const ApiZodBody = (schema: z.ZodType) =>
  ApiBody({ schema: openApiSchema(schema, 'input') });

export const ApiZodResponse = (schema: z.ZodType, status = 200) =>
  ApiResponse({ status, schema: openApiSchema(schema, 'output') });

/** One documented query parameter per key of an object schema (or of the object a refined or transformed one reads). */
export function ApiZodQuery(schema: z.ZodType) {
  const json = openApiSchema(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, SchemaObject>;
  const required = new Set(json.required ?? []);
  return applyDecorators(
    ...Object.entries(properties).map(([name, property]) =>
      ApiQuery({ name, required: required.has(name), schema: property }),
    ),
  );
}
