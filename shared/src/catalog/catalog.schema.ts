import { z } from 'zod';
import { IsoDateSchema, text } from '../common/text.js';

/** Code systems of the catalogue. */
export const CODE_SYSTEMS = ['CPT', 'HCPCS', 'ICD10CM', 'MODIFIER'] as const;
export const CodeSystemSchema = z.enum(CODE_SYSTEMS);
export type CodeSystem = z.infer<typeof CodeSystemSchema>;

/** A catalogue code as the client shows it. */
export const CatalogCodeSchema = z.object({
  system: CodeSystemSchema,
  code: z.string(),
  shortDescription: z.string(),
  longDescription: z.string(),
  edition: z.string(),
  effectiveDate: z.string(),
  terminationDate: z.string().nullable(),
  billable: z.boolean(),
});
export type CatalogCode = z.infer<typeof CatalogCodeSchema>;

/** `GET /api/catalog/lookup?codes=99213,E119`: descriptions of the codes on a chart. */
export const CatalogLookupQuerySchema = z.object({
  codes: text()
    .max(4000)
    .transform((s) => [
      ...new Set(
        s
          .split(',')
          .map((c) => c.trim().toUpperCase().replace(/\./g, ''))
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.string().max(10)).max(200)),
});

export const CatalogLookupResponseSchema = z.object({ items: z.array(CatalogCodeSchema) });
export type CatalogLookupResponse = z.infer<typeof CatalogLookupResponseSchema>;

/**
 * The file formats the importer reads. `cms-*` kinds are the official CMS/CDC formats; `*-tsv`
 * kinds are the tab-separated reference files; `cpt-licensed` is an AMA-licensed CPT file
 * (code TAB descriptor) that an organization holding the licence loads itself.
 */
export const IMPORT_KINDS = {
  'icd10cm-order': {
    dataset: 'ICD10CM',
    label: 'ICD-10-CM tabular order file (CMS/CDC icd10cm_order_YYYY.txt)',
  },
  'icd10cm-tsv': {
    dataset: 'ICD10CM',
    label: 'ICD-10-CM billable codes, tab-separated (code, short, long)',
  },
  'icd10cm-headers-tsv': {
    dataset: 'ICD10CM',
    label: 'ICD-10-CM header codes, tab-separated (code, short, long)',
  },
  'hcpcs-anweb': {
    dataset: 'HCPCS',
    label: 'HCPCS Level II alpha-numeric file (CMS HCPCYYYY_..._ANWEB.txt, fixed width)',
  },
  'hcpcs-tsv': { dataset: 'HCPCS', label: 'HCPCS Level II, tab-separated' },
  'modifiers-tsv': { dataset: 'MODIFIER', label: 'Modifiers, tab-separated' },
  'cpt-licensed': { dataset: 'CPT', label: 'Licensed CPT file (code TAB descriptor)' },
  'ptp-cms': { dataset: 'PTP', label: 'NCCI PTP practitioner edits (CMS tab-delimited text)' },
  'ptp-tsv': { dataset: 'PTP', label: 'NCCI PTP practitioner edits, tab-separated' },
  'mue-cms': { dataset: 'MUE', label: 'NCCI MUE practitioner values (CMS CSV)' },
  'mue-tsv': { dataset: 'MUE', label: 'NCCI MUE practitioner values, tab-separated' },
  'aoc-cms': { dataset: 'AOC', label: 'NCCI add-on code edits (CMS tab-delimited or CSV)' },
  'aoc-tsv': { dataset: 'AOC', label: 'NCCI add-on code edits, tab-separated' },
  'addon-list-tsv': { dataset: 'ADDON', label: 'Add-on code list, tab-separated' },
  'rvu-cms': { dataset: 'RVU', label: 'Physician fee schedule RVU file (CMS PPRRVUYY CSV)' },
  'rvu-tsv': { dataset: 'RVU', label: 'Physician fee schedule RVUs, tab-separated' },
  'conversion-factors-tsv': {
    dataset: 'CF',
    label: 'Fee schedule conversion factors, tab-separated',
  },
  'clfs-cms': { dataset: 'CLFS', label: 'Clinical laboratory fee schedule (CMS CLFS CSV)' },
} as const;
export type ImportKind = keyof typeof IMPORT_KINDS;
export const IMPORT_KIND_IDS = Object.keys(IMPORT_KINDS) as ImportKind[];
export const ImportKindSchema = z.enum(IMPORT_KIND_IDS as [ImportKind, ...ImportKind[]]);

/** Options of one import; edition and effective date are inferred from the file name when left out. */
export const ImportOptionsSchema = z.object({
  kind: ImportKindSchema.optional(),
  edition: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/,
      'An edition is letters, digits, dots and dashes, e.g. 2026 or 2024Q3',
    )
    .optional(),
  effectiveDate: IsoDateSchema.optional(),
  fileName: text().trim().min(1).max(200).optional(),
});
export type ImportOptions = z.infer<typeof ImportOptionsSchema>;

/**
 * `running` while the file is read; `preview` once its changes are counted and it waits for an
 * operator to confirm (or cancel) before it `expired`; then `succeeded`, or `unchanged` when the
 * same content was already loaded; `failed` names the line and the reason.
 */
export const ImportStatusSchema = z.enum([
  'running',
  'preview',
  'succeeded',
  'unchanged',
  'failed',
  'cancelled',
  'expired',
]);
export type ImportStatus = z.infer<typeof ImportStatusSchema>;

