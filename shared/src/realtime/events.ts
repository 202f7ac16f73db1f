import { z } from 'zod';
import { pgInt } from '../common/text.js';
import type { ApiErrorBody } from '../errors/error-codes.js';
import type { SessionEndReason } from '../auth/auth.schema.js';
import type { Role } from '../auth/roles.js';
import type { Encounter, WorklistRow } from '../encounter/encounter.schema.js';
import {
  CommentAddCommandSchema,
  FindingAcknowledgeCommandSchema,
  LineAddCommandSchema,
  LineRemoveCommandSchema,
  LineUpdateCommandSchema,
  PresenceFocusSchema,
  ReviewAcceptCommandSchema,
  ReviewAddMissedCommandSchema,
  ReviewRejectCommandSchema,
  ReviewSuggestCommandSchema,
  SuggestionAnswerCommandSchema,
  SuggestionWithdrawCommandSchema,
  SuggestionEscalateCommandSchema,
  SuggestionDecideCommandSchema,
  ThreadResolveCommandSchema,
  TransitionCommandSchema,
  type CommentAddCommand,
  type FindingAcknowledgeCommand,
  type LineAddCommand,
  type LineRemoveCommand,
  type LineUpdateCommand,
  type PresenceFocus,
  type ReviewAcceptCommand,
  type ReviewAddMissedCommand,
  type ReviewRejectCommand,
  type ReviewSuggestCommand,
  type SuggestionAnswerCommand,
  type SuggestionWithdrawCommand,
  type SuggestionEscalateCommand,
  type SuggestionDecideCommand,
  type ThreadResolveCommand,
  type TransitionCommand,
} from '../review/review-commands.schema.js';
import type { EncounterEvent } from '../encounter/encounter-events.js';
import type { DollarImpact, EncounterEdits } from '../edits/edits.schema.js';

/**
 * The Socket.IO protocol, typed both ways. Only the gateway (server) and the socket client
 * (browser) touch socket.io; everything else sees these shapes.
 *
 * Connecting
 * - A client authenticates with the session cookie on the handshake; without it the
 *   connection is refused with `connect_error` `unauthenticated` (`unavailable` while the
 *   database is away, `rate_limited` for too many connections). Every handler checks the
 *   session again; when it ends the socket gets `session:ended` and is disconnected.
 * - Limits: commands per socket and per user, and commands waiting for their ack per socket,
 *   are capped; over the cap a command is refused `rate_limited` with `details.retryAfter`
 *   (seconds), and a socket that keeps sending after many refusals is disconnected.
 *
 * Watching the worklist
 * - `worklist:watch` puts the socket in its organization's worklist room; from then on it gets
 *   `worklist:rows`, the rows of the organization's charts that changed, coalesced (at most a
 *   few per second) and carrying only what a worklist row shows. Sockets that did not ask get
 *   none. Changes made while disconnected are not replayed: watch again and reload the list.
 *
 * Joining a room and staying in step
 * - `room:join {encounterId}` answers `{encounter, seq, presence}`: the chart and the
 *   sequence number of its last event. Events with a higher `seq` follow as
 *   `encounter:event`, in order, to every socket in the room, the sender's included.
 * - The client folds an event with `applyEncounterEvent` when `seq === version + 1`, drops it
 *   when `seq <= version`, and asks `room:catch-up {afterSeq: version}` when it sees a gap.
 * - After a disconnect it joins again with `afterSeq`: the answer adds the `events` it
 *   missed, read from the event log, so this holds across server restarts and instances.
 * - `presence:changed` lists who is in the room and the line each is on (`presence:focus`).
 * - `encounter:edits` follows every burst of events (once per burst, not per event) with the
 *   findings, fees and review impact the server computed for the version it reached;
 *   `room:join` answers them too. Everyone sees the same; keep the highest version.
 *
 * Commands (see review/review-commands.schema.ts for each payload)
 * - Each names `{encounterId, baseVersion, opId}` and is acknowledged `{seq, duplicate}`
 *   only after its change and its event committed, or refused with `{code, message}`:
 *   `conflict` (what it changes moved on after `baseVersion`; `details.encounter` is the
 *   chart now), `forbidden` / `invalid_state` (the role x state policy in
 *   review/review-policy.ts), `validation_failed`, `not_found`.
 * - A retry with the same `opId` takes effect once; it is answered with the first seq.
 * - Coder: `line:add`, `line:update`, `line:remove`, `suggestion:answer` (accept | dispute;
 *   a disputed one can still be accepted). Reviewer: `review:accept`, `review:reject`,
 *   `review:suggest`, `review:add-missed`, `suggestion:withdraw`. Coder or reviewer:
 *   `suggestion:escalate` (a dispute, to a supervisor). Supervisor who did not code the chart:
 *   `suggestion:decide` (uphold | overrule, with a reason). Coder or reviewer: `finding:acknowledge` (a warning, with a
 *   reason). Anyone: `comment:add`, `thread:resolve`. Workflow:
 *   `encounter:transition` (submit, review.start, approve, request-changes, sign-off, reopen).
 *
 * Events (encounter/encounter-events.ts): encounter.created, encounter.updated, line.added,
 * line.updated, line.removed, line.reviewed, suggestion.made, suggestion.answered(.v2),
 * suggestion.escalated, suggestion.decided, thread.opened, comment.added, thread.resolved, finding.acknowledged, status.changed, review.skipped (submitted, not sampled: straight to
 * sign-off). A changed payload gets a
 * new event name; a name's shape never changes once released.
 */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ApiErrorBody };
