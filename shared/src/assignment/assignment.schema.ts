import { z } from 'zod';
import { ERROR_CODES } from '../errors/error-codes.js';
import { UserRefSchema } from '../users/user.schema.js';

/** At most this many charts in one assignment request. */
export const MAX_ASSIGNMENT_CHARTS = 200;

/**
 * `POST /api/assignments`: a supervisor or an admin gives one or many charts a coder and/or a
 * reviewer. A key left out is left as it is; `null` unassigns; `reviewerId: 'auto'` routes each
 * chart to the next eligible reviewer in the organization's rotation (docs/domain.md section 6.1).
 */
export const AssignmentRequestSchema = z
  .object({
    encounterIds: z
      .array(z.string().uuid())
      .min(1, 'Choose at least one chart')
      .max(MAX_ASSIGNMENT_CHARTS, `Assign at most ${MAX_ASSIGNMENT_CHARTS} charts at once`)
      .refine((ids) => new Set(ids).size === ids.length, 'A chart is listed twice'),
    coderId: z.string().uuid().nullable().optional(),
    reviewerId: z
      .union([z.string().uuid(), z.literal('auto')])
      .nullable()
      .optional(),
  })
  .strict()
  .refine((r) => r.coderId !== undefined || r.reviewerId !== undefined, {
    message: 'Name a coder or a reviewer to assign',
    path: ['coderId'],
  });
export type AssignmentRequest = z.infer<typeof AssignmentRequestSchema>;

/** What happened to one chart of an assignment request. */
export const AssignmentResultSchema = z.discriminatedUnion('ok', [
  z.object({
    encounterId: z.string().uuid(),
    ok: z.literal(true),
    /** The event that recorded the assignment; null when the chart already had these people. */
    seq: z.number().int().nullable(),
    coder: UserRefSchema.nullable(),
    reviewer: UserRefSchema.nullable(),
  }),
  z.object({
    encounterId: z.string().uuid(),
    ok: z.literal(false),
    error: z.object({ code: z.enum(ERROR_CODES), message: z.string() }),
  }),
]);
export type AssignmentResult = z.infer<typeof AssignmentResultSchema>;

/** Each chart is its own transaction: the results say, chart by chart, what was done. */
export const AssignmentResponseSchema = z.object({
  results: z.array(AssignmentResultSchema),
  assigned: z.number().int(),
  failed: z.number().int(),
});
export type AssignmentResponse = z.infer<typeof AssignmentResponseSchema>;

/** How an assignment came about, as its event records it. */
export const ASSIGNMENT_KINDS = ['claimed', 'assigned', 'routed'] as const;
export type AssignmentKind = (typeof ASSIGNMENT_KINDS)[number];
