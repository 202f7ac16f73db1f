import { z } from 'zod';
import { IsoDateSchema, pgInt, text } from '../common/text.js';
import { DIAGNOSIS_LETTERS } from '../coding/formats.js';
import { CodeSystemSchema } from '../catalog/catalog.schema.js';

/**
 * The edits engine's shapes: the reference data a rule needs (PTP pairs, MUE values, add-on
 * primaries, fee schedule rows), the findings it produces and the fee estimate. The server
 * loads the reference data from Postgres for the codes of one encounter; the browser gets the
 * same object over REST and runs the same pure rules for instant feedback.
 */

/** Rule ids, each with the severity it has (an error blocks approval, a warning needs a reason). */
export const EDIT_RULES = {
  'code-unknown': { severity: 'error', title: 'Code not in the code set' },
  'code-unlisted': { severity: 'warning', title: 'Code listed in no loaded file' },
  'code-not-in-effect': { severity: 'error', title: 'Code not in effect on the date of service' },
  'edition-not-covering': {
    severity: 'warning',
    title: 'No loaded edition covers the date of service',
  },
  'ncci-edition-stale': {
    severity: 'warning',
    title: 'NCCI edition older than the date of service',
  },
  'diagnosis-not-billable': {
    severity: 'error',
    title: 'ICD-10-CM code is a header, not billable',
  },
  'modifier-unknown': {
    severity: 'error',
    title: 'Modifier not in the code set on the date of service',
  },
  'addon-without-primary': {
    severity: 'error',
    title: 'Add-on code without its primary procedure',
  },
  'addon-primary-unlisted': {
    severity: 'warning',
    title: 'Add-on code with a primary not on the CMS list',
  },
  'ptp-not-allowed': { severity: 'error', title: 'NCCI PTP pair never billed together' },
  'ptp-modifier-required': {
    severity: 'error',
    title: 'NCCI PTP pair needs a qualifying modifier',
  },
  'ptp-modifier-bypass': { severity: 'warning', title: 'NCCI PTP edit bypassed with a modifier' },
  'mue-exceeded': { severity: 'error', title: 'Units above the medically unlikely edit' },
  'mue-exceeded-clinical': {
    severity: 'warning',
    title: 'Units above the clinical medically unlikely edit',
  },
  'mue-not-payable': {
    severity: 'error',
    title: 'Code not payable on a practitioner claim (MUE 0)',
  },
  'modifier-59-with-x': { severity: 'error', title: 'Modifier 59 and an X modifier on one line' },
  'modifier-59-on-em': { severity: 'error', title: 'Modifier 59 on an E/M service' },
  'modifier-25-not-em': { severity: 'error', title: 'Modifier 25 on a service that is not E/M' },
  'modifier-25-without-procedure': {
    severity: 'warning',
    title: 'Modifier 25 with no procedure on the same day',
  },
  'em-in-major-global': {
    severity: 'error',
    title: 'E/M on the day of a 90-day-global procedure without 57',
  },
  'modifier-pctc-not-allowed': {
    severity: 'error',
    title: 'Modifier 26 or TC not allowed for this code',
  },
  'modifier-50-not-allowed': { severity: 'error', title: 'Modifier 50 not allowed for this code' },
  'modifier-50-with-side': { severity: 'error', title: 'Modifier 50 with LT or RT on one line' },
  'modifier-57-not-major': {
    severity: 'error',
    title: 'Modifier 57 without a 90-day global procedure',
  },
  'line-without-pointer': { severity: 'error', title: 'Line without a diagnosis pointer' },
  'pointer-without-diagnosis': {
    severity: 'error',
    title: 'Pointer to a diagnosis that is not there',
  },
  'duplicate-line': { severity: 'error', title: 'Duplicate line' },
  'office-visit-repeated': { severity: 'warning', title: 'More than one office visit on one date' },
  'category-ii-alone': {
    severity: 'error',
    title: 'Category II code without a Category I service',
  },
} as const satisfies Record<string, { severity: 'error' | 'warning'; title: string }>;

export type EditRuleId = keyof typeof EDIT_RULES;
export const EDIT_RULE_IDS = Object.keys(EDIT_RULES) as EditRuleId[];
export const EditRuleIdSchema = z.enum(EDIT_RULE_IDS as [EditRuleId, ...EditRuleId[]]);

export const SeveritySchema = z.enum(['error', 'warning']);
export type Severity = z.infer<typeof SeveritySchema>;