/** What an import did; `unchanged` when the same edition with the same content was already loaded. */
export const ImportSummarySchema = z.object({
  kind: ImportKindSchema,
  dataset: z.string(),
  edition: z.string(),
  effectiveDate: z.string(),
  fileName: z.string(),
  sha256: z.string(),
  rows: z.number().int(),
  added: z.number().int(),
  changed: z.number().int(),
  removed: z.number().int(),
  /** Codes of older editions that this complete code set no longer lists: they end the day before it takes effect. */
  ended: z.number().int(),
  /** A restore: codes the undone import had ended that are in force again. */
  reopened: z.number().int().optional(),
  unchanged: z.boolean(),
  durationMs: z.number().int(),
});
export type ImportSummary = z.infer<typeof ImportSummarySchema>;

/** A bad file: the line (1 = the file's first line) and why. Nothing was changed. */
export const ImportErrorSchema = z.object({
  line: z.number().int().nullable(),
  reason: z.string(),
});
export type ImportErrorDetail = z.infer<typeof ImportErrorSchema>;

/**
 * What an import would change, counted before anything is applied: the rows of the file, the
 * rows of the edition now loaded (`existing`), and how many would be added, changed, removed;
 * for a complete code set, the codes of older editions it would end (of `endable` in force);
 * for a restore, the codes it would reopen. Samples name rows by their key (never descriptors).
 * `warning` is set when more than 5% of the edition or of the codes in force would go.
 */
export const ImportPreviewSchema = z.object({
  rows: z.number().int(),
  existing: z.number().int(),
  added: z.number().int(),
  changed: z.number().int(),
  removed: z.number().int(),
  ended: z.number().int(),
  endable: z.number().int(),
  reopened: z.number().int(),
  samples: z.object({
    added: z.array(z.string()),
    changed: z.array(z.string()),
    removed: z.array(z.string()),
    ended: z.array(z.string()),
    reopened: z.array(z.string()),
  }),
  warning: z.string().nullable(),
});
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;

/** One import as the admin screen polls it: progress while running, then the summary or the error. */
export const CatalogImportSchema = z.object({
  id: z.string(),
  kind: z.string(),
  dataset: z.string(),
  edition: z.string(),
  effectiveDate: z.string(),
  fileName: z.string(),
  status: ImportStatusSchema,
  phase: z.string(),
  rowsRead: z.number().int(),
  bytesRead: z.number().int(),
  bytesTotal: z.number().int(),
  /** 0-100 from bytes read, 100 once finished. */
  percent: z.number(),
  summary: ImportSummarySchema.nullable(),
  error: ImportErrorSchema.nullable(),
  /** Set once the file is read: what confirming would change. */
  preview: ImportPreviewSchema.nullable(),
  /** A preview not confirmed by then is dropped. */
  expiresAt: z.string().nullable(),
  /** A restore: the import it undoes. */
  restoresImportId: z.string().nullable(),
  /** Set on an import that a later restore undid. */
  restoredByImportId: z.string().nullable(),
  /** The last applied import of its kind and edition, which a restore can still undo. */
  restorable: z.boolean(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type CatalogImport = z.infer<typeof CatalogImportSchema>;

export const CatalogImportListSchema = z.object({ items: z.array(CatalogImportSchema) });
export type CatalogImportList = z.infer<typeof CatalogImportListSchema>;

/** Loaded editions of each data set, newest first. */
export const CatalogEditionSchema = z.object({
  dataset: z.string(),
  kind: z.string(),
  edition: z.string(),
  effectiveDate: z.string(),
  fileName: z.string(),
  importId: z.string(),
});
export type CatalogEdition = z.infer<typeof CatalogEditionSchema>;

/**
 * `GET /api/catalog/search?q=e11.9&system=ICD10CM&date=2026-03-02`: the typeahead. A code with
 * or without the ICD-10 dot matches as a prefix; several partial words are ANDed. Exact code
 * first, then code prefix, then words; at most 20.
 */
export const CatalogSearchQuerySchema = z.object({
  q: text().max(100),
  system: z
    .string()
    .max(200)
    .transform((s) => [
      ...new Set(
        s
          .split(',')
          .map((x) => x.trim().toUpperCase())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(CodeSystemSchema))
    .optional(),
  date: IsoDateSchema.optional(),
  billable: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(20).default(20),
});
export type CatalogSearchQuery = z.output<typeof CatalogSearchQuerySchema>;

export const SearchMatchSchema = z.enum(['exact', 'prefix', 'words']);
export const CatalogSearchHitSchema = CatalogCodeSchema.extend({ match: SearchMatchSchema });
export type CatalogSearchHit = z.infer<typeof CatalogSearchHitSchema>;
export const CatalogSearchResponseSchema = z.object({ items: z.array(CatalogSearchHitSchema) });
export type CatalogSearchResponse = z.infer<typeof CatalogSearchResponseSchema>;

/**
 * Query of `POST /api/catalog/imports` (instance operator): the file itself is the request body
 * (`application/octet-stream`, gzip allowed). The import stops at a preview: nothing changes
 * until `POST /api/catalog/imports/:id/confirm`. With `wait=true` the answer comes once the
 * preview is ready (or the file refused); otherwise at once, to poll `GET /api/catalog/imports/:id`.
 */
export const ImportUploadQuerySchema = ImportOptionsSchema.extend({
  wait: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type ImportUploadQuery = z.output<typeof ImportUploadQuerySchema>;

export const CatalogEditionListSchema = z.object({ items: z.array(CatalogEditionSchema) });
export type CatalogEditionList = z.infer<typeof CatalogEditionListSchema>;

/**
 * `POST /api/catalog/imports/restore` (instance operator): undo the last applied import of this
 * kind and edition. It answers with a new import in `preview`, confirmed like any other.
 */
export const ImportRestoreRequestSchema = z.object({
  kind: ImportKindSchema,
  edition: z.string().trim().min(1).max(32),
});
export type ImportRestoreRequest = z.infer<typeof ImportRestoreRequestSchema>;
