import type {
  CodeFamily,
  CorrectionCategory,
  DisputeDecision,
  ProposedLine,
  SuggestionStatus,
} from '@countersign/shared';
import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The review's tables, column for column as the migrations create them (LiveReview,
 * CodeSetsAndEdits, DisputeEscalation, ReviewResults). Written only inside an EncounterWriter transaction; read for the chart by
 * the encounter reader.
 */

/** A reviewer's proposed change to one line, answered by the coder. */
@Entity('suggestions')
export class SuggestionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'encounter_id' })
  encounterId!: string;

  @Column('uuid', { name: 'line_id' })
  lineId!: string;

  @Column('uuid', { name: 'author_id', nullable: true })
  authorId!: string | null;

  @Column('text', { name: 'author_name' })
  authorName!: string;

  @Column('jsonb')
  before!: ProposedLine;

  @Column('jsonb')
  proposed!: ProposedLine;

  @Column('text')
  category!: CorrectionCategory;

  @Column('text', { default: '' })
  comment!: string;

  @Column('text', { default: 'open' })
  status!: SuggestionStatus;

  @Column('uuid', { name: 'answered_by', nullable: true })
  answeredBy!: string | null;

  @Column('text', { name: 'answered_by_name', nullable: true })
  answeredByName!: string | null;

  @Column('uuid', { name: 'thread_id', nullable: true })
  threadId!: string | null;

  @Column('integer', { name: 'created_seq' })
  createdSeq!: number;

  @Column('integer', { name: 'last_seq' })
  lastSeq!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('uuid', { name: 'escalated_by', nullable: true })
  escalatedBy!: string | null;

  @Column('text', { name: 'escalated_by_name', nullable: true })
  escalatedByName!: string | null;

  @Column('text', { name: 'escalation_comment', nullable: true })
  escalationComment!: string | null;

  @Column('timestamptz', { name: 'escalated_at', nullable: true })
  escalatedAt!: Date | null;

  @Column('text', { nullable: true })
  decision!: DisputeDecision | null;

  @Column('text', { name: 'decision_reason', nullable: true })
  decisionReason!: string | null;

  @Column('uuid', { name: 'decided_by', nullable: true })
  decidedBy!: string | null;

  @Column('text', { name: 'decided_by_name', nullable: true })
  decidedByName!: string | null;

  @Column('timestamptz', { name: 'decided_at', nullable: true })
  decidedAt!: Date | null;

  @Column('uuid', { name: 'precedent_id', nullable: true })
  precedentId!: string | null;

  @Column('integer', { name: 'precedent_number', nullable: true })
  precedentNumber!: number | null;
  /** The precedent the reviewer cited, "see precedent 12" (migration PrecedentLibrary). */
  @Column('uuid', { name: 'cited_precedent_id', nullable: true })
  citedPrecedentId!: string | null;
}

/** A conversation on a line, on a disputed suggestion, or on the whole chart (no line). */
@Entity('comment_threads')
export class CommentThreadEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'encounter_id' })
  encounterId!: string;

  @Column('uuid', { name: 'line_id', nullable: true })
  lineId!: string | null;

  @Column('uuid', { name: 'suggestion_id', nullable: true })
  suggestionId!: string | null;

  @Column('boolean', { default: false })
  resolved!: boolean;

  @Column('integer', { name: 'created_seq' })
  createdSeq!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** One comment of a thread, with the ids of the teammates it mentions. */
@Entity('comments')
export class CommentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'thread_id' })
  threadId!: string;

  @Column('uuid', { name: 'author_id', nullable: true })
  authorId!: string | null;

  @Column('text', { name: 'author_name' })
  authorName!: string;

  @Column('text')
  body!: string;

  @Column('uuid', { array: true, default: () => "'{}'::uuid[]" })
  mentions!: string[];

  @Column('integer', { name: 'created_seq' })
  createdSeq!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** A warning the reviewer acknowledged with a reason; one per finding and chart. */
@Entity('finding_acknowledgements')
export class FindingAcknowledgementEntity {
  @PrimaryColumn('uuid', { name: 'encounter_id' })
  encounterId!: string;

  @PrimaryColumn('text', { name: 'finding_id' })
  findingId!: string;

  @Column('text')
  reason!: string;

  @Column('uuid', { name: 'by_id', nullable: true })
  byId!: string | null;

  @Column('text', { name: 'by_name' })
  byName!: string;

  @Column('integer', { name: 'created_seq' })
  createdSeq!: number;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;
}

/** Cents fit a JavaScript number; Postgres hands bigint back as a string. */
const CENTS = { to: (value: number) => value, from: (value: string | null) => Number(value ?? 0) };

/** What became of one line at an approval: the facts coding accuracy is measured on. */
@Entity('review_outcomes')
export class ReviewOutcomeEntity {
  @PrimaryColumn('uuid', { name: 'encounter_id' })
  encounterId!: string;

  @PrimaryColumn('integer', { name: 'approval_seq' })
  approvalSeq!: number;

  @PrimaryColumn('uuid', { name: 'line_id' })
  lineId!: string;

  @Column('text')
  outcome!: 'accepted' | 'corrected' | 'rejected' | 'missed';

  @Column('text', { nullable: true })
  category!: string | null;

  @Column('jsonb', { name: 'coder_line', nullable: true })
  coderLine!: ProposedLine | null;

  @Column('jsonb', { name: 'final_line', nullable: true })
  finalLine!: ProposedLine | null;

  @Column('uuid', { name: 'coder_id', nullable: true })
  coderId!: string | null;

  @Column('uuid', { name: 'reviewer_id', nullable: true })
  reviewerId!: string | null;

  /** The code the line is judged under: the final one, or the coder's for a rejected line. */
  @Column('text', { nullable: true })
  code!: string | null;

  @Column('text', { nullable: true })
  family!: CodeFamily | null;

  /** The line's price as the coder submitted it (cents; 0 for a missed line). */
  @Column('bigint', { name: 'coder_cents', default: 0, transformer: CENTS })
  coderCents!: number;

  /** The line's price as approved (cents; 0 for a rejected line). */
  @Column('bigint', { name: 'final_cents', default: 0, transformer: CENTS })
  finalCents!: number;

  @Column('timestamptz', { name: 'approved_at', default: () => 'now()' })
  approvedAt!: Date;
}

export const REVIEW_ENTITIES = [
  SuggestionEntity,
  CommentThreadEntity,
  CommentEntity,
  FindingAcknowledgementEntity,
  ReviewOutcomeEntity,
];