/**
 * Why a finding fired: the data file, its edition and row, or the policy a rule applies.
 * `text` is the one-line citation a reviewer reads, e.g.
 * "NCCI PTP practitioner 2024Q3: 20610 / 99213, modifier indicator 1".
 */
export const FindingSourceSchema = z.object({
  dataset: z.string(),
  edition: z.string().nullable(),
  file: z.string().nullable(),
  /** Line number in the imported file (1 = its first line), when the finding rests on one row. */
  row: z.number().int().nullable(),
  effectiveDate: z.string().nullable(),
  text: z.string(),
});
export type FindingSource = z.infer<typeof FindingSourceSchema>;

export const FindingSchema = z.object({
  /** Stable across recomputation while the same lines break the same rule: the key of an acknowledgement. */
  id: z.string(),
  ruleId: EditRuleIdSchema,
  severity: SeveritySchema,
  lineIds: z.array(z.string()),
  /** Codes involved (procedure, diagnosis or modifier), in the order the message names them. */
  codes: z.array(z.string()),
  message: z.string(),
  source: FindingSourceSchema,
});

/**
 * Chart-level notices about the loaded reference data (no edition covers the date of service,
 * an older NCCI quarter applied). They are shown with the findings, but they speak of the
 * instance's data rather than of the claim, so they need no acknowledgement and never block
 * approval: the operator loading the current editions is what clears them.
 */
export const DATA_NOTICE_RULES: ReadonlySet<EditRuleId> = new Set<EditRuleId>([
  'edition-not-covering',
  'ncci-edition-stale',
]);

/** A warning someone must acknowledge before approval (errors block outright; data notices never do). */
export function needsAcknowledgement(finding: Pick<Finding, 'ruleId' | 'severity'>): boolean {
  return finding.severity === 'warning' && !DATA_NOTICE_RULES.has(finding.ruleId);
}
export type Finding = z.infer<typeof FindingSchema>;

/** Where one loaded data set comes from: shown in every finding that rests on it. */
export const DatasetRefSchema = z.object({
  dataset: z.string(),
  edition: z.string(),
  file: z.string().nullable(),
  effectiveDate: z.string().nullable(),
});
export type DatasetRef = z.infer<typeof DatasetRefSchema>;

/** One catalogue row of a code: one edition, its dates and whether it may go on a claim. */
export const CodeEditionFactSchema = z.object({
  edition: z.string(),
  effectiveDate: z.string(),
  terminationDate: z.string().nullable(),
  billable: z.boolean(),
  file: z.string().nullable(),
  row: z.number().int().nullable(),
});
export type CodeEditionFact = z.infer<typeof CodeEditionFactSchema>;

export const PtpEditSchema = z.object({
  column1: z.string(),
  column2: z.string(),
  /** 0 = never together, 1 = allowed with a qualifying modifier, 9 = not in effect. */
  modifierIndicator: z.union([z.literal(0), z.literal(1), z.literal(9)]),
  rationale: z.string(),
  effectiveDate: z.string().nullable(),
  deletionDate: z.string().nullable(),
  row: z.number().int(),
});
export type PtpEdit = z.infer<typeof PtpEditSchema>;

export const MueValueSchema = z.object({
  value: z.number().int(),
  /** Adjudication indicator: 1 = per line, 2 = per date (policy), 3 = per date (clinical). */
  mai: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  rationale: z.string(),
  row: z.number().int(),
});
export type MueValue = z.infer<typeof MueValueSchema>;

/** One row of the CMS add-on code file: an add-on, one primary (or `CCCCC`) and the edit type. */
export const AddOnEditSchema = z.object({
  addOn: z.string(),
  primary: z.string(),
  type: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  row: z.number().int(),
});
export type AddOnEdit = z.infer<typeof AddOnEditSchema>;

/** One fee schedule row: a code with no modifier, or with 26, TC or 53. RVUs as published. */
export const FeeScheduleRowSchema = z.object({
  code: z.string(),
  modifier: z.string(),
  status: z.string(),
  workRvu: z.number(),
  nonFacilityPeRvu: z.number(),
  facilityPeRvu: z.number(),
  mpRvu: z.number(),
  /** PC/TC indicator 0-9. */
  pctc: z.string(),
  /** 000, 010, 090, MMM, XXX, YYY, ZZZ. */
  globalDays: z.string(),
  /** Bilateral surgery indicator 0-3, 9. */
  bilateral: z.string(),
  /** The RVU file's non-facility NA indicator: no non-facility rate, so the facility rate is paid anywhere. */
  nonFacilityNa: z.boolean().optional(),
  /** Multiple procedure indicator 0-9 (2: standard reduction, 100% / 50%). */
  multProc: z.string(),
  row: z.number().int(),
});
export type FeeScheduleRow = z.infer<typeof FeeScheduleRowSchema>;

