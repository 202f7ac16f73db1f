import { z } from 'zod';
import { IsoDateSchema, text } from '../common/text.js';
import {
  DIAGNOSIS_LETTERS,
  MAX_DIAGNOSES,
  MAX_MODIFIERS,
  MAX_POINTERS,
  isIcd10CmCode,
  isModifier,
  isProcedureCode,
  normalizeCode,
} from '../coding/formats.js';
import { PLACE_OF_SERVICE_CODES } from '../coding/place-of-service.js';
import {
  AcknowledgementSchema,
  EvidenceSchema,
  LineReviewSchema,
  LINE_ORIGINS,
  SuggestionSchema,
  ThreadSchema,
} from '../review/review-state.schema.js';
import { UserRefSchema } from '../users/user.schema.js';

/** Encounter states, docs/domain.md section 6. */
export const ENCOUNTER_STATUSES = [
  'draft',
  'submitted',
  'in_review',
  'changes_requested',
  'approved',
  'signed_off',
] as const;
export const EncounterStatusSchema = z.enum(ENCOUNTER_STATUSES);
export type EncounterStatus = z.infer<typeof EncounterStatusSchema>;

/**
 * What a chart is for (docs/domain.md section 11): a real `claim`; a trainee's `practice` attempt
 * at a gold chart; one coder's `blind` copy of a chart sent to two coders. Practice and blind
 * charts use the same room and never appear in worklists, quality figures or claim exports.
 */
export const CHART_PURPOSES = ['claim', 'practice', 'blind'] as const;
export const ChartPurposeSchema = z.enum(CHART_PURPOSES);
export type ChartPurpose = z.infer<typeof ChartPurposeSchema>;

/** Statuses in which a chart's content can no longer change. */
export const LOCKED_STATUSES: ReadonlySet<EncounterStatus> = new Set(['approved', 'signed_off']);

export const ProcedureCodeSchema = text()
  .transform(normalizeCode)
  .refine(
    isProcedureCode,
    'Not a CPT or HCPCS Level II code (for example 99213, 3074F, 0042T or J1100)',
  );

export const DiagnosisCodeSchema = text()
  .transform(normalizeCode)
  .refine(isIcd10CmCode, 'Not an ICD-10-CM code (for example E11.9)');

export const ModifierSchema = text()
  .transform((m) => m.trim().toUpperCase())
  .refine(isModifier, 'A modifier is two letters or digits (for example 25, 59, LT)');

export const DiagnosisLetterSchema = z.enum(DIAGNOSIS_LETTERS);

const distinct = <T>(items: readonly T[]) => new Set(items).size === items.length;

const claimLineFields = {
  code: ProcedureCodeSchema,
  modifiers: z
    .array(ModifierSchema)
    .max(MAX_MODIFIERS, `At most ${MAX_MODIFIERS} modifiers`)
    .refine(distinct, 'A modifier appears twice'),
  units: z.number().int('Units are a whole number').min(1, 'Units are at least 1').max(9999),
  pointers: z
    .array(DiagnosisLetterSchema)
    .max(MAX_POINTERS, `At most ${MAX_POINTERS} diagnosis pointers`)
    .refine(distinct, 'A diagnosis pointer appears twice'),
  /** Why the coder chose this line, in their words. */
  rationale: text().trim().max(2000),
  /** The span of the note that supports the line. */
  evidence: EvidenceSchema.nullable(),
};

/** What a coder types for one claim line. */
export const ClaimLineInputSchema = z.object({
  ...claimLineFields,
  modifiers: claimLineFields.modifiers.default([]),
  units: claimLineFields.units.default(1),
  pointers: claimLineFields.pointers.default([]),
  rationale: claimLineFields.rationale.default(''),
  evidence: claimLineFields.evidence.default(null),
});
export type ClaimLineInput = z.input<typeof ClaimLineInputSchema>;
export type ClaimLineFields = z.output<typeof ClaimLineInputSchema>;

/**
 * A partial change to a line; at least one field. Built from the fields without defaults:
 * a default inside a partial would reset the fields the patch leaves out.
 */
export const ClaimLinePatchSchema = z
  .object(claimLineFields)
  .partial()
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), 'Nothing to change');
export type ClaimLinePatch = z.input<typeof ClaimLinePatchSchema>;

/** The fields a suggestion may change: what is billed, not the coder's rationale. */
export const BilledFieldsPatchSchema = z
  .object({
    code: claimLineFields.code,
    modifiers: claimLineFields.modifiers,
    units: claimLineFields.units,
    pointers: claimLineFields.pointers,
  })
  .partial()
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), 'Nothing to change');
export type BilledFieldsPatch = z.input<typeof BilledFieldsPatchSchema>;

export const ClaimLineSchema = z.object({
  id: z.string().uuid(),
  code: z.string(),
  modifiers: z.array(z.string()),
  units: z.number().int(),
  pointers: z.array(DiagnosisLetterSchema),
  rationale: z.string(),
  evidence: EvidenceSchema.nullable(),
  /** Who put the line on the chart: the coder, or a reviewer adding a missed code. */
  origin: z.enum(LINE_ORIGINS),
  review: LineReviewSchema,
  /** Submitted for review at least once: it stays on the record (a reviewer rejects it instead of removing). */
  submitted: z.boolean(),
});
export type ClaimLine = z.infer<typeof ClaimLineSchema>;

