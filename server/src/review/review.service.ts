import { Inject, Injectable } from '@nestjs/common';
import {
  reviewBlockers,
  type BilledFieldsPatch,
  type ClaimLine,
  type ClaimLineFields,
  type CorrectionCategory,
  type Encounter,
  type EncounterStatus,
  type ProposedLine,
  type SessionUser,
  type Suggestion,
  type Thread,
  type Transition,
} from '@countersign/shared';
import type { EntityManager } from 'typeorm';
import {
  addLineAt,
  assertPointersValid,
  findLine,
  markSubmitted,
  stripUndefined,
  type CommandMeta,
} from '../encounter/encounter.service.js';
import {
  EncounterWriter,
  assertAllowed,
  type CommandOutcome,
} from '../encounter/encounter-writer.js';
import { DomainError } from '../errors/domain-error.js';
import { APPROVAL_GATES, type ApprovalGate } from './approval-gates.js';
import { ChartEditsService } from './chart-edits.service.js';
import { recordOutcomes } from './review-outcomes.js';

/**
 * The review of a chart, GitHub-style and live: the reviewer accepts, rejects, suggests or adds
 * missed lines; the coder accepts or disputes suggestions; the chart moves through its states.
 * Each command is one EncounterWriter run: policy check, one event, published after commit.
 */
@Injectable()
export class ReviewService {
  constructor(
    @Inject(EncounterWriter) private readonly writer: EncounterWriter,
    @Inject(APPROVAL_GATES) private readonly gates: ApprovalGate[],
    @Inject(ChartEditsService) private readonly chartEdits: ChartEditsService,
  ) {}

  /** A warning that does not apply is acknowledged with a reason; an error must be fixed instead. */
  acknowledge(
    user: SessionUser,
    encounterId: string,
    findingId: string,
    reason: string,
    meta: CommandMeta,
  ): Promise<CommandOutcome> {
    return this.writer.run(
      user,
      encounterId,
      { ...meta, stale: { kind: 'nothing' } },
      async ({ tx, current, seq }) => {
        assertAllowed('finding.acknowledge', user, current);
        const finding = (await this.chartEdits.findings(current)).find((f) => f.id === findingId);
        if (!finding)
          throw new DomainError('not_found', 'That finding no longer applies to the chart');
        if (finding.severity === 'error')
          throw new DomainError(
            'invalid_state',
            'An error finding must be fixed; only warnings can be acknowledged',
          );
        const [row] = (await tx.query(
          `INSERT INTO finding_acknowledgements (encounter_id, finding_id, reason, by_id, by_name, created_seq)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (encounter_id, finding_id) DO UPDATE SET reason = excluded.reason, by_id = excluded.by_id,
           by_name = excluded.by_name, created_seq = excluded.created_seq, created_at = now()
         RETURNING created_at`,
          [encounterId, findingId, reason, user.id, user.name, seq],
        )) as Array<{ created_at: Date }>;
        const acknowledgement = {
          findingId,
          reason,
          by: { id: user.id, name: user.name },
          at: row!.created_at.toISOString(),
        };
        return { type: 'finding.acknowledged', payload: { acknowledgement } };
      },
    );
  }

  accept(
    user: SessionUser,
    encounterId: string,
    lineId: string,
    meta: CommandMeta,
  ): Promise<CommandOutcome> {
    return this.writer.run(
      user,
      encounterId,
      { ...meta, stale: { kind: 'line', lineId } },
      async ({ tx, current, seq }) => {
        assertAllowed('review.accept', user, current);
        findLine(current, lineId);
        const review = {
          state: 'accepted' as const,
          category: null,
          comment: null,
          by: { id: user.id, name: user.name },
        };
        await setReview(tx, lineId, review, seq);
        return { type: 'line.reviewed', payload: { lineId, review } };
      },
    );
  }

  reject(
    user: SessionUser,
    encounterId: string,
    lineId: string,
    category: CorrectionCategory,
    comment: string,
    meta: CommandMeta,
  ): Promise<CommandOutcome> {
    return this.writer.run(
      user,
      encounterId,
      { ...meta, stale: { kind: 'line', lineId } },
      async ({ tx, current, seq }) => {
        assertAllowed('review.reject', user, current);
        assertNoOpenSuggestion(current, lineId);
        findLine(current, lineId);
        const review = {
          state: 'rejected' as const,
          category,
          comment,
          by: { id: user.id, name: user.name },
        };
        await setReview(tx, lineId, review, seq);
        return { type: 'line.reviewed', payload: { lineId, review } };
      },
    );
  }

