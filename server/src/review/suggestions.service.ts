import { Inject, Injectable } from '@nestjs/common';
import type {
  ClaimLine,
  DisputeDecision,
  Encounter,
  PrecedentRef,
  SessionUser,
  Suggestion,
  SuggestionStatus,
  Thread,
} from '@countersign/shared';
import { assertPointersValid, findLine, type CommandMeta } from '../encounter/encounter.service.js';
import {
  EncounterWriter,
  assertAllowed,
  type CommandOutcome,
} from '../encounter/encounter-writer.js';
import { EncounterRepository } from '../encounter/encounter.repository.js';
import { DomainError } from '../errors/domain-error.js';
import { recordPrecedent } from '../precedents/record-precedent.js';
import { ReviewRepository } from './review.repository.js';

/**
 * A suggestion after it is made (docs/domain.md sections 5 and 10.1): the coder accepts or
 * disputes it; a dispute is accepted after all, withdrawn by the reviewer, or escalated by
 * either to a supervisor who did not code the chart, who upholds or overrules it. A settled
 * dispute becomes a precedent in the same transaction. Each command is one EncounterWriter run.
 */
@Injectable()
export class SuggestionsService {
  constructor(
    @Inject(EncounterWriter) private readonly writer: EncounterWriter,
    @Inject(ReviewRepository) private readonly review: ReviewRepository,
    @Inject(EncounterRepository) private readonly encounters: EncounterRepository,
  ) {}