export type AckCallback<T> = (response: Ack<T>) => void;

export const RoomRequestSchema = z.object({ encounterId: z.string().uuid() });
export type RoomRequest = z.infer<typeof RoomRequestSchema>;

/** Joining again after a disconnect names the last seq the client has, to catch up from the log. */
export const RoomJoinSchema = RoomRequestSchema.extend({ afterSeq: pgInt().optional() });
export type RoomJoin = z.infer<typeof RoomJoinSchema>;

export const CatchUpRequestSchema = RoomRequestSchema.extend({ afterSeq: pgInt() });
export type CatchUpRequest = z.infer<typeof CatchUpRequestSchema>;

/** One person in a room; several tabs of one person count once. */
export interface PresenceMember {
  userId: string;
  name: string;
  role: Role;
  /** The line this person is editing or reviewing now: a soft lock the others see. */
  focusLineId: string | null;
}

export interface RoomSnapshot {
  encounter: Encounter;
  /** Sequence number of the last event folded into `encounter` (equals `encounter.version`). */
  seq: number;
  presence: PresenceMember[];
  /** Findings and fees of the chart at `seq`, computed by the server (the authority). */
  edits: LiveEdits;
  /**
   * With `afterSeq`: the events after it, in order, so a returning client folds what it
   * missed instead of replacing its state (and can check it arrives at `encounter`).
   */
  events?: EncounterEvent[];
}

export interface CommandResult {
  /** Sequence number of the event the command produced. */
  seq: number;
  /** True when this was a retry of a command that had already taken effect. */
  duplicate: boolean;
}

/**
 * The coding edits of a chart at one version: findings, fees, and once the chart has been
 * submitted, the dollar impact of the review so far (reviewed lines minus what was submitted).
 */
export interface LiveEdits extends EncounterEdits {
  encounterId: string;
  version: number;
  impact: DollarImpact | null;
}

/** Worklist rows that changed since the last batch (any event on any chart of the organization). */
export interface WorklistRows {
  rows: WorklistRow[];
}

/** `worklist:watch` names nothing: the socket's organization is the one it watches. */
export const WorklistWatchSchema = z.object({}).strict();
export type WorklistWatch = z.infer<typeof WorklistWatchSchema>;

