import { z } from 'zod';
import { IsoDateSchema } from '../common/text.js';

/** Formats of one chart's claim: a FHIR R4 Claim (JSON) or CSV, one row per billed line. */
export const CHART_CLAIM_FORMATS = ['fhir', 'csv'] as const;
export type ChartClaimFormat = (typeof CHART_CLAIM_FORMATS)[number];

/** Query of `GET /api/encounters/:id/claim`. */
export const ChartClaimQuerySchema = z.object({
  format: z.enum(CHART_CLAIM_FORMATS).default('fhir'),
  /** Export a chart that is not signed off (a `draft` claim); refused without it. */
  onRequest: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .default(false),
});
export type ChartClaimQuery = z.output<typeof ChartClaimQuerySchema>;

/** Formats of a bulk export: a FHIR Bundle of type collection, NDJSON (one Claim a line), CSV. */
export const BULK_CLAIM_FORMATS = ['fhir-bundle', 'ndjson', 'csv'] as const;
export type BulkClaimFormat = (typeof BULK_CLAIM_FORMATS)[number];

/** Which date the range applies to: the sign-off date (UTC day) or the date of service. */
export const CLAIM_DATE_BASES = ['signed-off', 'service'] as const;
export type ClaimDateBasis = (typeof CLAIM_DATE_BASES)[number];

/** The longest range one bulk export covers. */
export const MAX_EXPORT_RANGE_DAYS = 366;

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/**
 * Query of `GET /api/exports/claims`: charts signed off whose sign-off day (UTC) or date of
 * service falls between `from` and `to`, both included.
 */
export const BulkClaimQuerySchema = z
  .object({
    from: IsoDateSchema,
    to: IsoDateSchema,
    format: z.enum(BULK_CLAIM_FORMATS),
    basis: z.enum(CLAIM_DATE_BASES).default('signed-off'),
  })
  .superRefine((query, ctx) => {
    if (query.to < query.from)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'Must be on or after from' });
    else if (dayNumber(query.to) - dayNumber(query.from) >= MAX_EXPORT_RANGE_DAYS)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `A range covers at most ${MAX_EXPORT_RANGE_DAYS} days`,
      });
  });
export type BulkClaimQueryInput = z.input<typeof BulkClaimQuerySchema>;
export type BulkClaimQuery = z.output<typeof BulkClaimQuerySchema>;

/** Content type and file extension of each format. */
export const CLAIM_EXPORT_MEDIA: Record<
  ChartClaimFormat | BulkClaimFormat,
  { contentType: string; extension: string }
> = {
  fhir: { contentType: 'application/fhir+json; charset=utf-8', extension: 'json' },
  'fhir-bundle': { contentType: 'application/fhir+json; charset=utf-8', extension: 'json' },
  ndjson: { contentType: 'application/fhir+ndjson; charset=utf-8', extension: 'ndjson' },
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
};
