/**
 * The export formats and their media types, kept free of zod (like `auth/roles.ts`) so that the
 * client's first bundle can name them without carrying the schema library.
 */

/** Formats of one chart's claim: a FHIR R4 Claim (JSON) or CSV. */
export const CHART_CLAIM_FORMATS = ['fhir', 'csv'] as const;
export type ChartClaimFormat = (typeof CHART_CLAIM_FORMATS)[number];

/** Formats of a bulk export: a FHIR Bundle of type collection, NDJSON (one Claim a line), CSV. */
export const BULK_CLAIM_FORMATS = ['fhir-bundle', 'ndjson', 'csv'] as const;
export type BulkClaimFormat = (typeof BULK_CLAIM_FORMATS)[number];

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
