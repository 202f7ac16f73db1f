import { z } from 'zod';
import { IsoDateSchema, text } from '../common/text.js';
import {
  ENCOUNTER_STATUSES,
  EncounterStatusSchema,
  EncounterSummarySchema,
  type EncounterStatus,
  type WorklistRow,
} from './encounter.schema.js';

/**
 * The worklist's queues: what each person works through, plus the charts nobody codes yet and
 * everything. The server counts them (`queues` in the response) and filters by them (`queue=`);
 * `inWorklistQueue` is the same rule for one row in hand (a live update).
 */
export const WORKLIST_QUEUES = [
  'drafts',
  'review',
  'changes',
  'signoff',
  'unassigned',
  'disputes',
  'all',
] as const;
export const WorklistQueueSchema = z.enum(WORKLIST_QUEUES);
export type WorklistQueue = z.infer<typeof WorklistQueueSchema>;

/**
 * The statuses each queue holds (`drafts` also needs the caller as coder, `unassigned` no coder,
 * `disputes` a suggestion escalated to a supervisor).
 */
export const QUEUE_STATUSES: Readonly<Record<WorklistQueue, readonly EncounterStatus[]>> = {
  drafts: ['draft'],
  review: ['submitted', 'in_review'],
  changes: ['changes_requested'],
  signoff: ['approved'],
  unassigned: ENCOUNTER_STATUSES.filter((status) => status !== 'signed_off'),
  disputes: ['in_review', 'changes_requested'],
  all: ENCOUNTER_STATUSES,
};

/**
 * Whether a worklist row belongs in a queue, for the person `selfId`. A row does not carry its
 * suggestions, so `escalations` (how many wait for a supervisor) is given when known; without
 * it the row is not counted in `disputes`, which the server counts from the suggestions.
 */
export function inWorklistQueue(
  queue: WorklistQueue,
  row: Pick<WorklistRow, 'status' | 'coder'> & { escalations?: number },
  selfId: string | null,
): boolean {
  if (!QUEUE_STATUSES[queue].includes(row.status)) return false;
  if (queue === 'disputes') return (row.escalations ?? 0) > 0;
  if (queue === 'drafts') return !!selfId && row.coder?.id === selfId;
  if (queue === 'unassigned') return row.coder === null;
  return true;
}

/** What the worklist sorts by; every order ends with the chart's id, so pages never overlap. */
export const WORKLIST_SORTS = [
  'updated',
  'dateOfService',
  'patient',
  'mrn',
  'provider',
  'status',
] as const;
export const WorklistSortSchema = z.enum(WORKLIST_SORTS);
export type WorklistSort = z.infer<typeof WorklistSortSchema>;

/** The direction a sort starts in when none is given: newest first for times, A to Z otherwise. */
export function defaultSortDirection(sort: WorklistSort): 'asc' | 'desc' {
  return sort === 'updated' || sort === 'dateOfService' ? 'desc' : 'asc';
}

export const WORKLIST_MAX_PAGE_SIZE = 200;
export const WORKLIST_DEFAULT_PAGE_SIZE = 50;

const uuidOrNone = z.union([
  z.literal('none'),
  z.string().uuid('A user id, or "none" for charts nobody is assigned'),
]);
const bool = z
  .enum(['true', 'false'], { message: 'Use true or false' })
  .transform((v) => v === 'true');
const positiveInt = (max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'Must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1, 'Must be at least 1').max(max, `Must be at most ${max}`));

/**
 * Query of `GET /api/encounters`, every parameter a string as the URL carries it; an unknown
 * parameter is refused rather than silently ignored. `q` matches the patient's name (any part,
 * any case) or the MRN (from its start). `coder`/`reviewer` take a user id or `none`;
 * `assignee=me` means the caller as coder or reviewer, `assignee=unassigned` no coder (kept
 * for older clients, as `limit` is for `pageSize`). Pages count from 1.
 */
export const WorklistQuerySchema = z
  .object({
    q: text().trim().max(200, 'At most 200 characters').optional(),
    queue: WorklistQueueSchema.optional(),
    status: z
      .union([z.string(), z.array(z.string())])
      .transform((value) => [value].flat().flatMap((s) => s.split(',').filter(Boolean)))
      .pipe(z.array(EncounterStatusSchema))
      .optional(),
    from: IsoDateSchema.optional(),
    to: IsoDateSchema.optional(),
    provider: text().trim().max(200, 'At most 200 characters').optional(),
    coder: uuidOrNone.optional(),
    reviewer: uuidOrNone.optional(),
    assignee: z.union([z.literal('me'), z.literal('unassigned'), z.string().uuid()]).optional(),
    hasErrors: bool.optional(),
    sort: WorklistSortSchema.default('updated'),
    dir: z.enum(['asc', 'desc']).optional(),
    page: positiveInt(1_000_000).default(1),
    pageSize: positiveInt(WORKLIST_MAX_PAGE_SIZE).optional(),
    limit: positiveInt(WORKLIST_MAX_PAGE_SIZE).optional(),
  })
  .strict()
  .refine((query) => !query.from || !query.to || query.from <= query.to, {
    message: 'The start of the date range is after its end',
    path: ['to'],
  })
  .transform(({ limit, pageSize, dir, q, provider, ...query }) => ({
    ...query,
    q: q || undefined,
    provider: provider || undefined,
    dir: dir ?? defaultSortDirection(query.sort),
    pageSize: pageSize ?? limit ?? WORKLIST_DEFAULT_PAGE_SIZE,
  }));
export type WorklistQueryInput = z.input<typeof WorklistQuerySchema>;
export type WorklistQuery = z.output<typeof WorklistQuerySchema>;

/** A worklist row as REST answers it: the summary and the chart's open error findings. */
export const WorklistItemSchema = EncounterSummarySchema.extend({
  /** Error findings when last computed; null until the chart's findings were first computed. */
  errorCount: z.number().int().nullable(),
});
export type WorklistItem = z.infer<typeof WorklistItemSchema>;

export const WorklistQueueCountsSchema = z.object(
  Object.fromEntries(WORKLIST_QUEUES.map((queue) => [queue, z.number().int()])) as Record<
    WorklistQueue,
    z.ZodNumber
  >,
);
export type WorklistQueueCounts = z.infer<typeof WorklistQueueCountsSchema>;

/**
 * One page of the worklist: `total` charts match the query, `queues` counts each queue under
 * the same filters (the queue itself and paging aside), for the caller.
 */
export const WorklistResponseSchema = z.object({
  items: z.array(WorklistItemSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  queues: WorklistQueueCountsSchema,
});
export type WorklistResponse = z.infer<typeof WorklistResponseSchema>;

/** Every queue at zero: what a worklist shows before its first answer. */
export function emptyQueueCounts(): WorklistQueueCounts {
  return Object.fromEntries(WORKLIST_QUEUES.map((queue) => [queue, 0])) as WorklistQueueCounts;
}
