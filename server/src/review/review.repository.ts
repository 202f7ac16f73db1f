import { Inject, Injectable } from '@nestjs/common';
import type {
  Comment,
  DisputeDecision,
  PrecedentRef,
  SessionUser,
  Thread,
  UserRef,
} from '@countersign/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { returningRows } from '../database/returning-rows.js';
import {
  CommentEntity,
  CommentThreadEntity,
  FindingAcknowledgementEntity,
  ReviewOutcomeEntity,
  SuggestionEntity,
} from './review.entities.js';

/** One review outcome row as approval records it. */
export type OutcomeRow = Omit<ReviewOutcomeEntity, 'approvedAt'>;

/**
 * All of the review's SQL: suggestions, threads and comments, acknowledgements, outcomes. The
 * writes run inside the EncounterWriter's transaction (`tx`), one statement each, so an edit's
 * statement count stays what the live path is measured on. What review changes on the chart
 * itself (line review states, status, reviewer) goes through EncounterRepository.
 */
@Injectable()
export class ReviewRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Records (or replaces) the acknowledgement of a warning; answers when it was made. */
  async acknowledge(
    tx: EntityManager,
    row: Omit<FindingAcknowledgementEntity, 'createdAt'>,
  ): Promise<Date> {
    const result = await tx
      .createQueryBuilder()
      .insert()
      .into(FindingAcknowledgementEntity)
      .values({ ...row, createdAt: () => 'now()' })
      .orUpdate(
        ['reason', 'by_id', 'by_name', 'created_seq', 'created_at'],
        ['encounter_id', 'finding_id'],
      )
      .returning('created_at')
      .updateEntity(false)
      .execute();
    const [inserted] = returningRows<{ created_at: Date }>(result.raw);
    return inserted!.created_at;
  }

  /** Inserts an open suggestion; answers its id and creation time. */
  async insertSuggestion(
    tx: EntityManager,
    suggestion: Pick<
      SuggestionEntity,
      | 'encounterId'
      | 'lineId'
      | 'authorId'
      | 'authorName'
      | 'before'
      | 'proposed'
      | 'category'
      | 'comment'
      | 'citedPrecedentId'
    >,
    seq: number,
  ): Promise<{ id: string; createdAt: Date }> {
    const row = tx.create(SuggestionEntity, { ...suggestion, createdSeq: seq, lastSeq: seq });
    await tx.insert(SuggestionEntity, row);
    return { id: row.id, createdAt: row.createdAt };
  }

  /** The coder's answer (or the reviewer's withdrawal) of a suggestion, with the precedent a settled dispute became. */
  async answerSuggestion(
    tx: EntityManager,
    suggestionId: string,
    answer: {
      status: 'accepted' | 'disputed' | 'withdrawn';
      by: { id: string; name: string } | null;
      threadId: string | null;
      precedent?: PrecedentRef | null;
    },
    seq: number,
  ): Promise<void> {
    await tx.update(SuggestionEntity, suggestionId, {
      status: answer.status,
      ...(answer.by ? { answeredBy: answer.by.id, answeredByName: answer.by.name } : {}),
      ...(answer.threadId ? { threadId: answer.threadId } : {}),
      ...precedentColumns(answer.precedent),
      lastSeq: seq,
    });
  }

  /** A dispute sent to a supervisor; answers when, as the database's clock says. */
  async escalateSuggestion(
    tx: EntityManager,
    suggestionId: string,
    by: UserRef,
    comment: string,
    seq: number,
  ): Promise<Date> {
    const result: unknown = await tx.query(
      `UPDATE suggestions SET status = 'escalated', escalated_by = $2, escalated_by_name = $3,
              escalation_comment = $4, escalated_at = now(), last_seq = $5
        WHERE id = $1 RETURNING escalated_at`,
      [suggestionId, by.id, by.name, comment, seq],
    );
    return returningRows<{ escalated_at: Date }>(result)[0]!.escalated_at;
  }

  /** A supervisor's decision of an escalated dispute and the precedent it became; answers when. */
  async decideSuggestion(
    tx: EntityManager,
    suggestionId: string,
    decision: { decision: DisputeDecision; reason: string; by: UserRef },
    precedent: PrecedentRef | null,
    seq: number,
  ): Promise<Date> {
    const result: unknown = await tx.query(
      `UPDATE suggestions SET status = $2, decision = $3, decision_reason = $4, decided_by = $5,
              decided_by_name = $6, decided_at = now(), precedent_id = $7, precedent_number = $8,
              last_seq = $9
        WHERE id = $1 RETURNING decided_at`,
      [
        suggestionId,
        decision.decision === 'uphold' ? 'upheld' : 'overruled',
        decision.decision,
        decision.reason,
        decision.by.id,
        decision.by.name,
        precedent?.id ?? null,
        precedent?.number ?? null,
        seq,
      ],
    );
    return returningRows<{ decided_at: Date }>(result)[0]!.decided_at;
  }

  /** Opens a thread with its first comment; shared by disputes and new comment threads. */
  async openThread(
    tx: EntityManager,
    thread: { encounterId: string; lineId: string | null; suggestionId: string | null },
    author: SessionUser,
    body: string,
    mentions: string[],
    seq: number,
  ): Promise<Thread> {
    const row = tx.create(CommentThreadEntity, { ...thread, createdSeq: seq });
    await tx.insert(CommentThreadEntity, row);
    const comment = await this.addComment(tx, row.id, author, body, mentions, seq);
    return {
      id: row.id,
      lineId: thread.lineId,
      suggestionId: thread.suggestionId,
      resolved: false,
      comments: [comment],
    };
  }

  async addComment(
    tx: EntityManager,
    threadId: string,
    author: SessionUser,
    body: string,
    mentions: string[],
    seq: number,
  ): Promise<Comment> {
    const row = tx.create(CommentEntity, {
      threadId,
      authorId: author.id,
      authorName: author.name,
      body,
      mentions,
      createdSeq: seq,
    });
    await tx.insert(CommentEntity, row);
    return {
      id: row.id,
      author: { id: author.id, name: author.name },
      body,
      mentions,
      at: row.createdAt.toISOString(),
    };
  }

  async setThreadResolved(tx: EntityManager, threadId: string, resolved: boolean): Promise<void> {
    await tx.update(CommentThreadEntity, threadId, { resolved });
  }

  /** The outcomes of one approval, one row per line, in one statement. */
  async insertOutcomes(tx: EntityManager, rows: OutcomeRow[]): Promise<void> {
    if (rows.length === 0) return;
    await tx
      .createQueryBuilder()
      .insert()
      .into(ReviewOutcomeEntity)
      .values(rows)
      .updateEntity(false)
      .execute();
  }
}

function precedentColumns(
  precedent: PrecedentRef | null | undefined,
): Pick<SuggestionEntity, 'precedentId' | 'precedentNumber'> | object {
  return precedent ? { precedentId: precedent.id, precedentNumber: precedent.number } : {};
}
