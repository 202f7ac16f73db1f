import { z } from 'zod';
import { IsoDateSchema } from '../common/text.js';
import { BULK_CLAIM_FORMATS, CHART_CLAIM_FORMATS } from './export-media.js';

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
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: 'The end of the range must be on or after its start',
      });
    else if (dayNumber(query.to) - dayNumber(query.from) >= MAX_EXPORT_RANGE_DAYS)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `A range covers at most ${MAX_EXPORT_RANGE_DAYS} days`,
      });
  });
export type BulkClaimQueryInput = z.input<typeof BulkClaimQuerySchema>;
export type BulkClaimQuery = z.output<typeof BulkClaimQuerySchema>;
