import { z } from 'zod';
import { text } from '../common/text.js';
import { UserRefSchema } from '../users/user.schema.js';

/**
 * Charts in: the import API (`/api/encounter-imports`, docs/intake-api.md). A file is uploaded
 * and validated into a preview (one row per encounter it would create), then committed; both
 * the web page and `npm run encounters:import` go through the same service.
 */

/** The file formats an import reads. */
export const INTAKE_FORMATS = ['csv', 'fhir'] as const;
export const IntakeFormatSchema = z.enum(INTAKE_FORMATS);
export type IntakeFormat = z.infer<typeof IntakeFormatSchema>;

/**
 * `previewed`: validated, nothing created yet. `committing`: rows are being created (progress in
 * `done`/`total`). `done`: every row was created or skipped. `failed`: the commit stopped (see
 * `error`); committing again resumes it, rows already created are not created twice.
 * `cancelled`: discarded before commit.
 */
export const INTAKE_STATUSES = ['previewed', 'committing', 'done', 'failed', 'cancelled'] as const;
export const IntakeStatusSchema = z.enum(INTAKE_STATUSES);
export type IntakeStatus = z.infer<typeof IntakeStatusSchema>;

/** What committing will do with a row: create a chart, nothing (already imported), or refuse it. */
export const INTAKE_ROW_ACTIONS = ['create', 'exists', 'invalid'] as const;
export const IntakeRowActionSchema = z.enum(INTAKE_ROW_ACTIONS);
export type IntakeRowAction = z.infer<typeof IntakeRowActionSchema>;

/** `all`: refuse (nothing created) when any row is invalid. `good_rows`: create the valid ones. */
export const INTAKE_COMMIT_MODES = ['all', 'good_rows'] as const;
export const IntakeCommitModeSchema = z.enum(INTAKE_COMMIT_MODES);
export type IntakeCommitMode = z.infer<typeof IntakeCommitModeSchema>;

/**
 * Where an imported chart came from: its `encounter.created` event carries this (the chart's
 * history says "imported from <sourceSystem> <sourceId>"); charts are unique per organization
 * on (sourceSystem, sourceId).
 */
export const IntakeSourceSchema = z.object({
  format: IntakeFormatSchema,
  sourceSystem: z.string(),
  sourceId: z.string(),
  importId: z.string().uuid().nullable(),
});
export type IntakeSource = z.infer<typeof IntakeSourceSchema>;

/** The largest file an import accepts, and the most encounters in one file. */
export const MAX_INTAKE_BYTES = 50 * 1024 * 1024;
export const MAX_INTAKE_ROWS = 50_000;

/**
 * One problem with one row. CSV: `row` is the line as a spreadsheet numbers it (the header is
 * row 1), `column` the header name. FHIR: `row` is the encounter's position in the Bundle (from
 * 1), `column` the resource and path, e.g. `Encounter/enc-1.period.start`.
 */
export const IntakeRowErrorSchema = z.object({
  row: z.number().int(),
  column: z.string(),
  message: z.string(),
});
export type IntakeRowError = z.infer<typeof IntakeRowErrorSchema>;

/** One encounter of the file as the preview shows it. */
export const IntakeRowSchema = z.object({
  row: z.number().int(),
  sourceSystem: z.string().nullable(),
  sourceId: z.string().nullable(),
  patientName: z.string().nullable(),
  mrn: z.string().nullable(),
  dateOfService: z.string().nullable(),
  providerName: z.string().nullable(),
  diagnoses: z.array(z.string()),
  action: IntakeRowActionSchema,
  errors: z.array(IntakeRowErrorSchema),
  /** The chart this row created, or the one already imported from the same source id. */
  encounterId: z.string().uuid().nullable(),
});
export type IntakeRow = z.infer<typeof IntakeRowSchema>;