  suggest(
    user: SessionUser,
    encounterId: string,
    lineId: string,
    patch: BilledFieldsPatch & Partial<ProposedLine>,
    category: CorrectionCategory,
    comment: string,
    meta: CommandMeta,
  ): Promise<CommandOutcome> {
    return this.writer.run(
      user,
      encounterId,
      { ...meta, stale: { kind: 'line', lineId } },
      async ({ tx, current, seq }) => {
        assertAllowed('review.suggest', user, current);
        assertNoOpenSuggestion(current, lineId);
        const line = findLine(current, lineId);
        if (line.review.state === 'rejected')
          throw new DomainError(
            'invalid_state',
            'This line is rejected; accept it first if it should stay',
          );
        const before = billed(line);
        const proposed: ProposedLine = { ...before, ...stripUndefined(patch) };
        if (JSON.stringify(proposed) === JSON.stringify(before))
          throw new DomainError('validation_failed', 'The suggestion changes nothing');
        assertPointersValid([proposed as Pick<ClaimLine, 'pointers'>], current.diagnoses.length);
        const [row] = (await tx.query(
          `INSERT INTO suggestions (encounter_id, line_id, author_id, author_name, before, proposed, category, comment, created_seq, last_seq)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id, created_at`,
          [
            encounterId,
            lineId,
            user.id,
            user.name,
            JSON.stringify(before),
            JSON.stringify(proposed),
            category,
            comment,
            seq,
          ],
        )) as Array<{ id: string; created_at: Date }>;
        const suggestion: Suggestion = {
          id: row!.id,
          lineId,
          author: { id: user.id, name: user.name },
          before,
          proposed,
          category,
          comment,
          status: 'open',
          answeredBy: null,
          threadId: null,
          createdAt: row!.created_at.toISOString(),
        };
        return { type: 'suggestion.made', payload: { suggestion } };
      },
    );
  }

  /** A missed line goes on the chart accepted, with category `missed-code`. */
  addMissed(
    user: SessionUser,
    encounterId: string,
    line: ClaimLineFields,
    comment: string,
    meta: CommandMeta,
  ): Promise<CommandOutcome> {
    return this.writer.run(
      user,
      encounterId,
      { ...meta, stale: { kind: 'nothing' } },
      async ({ tx, current, seq }) => {
        assertAllowed('review.add-missed', user, current);
        const review = {
          state: 'accepted' as const,
          category: 'missed-code' as const,
          comment: comment || null,
          by: { id: user.id, name: user.name },
        };
        const added = await addLineAt(tx, current, line, 'reviewer', seq, undefined, review);
        return { type: 'line.added', payload: added };
      },
    );
  }

  /** The coder accepts a suggestion (the line takes the proposed fields) or disputes it (a thread opens). */
  answer(
    user: SessionUser,
    encounterId: string,
    suggestionId: string,
    answer: 'accept' | 'dispute',
    comment: string,
    meta: CommandMeta,
  ): Promise<CommandOutcome> {
    return this.writer.run(
      user,
      encounterId,
      { ...meta, stale: { kind: 'suggestion', suggestionId } },
      async ({ tx, current, seq }) => {
        assertAllowed('suggestion.answer', user, current);
        const suggestion = findOpenSuggestion(current, suggestionId);
        const answeredBy = { id: user.id, name: user.name };
        let line: ClaimLine | null = null;
        let thread: Thread | null = null;
        if (answer === 'accept') {
          const existing = findLine(current, suggestion.lineId);
          line = {
            ...existing,
            ...(suggestion.proposed as Partial<ClaimLine>),
            review: {
              state: 'accepted',
              category: suggestion.category,
              comment: suggestion.comment || null,
              by: suggestion.author,
            },
          };
          assertPointersValid([line], current.diagnoses.length);
          await tx.query(
            `UPDATE claim_lines SET code = $2, modifiers = $3, units = $4, pointers = $5, review_state = 'accepted',
                  review_category = $6, review_comment = $7, reviewed_by = $8, reviewed_by_name = $9, last_seq = $10, updated_at = now()
            WHERE id = $1`,
            [
              line.id,
              line.code,
              line.modifiers,
              line.units,
              line.pointers,
              suggestion.category,
              line.review.comment,
              suggestion.author.id || null,
              suggestion.author.name,
              seq,
            ],
          );
        } else {
          thread = await openThread(
            tx,
            current.id,
            suggestion.lineId,
            suggestion.id,
            user,
            comment,
            [],
            seq,
          );
        }
        const status = answer === 'accept' ? 'accepted' : 'disputed';
        await tx.query(
          'UPDATE suggestions SET status = $2, answered_by = $3, answered_by_name = $4, thread_id = coalesce($5, thread_id), last_seq = $6 WHERE id = $1',
          [suggestionId, status, user.id, user.name, thread?.id ?? null, seq],
        );
        return {
          type: 'suggestion.answered',
          payload: { suggestionId, status, answeredBy, line, thread },
        };
      },
    );
  }

  withdraw(
    user: SessionUser,
    encounterId: string,
    suggestionId: string,
    meta: CommandMeta,
  ): Promise<CommandOutcome> {
    return this.writer.run(
      user,
      encounterId,
      { ...meta, stale: { kind: 'suggestion', suggestionId } },
      async ({ tx, current, seq }) => {
        assertAllowed('suggestion.withdraw', user, current);
        const suggestion = current.suggestions.find((s) => s.id === suggestionId);
        if (!suggestion) throw DomainError.notFound('The suggestion');
        if (suggestion.status === 'accepted' || suggestion.status === 'withdrawn') {
          throw new DomainError('invalid_state', `The suggestion is already ${suggestion.status}`);
        }
        await tx.query('UPDATE suggestions SET status = $2, last_seq = $3 WHERE id = $1', [
          suggestionId,
          'withdrawn',
          seq,
        ]);
        return {
          type: 'suggestion.answered',
          payload: {
            suggestionId,
            status: 'withdrawn',
            answeredBy: { id: user.id, name: user.name },
            line: null,
            thread: null,
          },
        };
      },
    );
  }

