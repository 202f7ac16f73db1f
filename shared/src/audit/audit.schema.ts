import { z } from 'zod';

/**
 * The audit of one chart as an admin sees it: whether its event chain verifies, and who
 * opened it. No patient data: reads name the person, the way in and the time.
 */
export const ChartReadSchema = z.object({
  userId: z.string().uuid(),
  userName: z.string(),
  /** How the chart was read: the REST route or the socket event. */
  via: z.string(),
  at: z.string(),
});
export type ChartRead = z.infer<typeof ChartReadSchema>;

export const ChainCheckSchema = z.object({
  encounterId: z.string().uuid(),
  /** Events checked. */
  events: z.number().int(),
  ok: z.boolean(),
  /** The first event whose hash does not match (or that is missing); null when the chain holds. */
  brokenAt: z.number().int().nullable(),
  reason: z.string().nullable(),
  /** The last event's hash: note it elsewhere to detect a rewrite of the whole chain later. */
  head: z.string().nullable(),
});
export type ChainCheck = z.infer<typeof ChainCheckSchema>;

/** `GET /api/audit/encounters/:id`: the chain check and the latest reads, newest first. */
export const ChartAuditSchema = z.object({
  chain: ChainCheckSchema,
  reads: z.array(ChartReadSchema),
});
export type ChartAudit = z.infer<typeof ChartAuditSchema>;

/** Query of `GET /api/audit/encounters/:id`. */
export const ChartAuditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type ChartAuditQuery = z.infer<typeof ChartAuditQuerySchema>;