/** One clinical laboratory fee schedule rate (CMS CLFS file): what Medicare pays for a lab code. */
export const ClfsRateSchema = z.object({
  code: z.string(),
  modifier: z.string(),
  rate: z.number(),
  indicator: z.string(),
  row: z.number().int(),
});
export type ClfsRate = z.infer<typeof ClfsRateSchema>;

/**
 * A data set whose editions do not fit the date of service: none covers it (`not-covered`; then
 * `applied` is the nearest edition when the rules still use one, null when they use none), or
 * the newest NCCI edition is from an earlier quarter (`stale`). Told once per chart.
 */
export const CoverageNoteSchema = z.object({
  /** The data set: a code system (`ICD10CM`, `HCPCS`, `CPT`, `MODIFIER`) or `PTP`, `MUE`, `AOC`, `RVU`, `CLFS`. */
  key: z.string(),
  dataset: z.string(),
  status: z.enum(['not-covered', 'stale']),
  applied: DatasetRefSchema.nullable(),
  loaded: z.array(z.object({ edition: z.string(), effectiveDate: z.string() })),
  serviceQuarter: z.string(),
});
export type CoverageNote = z.infer<typeof CoverageNoteSchema>;

export const ConversionFactorSchema = z.object({
  year: z.number().int(),
  value: z.number(),
  source: DatasetRefSchema,
});
export type ConversionFactor = z.infer<typeof ConversionFactorSchema>;

/**
 * Everything the rules need about the codes of one encounter on its date of service. Keys of
 * `codes` are `SYSTEM:CODE` (`CPT:99213`, `ICD10CM:E119`, `MODIFIER:25`); `systemsLoaded`
 * says which systems have any edition at all, so a code missing from a system nobody loaded
 * is not called unknown.
 */
export const EditsReferenceSchema = z.object({
  dateOfService: z.string(),
  systemsLoaded: z.array(CodeSystemSchema),
  codes: z.record(z.string(), z.array(CodeEditionFactSchema)),
  catalog: z.record(z.string(), DatasetRefSchema),
  ptp: z.array(PtpEditSchema),
  ptpSource: DatasetRefSchema.nullable(),
  mue: z.record(z.string(), MueValueSchema),
  mueSource: DatasetRefSchema.nullable(),
  addOnEdits: z.array(AddOnEditSchema),
  addOnSource: DatasetRefSchema.nullable(),
  /** Codes the derived add-on list or the fee schedule (global ZZZ) marks as add-ons. */
  addOnCodes: z.array(z.string()),
  addOnListSource: DatasetRefSchema.nullable(),
  fees: z.array(FeeScheduleRowSchema),
  feeSource: DatasetRefSchema.nullable(),
  conversionFactor: ConversionFactorSchema.nullable(),
  /** CLFS rates of the encounter's codes from the edition in force. */
  clfs: z.record(z.string(), z.array(ClfsRateSchema)),
  clfsSource: DatasetRefSchema.nullable(),
  /** For each procedure code, the loaded public files that list it (e.g. "MPFS RVU 2025"): what makes a CPT number known. */
  listedIn: z.record(z.string(), z.array(z.string())),
  /** Data sets whose loaded editions do not cover the date of service, or are older than its quarter. */
  coverage: z.array(CoverageNoteSchema),
});
export type EditsReference = z.infer<typeof EditsReferenceSchema>;

/** The part of an encounter the rules read. */
export const EditsInputSchema = z.object({
  dateOfService: z.string(),
  placeOfService: z.string(),
  diagnoses: z.array(z.string()),
  lines: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      modifiers: z.array(z.string()),
      units: z.number().int(),
      pointers: z.array(z.enum(DIAGNOSIS_LETTERS)),
    }),
  ),
});
export type EditsInput = z.infer<typeof EditsInputSchema>;
export type EditsLine = EditsInput['lines'][number];

export const FeeLineSchema = z.object({
  lineId: z.string(),
  code: z.string(),
  units: z.number().int(),
  /** Which fee schedule row priced it: '' (global), '26' or 'TC'. */
  modifier: z.string().nullable(),
  rvu: z.object({ work: z.number(), pe: z.number(), mp: z.number(), total: z.number() }).nullable(),
  /** Dollars, rounded to cents: what the line is expected to be paid after the payment rules. */
  amount: z.number(),
  /** The line's fee before the payment rules (denial, multiple-procedure reduction, bilateral). */
  baseAmount: z.number(),
  /** `paid` in full, `reduced`/`increased` by a payment rule, `denied` by an edit, `not-paid` under this schedule. */
  outcome: z.enum(['paid', 'reduced', 'increased', 'denied', 'not-paid']),
  priced: z.boolean(),
  /** The reason, in words: why the line is $0, reduced, or priced from another schedule. */
  note: z.string().nullable(),
  row: z.number().int().nullable(),
});
export type FeeLine = z.infer<typeof FeeLineSchema>;