export interface ClientToServerEvents {
  'room:join': (request: RoomJoin, ack: AckCallback<RoomSnapshot>) => void;
  'room:leave': (request: RoomRequest, ack: AckCallback<null>) => void;
  'room:catch-up': (
    request: CatchUpRequest,
    ack: AckCallback<{ events: EncounterEvent[] }>,
  ) => void;
  'worklist:watch': (request: WorklistWatch, ack: AckCallback<null>) => void;
  'line:add': (command: LineAddCommand, ack: AckCallback<CommandResult>) => void;
  'line:update': (command: LineUpdateCommand, ack: AckCallback<CommandResult>) => void;
  'line:remove': (command: LineRemoveCommand, ack: AckCallback<CommandResult>) => void;
  'review:accept': (command: ReviewAcceptCommand, ack: AckCallback<CommandResult>) => void;
  'review:reject': (command: ReviewRejectCommand, ack: AckCallback<CommandResult>) => void;
  'review:suggest': (command: ReviewSuggestCommand, ack: AckCallback<CommandResult>) => void;
  'review:add-missed': (command: ReviewAddMissedCommand, ack: AckCallback<CommandResult>) => void;
  'suggestion:answer': (command: SuggestionAnswerCommand, ack: AckCallback<CommandResult>) => void;
  'suggestion:withdraw': (
    command: SuggestionWithdrawCommand,
    ack: AckCallback<CommandResult>,
  ) => void;
  'suggestion:escalate': (
    command: SuggestionEscalateCommand,
    ack: AckCallback<CommandResult>,
  ) => void;
  'suggestion:decide': (command: SuggestionDecideCommand, ack: AckCallback<CommandResult>) => void;
  'comment:add': (command: CommentAddCommand, ack: AckCallback<CommandResult>) => void;
  'thread:resolve': (command: ThreadResolveCommand, ack: AckCallback<CommandResult>) => void;
  'encounter:transition': (command: TransitionCommand, ack: AckCallback<CommandResult>) => void;
  'finding:acknowledge': (
    command: FindingAcknowledgeCommand,
    ack: AckCallback<CommandResult>,
  ) => void;
  /** Which line this socket's person is working on (null: none); no ack. */
  'presence:focus': (focus: PresenceFocus) => void;
}

export interface ServerToClientEvents {
  'encounter:event': (event: EncounterEvent) => void;
  'presence:changed': (presence: { encounterId: string; members: PresenceMember[] }) => void;
  /** After a burst of events: the findings, fees and review impact of the chart at its last version. */
  'encounter:edits': (edits: LiveEdits) => void;
  /** To the sockets watching the organization's worklist, coalesced, so queues update live. */
  'worklist:rows': (batch: WorklistRows) => void;
  /** The socket's session ended (logout elsewhere, idle, expiry, role change, deactivation); the server disconnects it next. */
  'session:ended': (ended: { reason: SessionEndReason }) => void;
}

/**
 * The payload schema of every client event, by name: the runtime twin of ClientToServerEvents
 * (the compiler checks that no event is missing), for tools that walk the protocol, such as
 * the fuzz suite.
 */
export const CLIENT_EVENT_SCHEMAS = {
  'room:join': RoomJoinSchema,
  'room:leave': RoomRequestSchema,
  'room:catch-up': CatchUpRequestSchema,
  'worklist:watch': WorklistWatchSchema,
  'line:add': LineAddCommandSchema,
  'line:update': LineUpdateCommandSchema,
  'line:remove': LineRemoveCommandSchema,
  'review:accept': ReviewAcceptCommandSchema,
  'review:reject': ReviewRejectCommandSchema,
  'review:suggest': ReviewSuggestCommandSchema,
  'review:add-missed': ReviewAddMissedCommandSchema,
  'suggestion:answer': SuggestionAnswerCommandSchema,
  'suggestion:withdraw': SuggestionWithdrawCommandSchema,
  'suggestion:escalate': SuggestionEscalateCommandSchema,
  'suggestion:decide': SuggestionDecideCommandSchema,
  'comment:add': CommentAddCommandSchema,
  'thread:resolve': ThreadResolveCommandSchema,
  'encounter:transition': TransitionCommandSchema,
  'finding:acknowledge': FindingAcknowledgeCommandSchema,
  'presence:focus': PresenceFocusSchema,
} as const satisfies Record<keyof ClientToServerEvents, z.ZodType>;

/** Room name of an encounter; one place so server and tests agree. */
export function encounterRoom(encounterId: string): string {
  return `encounter:${encounterId}`;
}

/** Room of the sockets watching an organization's worklist (`worklist:watch`). */
export function worklistRoom(organizationId: string): string {
  return `worklist:${organizationId}`;
}
