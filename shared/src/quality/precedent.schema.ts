import { z } from 'zod';
import { PG_INT_MAX, text } from '../common/text.js';
import { UserRefSchema } from '../users/user.schema.js';

/**
 * A precedent: how a dispute about a suggestion was settled, kept so the next coder and reviewer
 * with the same codes need not argue it again (docs/domain.md section 10.4). Numbered per
 * organization; `codes` are what the room matches a chart's lines against.
 */
export const PRECEDENT_SETTLEMENTS = ['accepted', 'withdrawn', 'upheld', 'overruled'] as const;
export type PrecedentSettlement = (typeof PRECEDENT_SETTLEMENTS)[number];

export const PRECEDENT_STATUSES = ['active', 'retired'] as const;
export type PrecedentStatus = (typeof PRECEDENT_STATUSES)[number];

export const PrecedentSchema = z.object({
  id: z.string().uuid(),
  number: z.number().int(),
  question: z.string(),
  codes: z.array(z.string()),
  modifiers: z.array(z.string()),
  /** What was decided, in a line: "99213-25 stands beside 20610". */
  decision: z.string(),
  reasoning: z.string(),
  settledHow: z.enum(PRECEDENT_SETTLEMENTS),
  sourceEncounterId: z.string().uuid().nullable(),
  sourceSuggestionId: z.string().uuid().nullable(),
  decidedBy: UserRefSchema,
  status: z.enum(PRECEDENT_STATUSES),
  retiredReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Precedent = z.infer<typeof PrecedentSchema>;

/** What a supervisor may change on a precedent. */
export const PrecedentEditSchema = z.object({
  question: text().trim().min(1).max(2000).optional(),
  codes: z.array(text().trim().min(1).max(10)).min(1).max(20).optional(),
  modifiers: z.array(text().trim().min(2).max(2)).max(20).optional(),
  decision: text().trim().min(1).max(2000).optional(),
  reasoning: text().trim().min(1).max(5000).optional(),
});
export type PrecedentEdit = z.infer<typeof PrecedentEditSchema>;

/** The fields an edit can change, as a revision records them before and after. */
export const PRECEDENT_EDITABLE = [
  'question',
  'codes',
  'modifiers',
  'decision',
  'reasoning',
] as const;

/** Retiring or reactivating a precedent says why. */
export const PrecedentStatusChangeSchema = z
  .object({ reason: text().trim().min(1, 'Say why').max(2000) })
  .strict();
export type PrecedentStatusChange = z.infer<typeof PrecedentStatusChangeSchema>;

/**
 * One change to a precedent, kept for its page: an edit (the changed fields before and after),
 * or a retirement or reactivation (status before and after, with the reason).
 */
export const PrecedentRevisionSchema = z.object({
  id: z.string().uuid(),
  kind: z.enum(['edit', 'retire', 'reactivate']),
  before: z.record(z.string(), z.unknown()),
  after: z.record(z.string(), z.unknown()),
  reason: z.string().nullable(),
  by: UserRefSchema,
  at: z.string(),
});
export type PrecedentRevision = z.infer<typeof PrecedentRevisionSchema>;

/** `GET /api/precedents/:number`: the precedent and its changes, newest first. */
export const PrecedentDetailSchema = z.object({
  precedent: PrecedentSchema,
  revisions: z.array(PrecedentRevisionSchema),
});
export type PrecedentDetail = z.infer<typeof PrecedentDetailSchema>;

export const PRECEDENT_MAX_PAGE_SIZE = 100;
export const PRECEDENT_DEFAULT_PAGE_SIZE = 25;

const wholeNumber = (max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'Must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1, 'Must be at least 1').max(max, `Must be at most ${max}`));

/**
 * Query of `GET /api/precedents`. `q` matches the words of the question, decision and reasoning
 * (stemmed: "stands" finds "stand"), a code among the precedent's codes, or its number; `code`
 * keeps only precedents about that code. Active ones by default.
 */
export const PrecedentSearchQuerySchema = z
  .object({
    q: text().trim().max(200, 'At most 200 characters').optional(),
    code: text()
      .trim()
      .regex(/^[A-Za-z0-9]{1,10}$/, 'A code: letters and digits, e.g. 99213')
      .transform((code) => code.toUpperCase())
      .optional(),
    status: z.enum(['active', 'retired', 'all']).default('active'),
    page: wholeNumber(1_000_000).default(1),
    pageSize: wholeNumber(PRECEDENT_MAX_PAGE_SIZE).default(PRECEDENT_DEFAULT_PAGE_SIZE),
  })
  .strict()
  .transform(({ q, ...query }) => ({ ...query, q: q || undefined }));
export type PrecedentSearchQueryInput = z.input<typeof PrecedentSearchQuerySchema>;
export type PrecedentSearchQuery = z.output<typeof PrecedentSearchQuerySchema>;

export const PrecedentPageSchema = z.object({
  items: z.array(PrecedentSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type PrecedentPage = z.infer<typeof PrecedentPageSchema>;

/** The `:number` of a precedent's URL. */
export const PrecedentNumberSchema = wholeNumber(PG_INT_MAX);

/** A precedent as a reviewer cites it on a suggestion ("See precedent 12"). */
export const CitedPrecedentSchema = z.object({ number: z.number().int(), question: z.string() });
export type CitedPrecedent = z.infer<typeof CitedPrecedentSchema>;

/** The path parameters of `/api/precedents/:number`. */
export const PrecedentParamsSchema = z.object({ number: PrecedentNumberSchema });