export const FeeEstimateSchema = z.object({
  facility: z.boolean(),
  conversionFactor: z.number().nullable(),
  lines: z.array(FeeLineSchema),
  total: z.number(),
  /** The fee schedule and conversion factor behind the figures, e.g. "MPFS RVU 2025, conversion factor 2026 33.4009, non-facility". */
  source: z.string(),
  /** The RVU edition and conversion factor year used (null when none is loaded). */
  rvuEdition: z.string().nullable(),
  conversionFactorYear: z.number().int().nullable(),
  /** What a biller must know about the figures, e.g. the RVU year is not the date of service's year. */
  warnings: z.array(z.string()),
});
export type FeeEstimate = z.infer<typeof FeeEstimateSchema>;

/** Findings and the fee estimate of an encounter as it stands: part of its live state. */
export const EncounterEditsSchema = z.object({
  findings: z.array(FindingSchema),
  errors: z.number().int(),
  warnings: z.number().int(),
  fees: FeeEstimateSchema,
});
export type EncounterEdits = z.infer<typeof EncounterEditsSchema>;

/** The dollar impact of a review: reviewed total minus the coder's total. */
export const DollarImpactSchema = z.object({
  coderTotal: z.number(),
  reviewedTotal: z.number(),
  impact: z.number(),
  /** 1 - |impact| / reviewed total (docs/domain.md section 4.8); null when the reviewed total is 0. */
  dollarAccuracy: z.number().nullable(),
  coder: FeeEstimateSchema,
  reviewed: FeeEstimateSchema,
});
export type DollarImpact = z.infer<typeof DollarImpactSchema>;

/** `GET /api/edits/reference?dateOfService=2026-03-02&codes=99213,E119,25`: the browser's copy of the data. */
export const EditsReferenceQuerySchema = z.object({
  dateOfService: IsoDateSchema,
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
    .pipe(z.array(z.string().max(10)).max(120)),
});
export type EditsReferenceQuery = z.output<typeof EditsReferenceQuerySchema>;

/** `POST /api/edits/evaluate`: findings and fees of an unsaved chart. */
export const EditsEvaluateRequestSchema = EditsInputSchema.extend({
  dateOfService: IsoDateSchema,
  placeOfService: text().max(2),
  lines: z
    .array(
      EditsInputSchema.shape.lines.element.extend({
        id: text().max(64),
        code: text().max(10),
        modifiers: z.array(text().max(2)).max(4),
        units: pgInt(0),
      }),
    )
    .max(50),
  diagnoses: z.array(text().max(10)).max(12),
});
export type EditsEvaluateRequest = z.infer<typeof EditsEvaluateRequestSchema>;

/**
 * `GET /api/edits/codes/:code?dateOfService=`: what the edit data says about one code on a date
 * (category and section, billable, add-on status, fee schedule indicators and RVUs, MUE).
 */
export const CodeAttributesSchema = z.object({
  code: z.string(),
  systems: z.array(CodeSystemSchema),
  inEffect: z.boolean(),
  billable: z.boolean().nullable(),
  cptCategory: z.string().nullable(),
  cptSection: z.string().nullable(),
  addOn: z.object({
    isAddOn: z.boolean(),
    types: z.array(z.number().int()),
    primaries: z.array(z.string()),
  }),
  feeSchedule: z
    .object({
      edition: z.string(),
      status: z.string(),
      globalDays: z.string(),
      pctc: z.string(),
      bilateral: z.string(),
      workRvu: z.number(),
      nonFacilityPeRvu: z.number(),
      facilityPeRvu: z.number(),
      mpRvu: z.number(),
      components: z.array(z.string()),
    })
    .nullable(),
  mue: MueValueSchema.extend({ edition: z.string() }).nullable(),
});
export type CodeAttributes = z.infer<typeof CodeAttributesSchema>;

/** The `:code` of `GET /api/edits/codes/:code`. */
export const CodeParamSchema = text().trim().min(1).max(16);

export const CodeAttributesQuerySchema = z.object({
  dateOfService: IsoDateSchema,
});
