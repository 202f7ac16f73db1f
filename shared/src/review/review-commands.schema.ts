import { z } from 'zod';
import { pgInt, text } from '../common/text.js';
import {
  BilledFieldsPatchSchema,
  ClaimLineInputSchema,
  ClaimLinePatchSchema,
} from '../encounter/encounter.schema.js';
import { CorrectionCategorySchema, DISPUTE_DECISIONS } from './review-state.schema.js';

/**
 * Every command a client sends about an encounter. Each names the encounter, the version the
 * client saw when it made the command (`baseVersion`), and a client operation id (`opId`):
 * - a command whose target changed after `baseVersion` is refused with `conflict`, and the
 *   error's details carry the current encounter, so nobody silently overwrites a colleague;
 * - a command retried with the same `opId` takes effect once; the retry is answered with the
 *   sequence number of the event the first attempt produced.
 */
export const CommandBaseSchema = z.object({
  encounterId: z.string().uuid(),
  baseVersion: pgInt(),
  opId: z.string().uuid(),
});
export type CommandBase = z.infer<typeof CommandBaseSchema>;

const comment = text().trim().min(1, 'Say why in a comment').max(5000);

export const LineAddCommandSchema = CommandBaseSchema.extend({
  line: ClaimLineInputSchema,
  /** Position in the line order; default: at the end. */
  index: pgInt().optional(),
});
export const LineUpdateCommandSchema = CommandBaseSchema.extend({
  lineId: z.string().uuid(),
  patch: ClaimLinePatchSchema,
});
export const LineRemoveCommandSchema = CommandBaseSchema.extend({ lineId: z.string().uuid() });

export const ReviewAcceptCommandSchema = CommandBaseSchema.extend({ lineId: z.string().uuid() });
export const ReviewRejectCommandSchema = CommandBaseSchema.extend({
  lineId: z.string().uuid(),
  category: CorrectionCategorySchema,
  comment,
});
export const ReviewSuggestCommandSchema = CommandBaseSchema.extend({
  lineId: z.string().uuid(),
  patch: BilledFieldsPatchSchema,
  category: CorrectionCategorySchema.exclude(['missed-code']),
  comment: text().trim().max(5000).default(''),
  /** A precedent the reviewer cites ("see precedent 12"): it must be active in the organization. */
  precedentNumber: pgInt(1).optional(),
});
export const ReviewAddMissedCommandSchema = CommandBaseSchema.extend({
  line: ClaimLineInputSchema,
  comment: text().trim().max(5000).default(''),
});

export const SuggestionAnswerCommandSchema = CommandBaseSchema.extend({
  suggestionId: z.string().uuid(),
  answer: z.enum(['accept', 'dispute']),
  /** Required to dispute: it opens the thread. */
  comment: text().trim().max(5000).default(''),
}).refine((c) => c.answer === 'accept' || c.comment.length > 0, {
  message: 'Say why you dispute it',
  path: ['comment'],
});
export const SuggestionWithdrawCommandSchema = CommandBaseSchema.extend({
  suggestionId: z.string().uuid(),
});

/** The coder or the reviewer sends a disputed suggestion to a supervisor; the comment says why. */
export const SuggestionEscalateCommandSchema = CommandBaseSchema.extend({
  suggestionId: z.string().uuid(),
  comment: text().trim().max(5000).default(''),
});
/** A supervisor settles an escalated dispute: uphold applies the suggestion, overrule keeps the coder's line. */
export const SuggestionDecideCommandSchema = CommandBaseSchema.extend({
  suggestionId: z.string().uuid(),
  decision: z.enum(DISPUTE_DECISIONS),
  reason: text().trim().min(1, 'Give the reason for the decision').max(5000),
});

export const CommentAddCommandSchema = CommandBaseSchema.extend({
  /** Reply in this thread; without it a new thread opens on `lineId` (or on the encounter). */
  threadId: z.string().uuid().optional(),
  lineId: z.string().uuid().nullable().default(null),
  body: text().trim().min(1, 'Write something').max(5000),
  mentions: z.array(z.string().uuid()).max(20).default([]),
});
export const ThreadResolveCommandSchema = CommandBaseSchema.extend({
  threadId: z.string().uuid(),
  resolved: z.boolean(),
});

export const FindingAcknowledgeCommandSchema = CommandBaseSchema.extend({
  findingId: text().min(1).max(500),
  reason: text().trim().min(1, 'Say why the warning does not apply').max(2000),
});

export const TRANSITIONS = [
  'submit',
  'review.start',
  'approve',
  'request-changes',
  'sign-off',
  'reopen',
] as const;
export type Transition = (typeof TRANSITIONS)[number];
export const TransitionCommandSchema = CommandBaseSchema.extend({
  transition: z.enum(TRANSITIONS),
  /** Required to request changes and to reopen. */
  reason: text().trim().max(5000).default(''),
}).refine((c) => !['request-changes', 'reopen'].includes(c.transition) || c.reason.length > 0, {
  message: 'Give a reason',
  path: ['reason'],
});

export const PresenceFocusSchema = z.object({
  encounterId: z.string().uuid(),
  lineId: z.string().uuid().nullable(),
});

export type LineAddCommand = z.input<typeof LineAddCommandSchema>;
export type LineUpdateCommand = z.input<typeof LineUpdateCommandSchema>;
export type LineRemoveCommand = z.input<typeof LineRemoveCommandSchema>;
export type ReviewAcceptCommand = z.input<typeof ReviewAcceptCommandSchema>;
export type ReviewRejectCommand = z.input<typeof ReviewRejectCommandSchema>;
export type ReviewSuggestCommand = z.input<typeof ReviewSuggestCommandSchema>;
export type ReviewAddMissedCommand = z.input<typeof ReviewAddMissedCommandSchema>;
export type SuggestionAnswerCommand = z.input<typeof SuggestionAnswerCommandSchema>;
export type SuggestionWithdrawCommand = z.input<typeof SuggestionWithdrawCommandSchema>;
export type SuggestionEscalateCommand = z.input<typeof SuggestionEscalateCommandSchema>;
export type SuggestionDecideCommand = z.input<typeof SuggestionDecideCommandSchema>;
export type CommentAddCommand = z.input<typeof CommentAddCommandSchema>;
export type ThreadResolveCommand = z.input<typeof ThreadResolveCommandSchema>;
export type TransitionCommand = z.input<typeof TransitionCommandSchema>;
export type FindingAcknowledgeCommand = z.input<typeof FindingAcknowledgeCommandSchema>;
export type PresenceFocus = z.infer<typeof PresenceFocusSchema>;