  /**
   * The coder accepts a suggestion (the line takes the proposed fields) or disputes it (a
   * thread opens). A disputed one can still be accepted: that settles the dispute.
   */
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
        const suggestion = findSuggestion(
          current,
          suggestionId,
          answer === 'accept' ? ['open', 'disputed'] : ['open'],
          answer,
        );
        const answeredBy = { id: user.id, name: user.name };
        let line: ClaimLine | null = null;
        let thread: Thread | null = null;
        let precedent: PrecedentRef | null = null;
        if (answer === 'accept') {
          line = await this.applySuggestion(tx, current, suggestion, seq);
          if (suggestion.status === 'disputed')
            precedent = await recordPrecedent(
              tx,
              current,
              suggestion,
              'accepted',
              null,
              answeredBy,
            );
        } else {
          thread = await this.review.openThread(
            tx,
            { encounterId: current.id, lineId: suggestion.lineId, suggestionId: suggestion.id },
            user,
            comment,
            [],
            seq,
          );
        }
        const status = answer === 'accept' ? 'accepted' : 'disputed';
        await this.review.answerSuggestion(
          tx,
          suggestionId,
          { status, by: answeredBy, threadId: thread?.id ?? null, precedent },
          seq,
        );
        return {
          type: 'suggestion.answered.v2',
          payload: { suggestionId, status, answeredBy, line, thread, precedent },
        };
      },
    );
  }

  /** The reviewer takes a suggestion back; withdrawing a disputed one settles the dispute. */
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
        const suggestion = findSuggestion(current, suggestionId, ['open', 'disputed'], 'withdraw');
        const by = { id: user.id, name: user.name };
        const precedent =
          suggestion.status === 'disputed'
            ? await recordPrecedent(tx, current, suggestion, 'withdrawn', null, by)
            : null;
        await this.review.answerSuggestion(
          tx,
          suggestionId,
          { status: 'withdrawn', by: null, threadId: null, precedent },
          seq,
        );
        return {
          type: 'suggestion.answered.v2',
          payload: {
            suggestionId,
            status: 'withdrawn',
            answeredBy: by,
            line: null,
            thread: null,
            precedent,
          },
        };
      },
    );
  }

  /** The coder or the reviewer sends a disputed suggestion to a supervisor. */
  escalate(
    user: SessionUser,
    encounterId: string,
    suggestionId: string,
    comment: string,
    meta: CommandMeta,
  ): Promise<CommandOutcome> {
    return this.writer.run(
      user,
      encounterId,
      { ...meta, stale: { kind: 'suggestion', suggestionId } },
      async ({ tx, current, seq }) => {
        assertAllowed('suggestion.escalate', user, current);
        findSuggestion(current, suggestionId, ['disputed'], 'escalate');
        const by = { id: user.id, name: user.name };
        const at = await this.review.escalateSuggestion(tx, suggestionId, by, comment, seq);
        return {
          type: 'suggestion.escalated',
          payload: { suggestionId, escalation: { by, comment, at: at.toISOString() } },
        };
      },
    );
  }

  /**
   * A supervisor who did not code the chart decides an escalated dispute: upholding applies the
   * suggestion exactly as the coder's accept would; overruling keeps the coder's line, accepted
   * by the supervisor with the reason. Either way the line is reviewed and a precedent recorded.
   */
  decide(
    user: SessionUser,
    encounterId: string,
    suggestionId: string,
    decision: DisputeDecision,
    reason: string,
    meta: CommandMeta,
  ): Promise<CommandOutcome> {
    return this.writer.run(
      user,
      encounterId,
      { ...meta, stale: { kind: 'suggestion', suggestionId } },
      async ({ tx, current, seq }) => {
        assertAllowed('suggestion.decide', user, current);
        const suggestion = findSuggestion(current, suggestionId, ['escalated'], 'decide');
        const by = { id: user.id, name: user.name };
        let line: ClaimLine;
        if (decision === 'uphold') {
          line = await this.applySuggestion(tx, current, suggestion, seq);
        } else {
          const review = { state: 'accepted' as const, category: null, comment: reason, by };
          line = { ...findLine(current, suggestion.lineId), review };
          await this.encounters.setLineReview(tx, line.id, review, seq);
        }
        const settledHow = decision === 'uphold' ? 'upheld' : 'overruled';
        const precedent = await recordPrecedent(tx, current, suggestion, settledHow, reason, by);
        const at = await this.review.decideSuggestion(
          tx,
          suggestionId,
          { decision, reason, by },
          precedent,
          seq,
        );
        return {
          type: 'suggestion.decided',
          payload: {
            suggestionId,
            status: settledHow,
            decision: { decision, reason, by, at: at.toISOString() },
            line,
            precedent,
          },
        };
      },
    );
  }

  /** The line with the suggestion's fields, accepted with its category and reviewed by its author. */
  private async applySuggestion(
    tx: Parameters<EncounterRepository['applySuggestionToLine']>[0],
    current: Encounter,
    suggestion: Suggestion,
    seq: number,
  ): Promise<ClaimLine> {
    const line: ClaimLine = {
      ...findLine(current, suggestion.lineId),
      ...(suggestion.proposed as Partial<ClaimLine>),
      review: {
        state: 'accepted',
        category: suggestion.category,
        comment: suggestion.comment || null,
        by: suggestion.author,
      },
    };
    assertPointersValid([line], current.diagnoses.length);
    await this.encounters.applySuggestionToLine(tx, line, suggestion, seq);
    return line;
  }
}

const STATUS_WORDS: Record<SuggestionStatus, string> = {
  open: 'waiting for the coder',
  accepted: 'accepted',
  disputed: 'disputed',
  withdrawn: 'withdrawn',
  escalated: 'waiting for a supervisor',
  upheld: 'upheld by a supervisor',
  overruled: 'overruled by a supervisor',
};

/** The suggestion, when its status is one of `allowed`; else not_found or invalid_state. */
function findSuggestion(
  encounter: Encounter,
  suggestionId: string,
  allowed: readonly SuggestionStatus[],
  doing: string,
): Suggestion {
  const suggestion = encounter.suggestions.find((s) => s.id === suggestionId);
  if (!suggestion) throw DomainError.notFound('The suggestion');
  if (!allowed.includes(suggestion.status))
    throw new DomainError(
      'invalid_state',
      `The suggestion is ${STATUS_WORDS[suggestion.status]}, so you cannot ${doing} it`,
    );
  return suggestion;
}
