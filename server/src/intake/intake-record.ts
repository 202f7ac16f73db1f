import {
  DiagnosisCodeSchema,
  IsoDateSchema,
  MAX_DIAGNOSES,
  PatientSchema,
  PlaceOfServiceSchema,
  ProviderSchema,
  isNpi,
  text,
  type CreateEncounter,
  type IntakeRow,
  type IntakeRowError,
} from '@countersign/shared';
import { z } from 'zod';

/**
 * What every import format reads from a file before it is checked: the fields of one
 * encounter, each with the place it came from (a CSV column, a FHIR resource path), so that a
 * problem is reported where the user can find it. The CSV and FHIR mappers produce drafts;
 * `checkDraft` turns a draft into the chart to create or the list of what is wrong.
 */

export const INTAKE_FIELDS = [
  'sourceSystem',
  'sourceId',
  'patientName',
  'mrn',
  'dateOfBirth',
  'dateOfService',
  'providerName',
  'providerNpi',
  'placeOfService',
  'clinicalNote',
  'coderEmail',
  'reviewerEmail',
] as const;
export type IntakeField = (typeof INTAKE_FIELDS)[number];

/** A value as the file has it (any JSON type: the check reports wrong types) and where. */
export interface Located {
  value: unknown;
  at: string;
}

export interface IntakeDraft {
  /** The row (CSV) or encounter position (FHIR) a person sees. */
  row: number;
  fields: Partial<Record<IntakeField, Located>>;
  /** Diagnosis codes in order, each where it was read. */
  diagnoses: Located[];
  /** Where a problem with the list of diagnoses as a whole is reported. */
  diagnosesAt: string;
  /** Problems the mapper found already (an unreadable note file, a dangling reference). */
  errors: IntakeRowError[];
}

/** A checked draft: what the preview shows, and the chart to create when nothing is wrong. */
export interface CheckedDraft extends Pick<
  IntakeRow,
  | 'row'
  | 'sourceSystem'
  | 'sourceId'
  | 'patientName'
  | 'mrn'
  | 'dateOfService'
  | 'providerName'
  | 'diagnoses'
> {
  coderEmail: string | null;
  reviewerEmail: string | null;
  /** Where the fields checked later (against the organization and catalogue) were read. */
  at: {
    sourceId: string;
    coderEmail: string;
    reviewerEmail: string;
    diagnoses: Map<string, string>;
  };
  /** The chart, assignment not yet resolved (coderId and reviewerId null). */
  input: CreateEncounter | null;
  errors: IntakeRowError[];
}

const sourceText = text().trim().min(1, 'Required').max(200, 'At most 200 characters');
const email = z.string().trim().toLowerCase().pipe(z.email('Not an email address'));

/** Each field's check; `optional` fields may be missing or empty. */
const FIELD_SCHEMAS: Record<IntakeField, { schema: z.ZodType; optional: boolean }> = {
  sourceSystem: { schema: sourceText, optional: false },
  sourceId: { schema: sourceText, optional: false },
  patientName: { schema: PatientSchema.shape.name, optional: false },
  mrn: { schema: PatientSchema.shape.mrn, optional: false },
  dateOfBirth: { schema: IsoDateSchema, optional: false },
  dateOfService: { schema: IsoDateSchema, optional: false },
  providerName: { schema: ProviderSchema.shape.name, optional: false },
  providerNpi: {
    schema: z
      .string()
      .trim()
      .regex(/^\d{10}$/, 'An NPI is ten digits')
      .refine(isNpi, 'Not a valid NPI (its check digit is wrong)'),
    optional: true,
  },
  placeOfService: {
    schema: z.string().trim().pipe(PlaceOfServiceSchema),
    optional: false,
  },
  clinicalNote: { schema: text().max(200_000, 'At most 200,000 characters'), optional: true },
  coderEmail: { schema: email, optional: true },
  reviewerEmail: { schema: email, optional: true },
};

const isMissing = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** Checks every field of a draft; every problem is reported, by row and place. */
export function checkDraft(draft: IntakeDraft): CheckedDraft {
  const errors: IntakeRowError[] = [...draft.errors];
  const values: Partial<Record<IntakeField, string>> = {};
  for (const field of INTAKE_FIELDS) {
    const { schema, optional } = FIELD_SCHEMAS[field];
    const located = draft.fields[field];
    if (!located || isMissing(located.value)) {
      if (!optional)
        errors.push({ row: draft.row, column: located?.at ?? field, message: 'Required' });
      continue;
    }
    const parsed = schema.safeParse(located.value);
    if (parsed.success) values[field] = parsed.data as string;
    else
      for (const issue of parsed.error.issues)
        errors.push({ row: draft.row, column: located.at, message: issue.message });
  }
  if (values.dateOfBirth && values.dateOfService && values.dateOfBirth > values.dateOfService)
    errors.push({
      row: draft.row,
      column: draft.fields.dateOfBirth!.at,
      message: 'The date of birth is after the date of service',
    });

  const diagnoses: string[] = [];
  const seen = new Map<string, string>();
  for (const located of draft.diagnoses) {
    const parsed = DiagnosisCodeSchema.safeParse(located.value);
    if (!parsed.success) {
      const shown = typeof located.value === 'string' ? `${located.value}: ` : '';
      for (const issue of parsed.error.issues)
        errors.push({ row: draft.row, column: located.at, message: `${shown}${issue.message}` });
      continue;
    }
    if (seen.has(parsed.data)) {
      errors.push({
        row: draft.row,
        column: located.at,
        message: `${parsed.data} appears twice`,
      });
      continue;
    }
    seen.set(parsed.data, located.at);
    diagnoses.push(parsed.data);
  }
  if (diagnoses.length > MAX_DIAGNOSES)
    errors.push({
      row: draft.row,
      column: draft.diagnosesAt,
      message: `At most ${MAX_DIAGNOSES} diagnoses (found ${diagnoses.length})`,
    });

  const shown = (field: IntakeField) => {
    const value = draft.fields[field]?.value;
    return typeof value === 'string' && value.trim() ? value.trim().slice(0, 200) : null;
  };
  return {
    row: draft.row,
    sourceSystem: values.sourceSystem ?? shown('sourceSystem'),
    sourceId: values.sourceId ?? shown('sourceId'),
    patientName: values.patientName ?? shown('patientName'),
    mrn: values.mrn ?? shown('mrn'),
    dateOfService: values.dateOfService ?? shown('dateOfService'),
    providerName: values.providerName ?? shown('providerName'),
    diagnoses,
    coderEmail: values.coderEmail ?? null,
    reviewerEmail: values.reviewerEmail ?? null,
    at: {
      sourceId: draft.fields.sourceId?.at ?? 'sourceId',
      coderEmail: draft.fields.coderEmail?.at ?? 'coder_email',
      reviewerEmail: draft.fields.reviewerEmail?.at ?? 'reviewer_email',
      diagnoses: seen,
    },
    input: errors.length ? null : toCreateEncounter(values, diagnoses),
    errors,
  };
}

function toCreateEncounter(
  values: Partial<Record<IntakeField, string>>,
  diagnoses: string[],
): CreateEncounter {
  return {
    patient: { name: values.patientName!, mrn: values.mrn!, dateOfBirth: values.dateOfBirth! },
    dateOfService: values.dateOfService!,
    provider: { name: values.providerName!, npi: values.providerNpi ?? null },
    placeOfService: values.placeOfService!,
    clinicalNote: values.clinicalNote ?? '',
    diagnoses,
    lines: [],
    coderId: null,
    reviewerId: null,
  };
}