  /** A workflow transition: submit, start review, approve, request changes, sign off, reopen. */
  transition(
    user: SessionUser,
    encounterId: string,
    transition: Transition,
    reason: string,
    meta: CommandMeta,
  ): Promise<CommandOutcome> {
    return this.writer.run(
      user,
      encounterId,
      { ...meta, stale: { kind: 'chart' } },
      async ({ tx, current, seq }) => {
        const action = transition === 'review.start' ? 'review.start' : transition;
        assertAllowed(action, user, current);
        const to = TARGET_STATUS[transition];
        let reviewer = null;
        if (transition === 'submit') {
          if (current.lines.length === 0)
            throw new DomainError('invalid_state', 'Add at least one line before you submit');
          await markSubmitted(tx, current.id);
        }
        if (transition === 'review.start' && !current.reviewer) {
          reviewer = { id: user.id, name: user.name };
          await tx.query('UPDATE encounters SET reviewer_id = $2 WHERE id = $1', [
            current.id,
            user.id,
          ]);
        }
        if (transition === 'approve') {
          const blockers = [
            ...reviewBlockers(current),
            ...(await Promise.all(this.gates.map((gate) => gate(current)))).flat(),
          ];
          if (blockers.length)
            throw new DomainError(
              'invalid_state',
              `The chart cannot be approved yet: ${blockers.join('; ')}`,
              { blockers },
            );
          await recordOutcomes(tx, current, seq, user);
        }
        await tx.query('UPDATE encounters SET status = $2 WHERE id = $1', [current.id, to]);
        return {
          type: 'status.changed',
          payload: { from: current.status, to, reason: reason || null, reviewer },
        };
      },
    );
  }
}

const TARGET_STATUS: Record<Transition, EncounterStatus> = {
  submit: 'submitted',
  'review.start': 'in_review',
  approve: 'approved',
  'request-changes': 'changes_requested',
  'sign-off': 'signed_off',
  reopen: 'in_review',
};

function billed(line: ClaimLine): ProposedLine {
  return {
    code: line.code,
    modifiers: [...line.modifiers],
    units: line.units,
    pointers: [...line.pointers],
  };
}

function findOpenSuggestion(encounter: Encounter, suggestionId: string): Suggestion {
  const suggestion = encounter.suggestions.find((s) => s.id === suggestionId);
  if (!suggestion) throw DomainError.notFound('The suggestion');
  if (suggestion.status !== 'open')
    throw new DomainError('invalid_state', `The suggestion is already ${suggestion.status}`);
  return suggestion;
}

function assertNoOpenSuggestion(encounter: Encounter, lineId: string): void {
  if (encounter.suggestions.some((s) => s.lineId === lineId && s.status === 'open')) {
    throw new DomainError(
      'invalid_state',
      'This line has a suggestion waiting for the coder; withdraw it first',
    );
  }
}

async function setReview(
  tx: EntityManager,
  lineId: string,
  review: ClaimLine['review'],
  seq: number,
): Promise<void> {
  await tx.query(
    `UPDATE claim_lines SET review_state = $2, review_category = $3, review_comment = $4, reviewed_by = $5, reviewed_by_name = $6,
            last_seq = $7, updated_at = now() WHERE id = $1`,
    [
      lineId,
      review.state,
      review.category,
      review.comment,
      review.by?.id ?? null,
      review.by?.name ?? null,
      seq,
    ],
  );
}

/** Opens a thread with its first comment; shared by disputes and new comment threads. */
export async function openThread(
  tx: EntityManager,
  encounterId: string,
  lineId: string | null,
  suggestionId: string | null,
  user: SessionUser,
  body: string,
  mentions: string[],
  seq: number,
): Promise<Thread> {
  const [thread] = (await tx.query(
    'INSERT INTO comment_threads (encounter_id, line_id, suggestion_id, created_seq) VALUES ($1, $2, $3, $4) RETURNING id',
    [encounterId, lineId, suggestionId, seq],
  )) as Array<{ id: string }>;
  const comment = await insertComment(tx, thread!.id, user, body, mentions, seq);
  return { id: thread!.id, lineId, suggestionId, resolved: false, comments: [comment] };
}

export async function insertComment(
  tx: EntityManager,
  threadId: string,
  user: SessionUser,
  body: string,
  mentions: string[],
  seq: number,
) {
  const [row] = (await tx.query(
    'INSERT INTO comments (thread_id, author_id, author_name, body, mentions, created_seq) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, created_at',
    [threadId, user.id, user.name, body, mentions, seq],
  )) as Array<{ id: string; created_at: Date }>;
  return {
    id: row!.id,
    author: { id: user.id, name: user.name },
    body,
    mentions,
    at: row!.created_at.toISOString(),
  };
}