export const PatientSchema = z.object({
  mrn: text().trim().min(1, 'MRN is required').max(40),
  name: text().trim().min(1, 'Patient name is required').max(200),
  dateOfBirth: IsoDateSchema,
});
export type Patient = z.infer<typeof PatientSchema>;

export const ProviderSchema = z.object({
  name: text().trim().min(1, 'Provider name is required').max(200),
  npi: z
    .string()
    .regex(/^\d{10}$/, 'An NPI is ten digits')
    .nullable()
    .default(null),
});
export type Provider = z.infer<typeof ProviderSchema>;

export const PlaceOfServiceSchema = z
  .string()
  .max(2)
  .refine((code) => PLACE_OF_SERVICE_CODES.includes(code), 'Unknown place of service code');

export const DiagnosisListSchema = z
  .array(DiagnosisCodeSchema)
  .max(MAX_DIAGNOSES, `At most ${MAX_DIAGNOSES} diagnoses`)
  .refine(distinct, 'A diagnosis appears twice');

/** The body of `POST /api/encounters`. */
export const CreateEncounterSchema = z.object({
  patient: PatientSchema,
  dateOfService: IsoDateSchema,
  provider: ProviderSchema,
  placeOfService: PlaceOfServiceSchema,
  clinicalNote: text().max(200_000).default(''),
  diagnoses: DiagnosisListSchema.default([]),
  lines: z.array(ClaimLineInputSchema).max(50).default([]),
  coderId: z.string().uuid().nullable().default(null),
  reviewerId: z.string().uuid().nullable().default(null),
});
export type CreateEncounterInput = z.input<typeof CreateEncounterSchema>;
export type CreateEncounter = z.output<typeof CreateEncounterSchema>;

/** The body of `PATCH /api/encounters/:id`: header fields, note, diagnoses, assignment. */
export const UpdateEncounterSchema = z
  .object({
    patient: PatientSchema,
    dateOfService: IsoDateSchema,
    provider: ProviderSchema,
    placeOfService: PlaceOfServiceSchema,
    clinicalNote: text().max(200_000),
    diagnoses: DiagnosisListSchema,
    coderId: z.string().uuid().nullable(),
    reviewerId: z.string().uuid().nullable(),
  })
  .partial()
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), 'Nothing to change');
export type UpdateEncounterInput = z.input<typeof UpdateEncounterSchema>;
export type UpdateEncounter = z.output<typeof UpdateEncounterSchema>;

/** The whole live state of one encounter; `version` is the sequence number of its last event. */
export const EncounterSchema = z.object({
  id: z.string().uuid(),
  organizationId: z.string().uuid(),
  patient: PatientSchema,
  dateOfService: z.string(),
  provider: z.object({ name: z.string(), npi: z.string().nullable() }),
  placeOfService: z.string(),
  clinicalNote: z.string(),
  diagnoses: z.array(z.string()),
  lines: z.array(ClaimLineSchema),
  suggestions: z.array(SuggestionSchema),
  threads: z.array(ThreadSchema),
  /** Warnings acknowledged with a reason (errors must be fixed). */
  acknowledgements: z.array(AcknowledgementSchema),
  status: EncounterStatusSchema,
  purpose: ChartPurposeSchema,
  coder: UserRefSchema.nullable(),
  reviewer: UserRefSchema.nullable(),
  /**
   * Everyone who wrote the chart's coded lines (added, changed or removed one), from the event
   * log: separation of duties keeps them from reviewing or signing off those lines, whoever the
   * chart is assigned to now.
   */
  codedBy: z.array(z.string().uuid()),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Encounter = z.infer<typeof EncounterSchema>;

/** One row of the worklist: no note, no lines. */
export const EncounterSummarySchema = EncounterSchema.omit({
  clinicalNote: true,
  lines: true,
  suggestions: true,
  threads: true,
  acknowledgements: true,
  organizationId: true,
}).extend({
  lineCount: z.number().int(),
});
export type EncounterSummary = z.infer<typeof EncounterSummarySchema>;

/**
 * What a worklist row shows and sorts by, as live updates carry it: a REST summary is one too.
 * `version` orders two updates of the same chart.
 */
export const WorklistRowSchema = z.object({
  id: z.string().uuid(),
  patient: PatientSchema.pick({ mrn: true, name: true }),
  dateOfService: z.string(),
  provider: z.object({ name: z.string() }),
  placeOfService: z.string(),
  status: EncounterStatusSchema,
  coder: UserRefSchema.nullable(),
  reviewer: UserRefSchema.nullable(),
  lineCount: z.number().int(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type WorklistRow = z.infer<typeof WorklistRowSchema>;

/** The worklist row of a chart or summary in hand: the row's fields and nothing else of it. */
export function toWorklistRow(chart: WorklistRow): WorklistRow {
  return {
    id: chart.id,
    patient: { mrn: chart.patient.mrn, name: chart.patient.name },
    dateOfService: chart.dateOfService,
    provider: { name: chart.provider.name },
    placeOfService: chart.placeOfService,
    status: chart.status,
    coder: chart.coder,
    reviewer: chart.reviewer,
    lineCount: chart.lineCount,
    version: chart.version,
    updatedAt: chart.updatedAt,
  };
}
