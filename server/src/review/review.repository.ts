import { Inject, Injectable } from '@nestjs/common';
import type {
  ClaimLine,
  Comment,
  CorrectionCategory,
  EditsLine,
  EncounterStatus,
  ProposedLine,
  SessionUser,
  Suggestion,
  Thread,
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

/** A line as the coder submitted it (its billed fields, pointers as diagnosis letters). */
export interface SubmittedLine {
  id: string;
  submitted: Omit<EditsLine, 'id'>;
}

/** One review outcome row as approval records it. */
export type OutcomeRow = Omit<ReviewOutcomeEntity, 'approvedAt'>;

/**
 * All of the review's SQL: suggestions, threads and comments, acknowledgements, outcomes. The
 * writes run inside the EncounterWriter's transaction (`tx`), one statement each, so an edit's
 * statement count stays what the live path is measured on. The few statements on the encounter
 * aggregate's tables (`encounters`, `claim_lines`) are named as such below.
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
    >,
    seq: number,
  ): Promise<{ id: string; createdAt: Date }> {
    const row = tx.create(SuggestionEntity, { ...suggestion, createdSeq: seq, lastSeq: seq });
    await tx.insert(SuggestionEntity, row);
    return { id: row.id, createdAt: row.createdAt };
  }

  /** The coder's answer (or the reviewer's withdrawal) of a suggestion. */
  async answerSuggestion(
    tx: EntityManager,
    suggestionId: string,
    answer: {
      status: Exclude<Suggestion['status'], 'open'>;
      by: { id: string; name: string } | null;
      threadId: string | null;
    },
    seq: number,
  ): Promise<void> {
    await tx.update(SuggestionEntity, suggestionId, {
      status: answer.status,
      ...(answer.by ? { answeredBy: answer.by.id, answeredByName: answer.by.name } : {}),
      ...(answer.threadId ? { threadId: answer.threadId } : {}),
      lastSeq: seq,
    });
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

  // --- Statements on the encounter aggregate's tables (encounters, claim_lines). ---

  /** Encounter aggregate: what the coder submitted for each line of the chart (null if never). */
  async submittedLines(
    tx: EntityManager,
    encounterId: string,
  ): Promise<Map<string, ProposedLine | null>> {
    const rows = await tx.query<Array<{ id: string; submitted: ProposedLine | null }>>(
      'SELECT id, submitted FROM claim_lines WHERE encounter_id = $1',
      [encounterId],
    );
    return new Map(rows.map((row) => [row.id, row.submitted]));
  }

  /** Encounter aggregate: the coder's submitted lines in chart order, for the dollar impact. */
  coderSubmittedLines(encounterId: string): Promise<SubmittedLine[]> {
    return this.dataSource.query<SubmittedLine[]>(
      `SELECT id, submitted FROM claim_lines WHERE encounter_id = $1 AND origin = 'coder' AND submitted IS NOT NULL ORDER BY position`,
      [encounterId],
    );
  }

  /** Encounter aggregate: a line's review state. */
  async setLineReview(
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

  /** Encounter aggregate: an accepted suggestion's fields go on the line, reviewed by its author. */
  async applySuggestionToLine(
    tx: EntityManager,
    line: ClaimLine,
    suggestion: { category: CorrectionCategory; author: { id: string; name: string } },
    seq: number,
  ): Promise<void> {
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
  }

  /** Encounter aggregate: the reviewer who started the review. */
  async setEncounterReviewer(
    tx: EntityManager,
    encounterId: string,
    reviewerId: string,
  ): Promise<void> {
    await tx.query('UPDATE encounters SET reviewer_id = $2 WHERE id = $1', [
      encounterId,
      reviewerId,
    ]);
  }

  /** Encounter aggregate: the chart's workflow status. */
  async setEncounterStatus(
    tx: EntityManager,
    encounterId: string,
    status: EncounterStatus,
  ): Promise<void> {
    await tx.query('UPDATE encounters SET status = $2 WHERE id = $1', [encounterId, status]);
  }
}
