import { z } from 'zod';

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
  codes: z
    .string()
    .transform((s) => [...new Set(s.split(',').map((c) => c.trim().toUpperCase().replace(/\./g, '')).filter(Boolean))])
    .pipe(z.array(z.string().max(10)).max(200)),
});

export const CatalogLookupResponseSchema = z.object({ items: z.array(CatalogCodeSchema) });
export type CatalogLookupResponse = z.infer<typeof CatalogLookupResponseSchema>;