/** `GET /api/encounter-imports/:id`: the import's state and progress (poll it while committing). */
export const IntakeSummarySchema = z.object({
  id: z.string().uuid(),
  format: IntakeFormatSchema,
  fileName: z.string().nullable(),
  status: IntakeStatusSchema,
  /** Encounters in the file. */
  total: z.number().int(),
  toCreate: z.number().int(),
  alreadyImported: z.number().int(),
  invalid: z.number().int(),
  /** The mode of the last commit, null before any. */
  mode: IntakeCommitModeSchema.nullable(),
  /** Rows the commit has dealt with so far (created or skipped), out of `total`. */
  done: z.number().int(),
  created: z.number().int(),
  skipped: z.number().int(),
  /** Why the commit stopped, when `status` is `failed`. */
  error: z.string().nullable(),
  createdBy: UserRefSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type IntakeSummary = z.infer<typeof IntakeSummarySchema>;

/** `POST /api/encounter-imports` answers the summary and the first page of rows. */
export const IntakePreviewSchema = IntakeSummarySchema.extend({
  rows: z.array(IntakeRowSchema),
  /** Offset of the next page of rows, or null when `rows` holds them all. */
  nextOffset: z.number().int().nullable(),
});
export type IntakePreview = z.infer<typeof IntakePreviewSchema>;

/** The query of `POST /api/encounter-imports`: the format when the content type does not say. */
export const IntakeUploadQuerySchema = z.object({
  format: IntakeFormatSchema.optional(),
  fileName: text().trim().max(255).optional(),
});
export type IntakeUploadQuery = z.output<typeof IntakeUploadQuerySchema>;

export const INTAKE_ROWS_PAGE_MAX = 500;
export const INTAKE_PREVIEW_ROWS = 100;

/** `GET /api/encounter-imports/:id/rows`: a page of rows, optionally only those of one action. */
export const IntakeRowsQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).max(MAX_INTAKE_ROWS).default(0),
  limit: z.coerce.number().int().min(1).max(INTAKE_ROWS_PAGE_MAX).default(INTAKE_PREVIEW_ROWS),
  action: IntakeRowActionSchema.optional(),
});
export type IntakeRowsQuery = z.output<typeof IntakeRowsQuerySchema>;

export const IntakeRowsResponseSchema = z.object({
  items: z.array(IntakeRowSchema),
  /** Rows matching the query (all rows, or those of `action`). */
  total: z.number().int(),
  nextOffset: z.number().int().nullable(),
});
export type IntakeRowsResponse = z.infer<typeof IntakeRowsResponseSchema>;

/** The body of `POST /api/encounter-imports/:id/commit`. */
export const IntakeCommitSchema = z.object({ mode: IntakeCommitModeSchema }).strict();
export type IntakeCommit = z.infer<typeof IntakeCommitSchema>;

/** `GET /api/encounter-imports`: the caller's organization's recent imports, newest first. */
export const IntakeListResponseSchema = z.object({ items: z.array(IntakeSummarySchema) });
export type IntakeListResponse = z.infer<typeof IntakeListResponseSchema>;

/**
 * The CSV columns, in the order of the template. `required` columns must be present in the
 * header; a row needs `note_text` or `note_file` only when it has a note.
 */
export const INTAKE_CSV_COLUMNS = [
  { name: 'source_system', required: true, description: 'The sending system, e.g. `epic-prod`' },
  { name: 'source_id', required: true, description: 'The encounter id in that system' },
  { name: 'patient_name', required: true, description: 'Patient name' },
  { name: 'mrn', required: true, description: 'Medical record number' },
  { name: 'date_of_birth', required: true, description: 'YYYY-MM-DD' },
  { name: 'date_of_service', required: true, description: 'YYYY-MM-DD' },
  { name: 'provider_name', required: true, description: 'Rendering provider' },
  { name: 'provider_npi', required: false, description: 'Ten digits, Luhn-checked' },
  { name: 'place_of_service', required: true, description: 'Two-digit CMS code, e.g. 11' },
  {
    name: 'diagnoses',
    required: false,
    description: 'ICD-10-CM codes separated by `;` or `|`, in order',
  },
  { name: 'note_text', required: false, description: 'The clinical note' },
  {
    name: 'note_file',
    required: false,
    description: 'A text file with the note, relative to the CSV (command line only)',
  },
  { name: 'coder_email', required: false, description: 'Assign the chart to this coder' },
  { name: 'reviewer_email', required: false, description: 'Assign the chart to this reviewer' },
] as const;
export type IntakeCsvColumn = (typeof INTAKE_CSV_COLUMNS)[number]['name'];
