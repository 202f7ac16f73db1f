import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The live review: each line's review and what the coder submitted, suggestions, comment
 * threads, acknowledged warnings, review outcomes recorded at approval, and client operation ids on events so a
 * retried command takes effect once. Rows created by events keep the event's seq
 * (`created_seq`), so reads list them in the order the event log does.
 */
export class LiveReview1795479000000 implements MigrationInterface {
  name = 'LiveReview1795479000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE claim_lines
        ADD COLUMN rationale text NOT NULL DEFAULT '',
        ADD COLUMN evidence jsonb,
        ADD COLUMN origin text NOT NULL DEFAULT 'coder' CHECK (origin IN ('coder', 'reviewer')),
        ADD COLUMN review_state text NOT NULL DEFAULT 'pending' CHECK (review_state IN ('pending', 'accepted', 'rejected')),
        ADD COLUMN review_category text,
        ADD COLUMN review_comment text,
        ADD COLUMN reviewed_by uuid REFERENCES users(id) ON DELETE SET NULL,
        ADD COLUMN reviewed_by_name text,
        ADD COLUMN submitted jsonb,
        ADD COLUMN last_seq integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`
      CREATE TABLE suggestions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        encounter_id uuid NOT NULL REFERENCES encounters(id) ON DELETE CASCADE,
        line_id uuid NOT NULL REFERENCES claim_lines(id) ON DELETE CASCADE,
        author_id uuid REFERENCES users(id) ON DELETE SET NULL,
        author_name text NOT NULL,
        before jsonb NOT NULL,
        proposed jsonb NOT NULL,
        category text NOT NULL,
        comment text NOT NULL DEFAULT '',
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'disputed', 'withdrawn')),
        answered_by uuid REFERENCES users(id) ON DELETE SET NULL,
        answered_by_name text,
        thread_id uuid,
        created_seq integer NOT NULL,
        last_seq integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX suggestions_encounter_idx ON suggestions (encounter_id, created_seq)`,
    );
    await queryRunner.query(`
      CREATE TABLE comment_threads (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        encounter_id uuid NOT NULL REFERENCES encounters(id) ON DELETE CASCADE,
        line_id uuid REFERENCES claim_lines(id) ON DELETE CASCADE,
        suggestion_id uuid REFERENCES suggestions(id) ON DELETE CASCADE,
        resolved boolean NOT NULL DEFAULT false,
        created_seq integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX comment_threads_encounter_idx ON comment_threads (encounter_id, created_seq)`,
    );
    await queryRunner.query(`
      CREATE TABLE comments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        thread_id uuid NOT NULL REFERENCES comment_threads(id) ON DELETE CASCADE,
        author_id uuid REFERENCES users(id) ON DELETE SET NULL,
        author_name text NOT NULL,
        body text NOT NULL,
        mentions uuid[] NOT NULL DEFAULT '{}',
        created_seq integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX comments_thread_idx ON comments (thread_id, created_seq)`,
    );
    await queryRunner.query(`
      CREATE TABLE finding_acknowledgements (
        encounter_id uuid NOT NULL REFERENCES encounters(id) ON DELETE CASCADE,
        finding_id text NOT NULL,
        reason text NOT NULL,
        by_id uuid REFERENCES users(id) ON DELETE SET NULL,
        by_name text NOT NULL,
        created_seq integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (encounter_id, finding_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE review_outcomes (
        encounter_id uuid NOT NULL REFERENCES encounters(id) ON DELETE CASCADE,
        approval_seq integer NOT NULL,
        line_id uuid NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('accepted', 'corrected', 'rejected', 'missed')),
        category text,
        coder_line jsonb,
        final_line jsonb,
        coder_id uuid REFERENCES users(id) ON DELETE SET NULL,
        reviewer_id uuid REFERENCES users(id) ON DELETE SET NULL,
        approved_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (encounter_id, approval_seq, line_id)
      )`);
    await queryRunner.query(`ALTER TABLE encounter_events ADD COLUMN op_id uuid`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX encounter_events_op_idx ON encounter_events (encounter_id, op_id) WHERE op_id IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX encounter_events_op_idx`);
    await queryRunner.query(`ALTER TABLE encounter_events DROP COLUMN op_id`);
    await queryRunner.query(`DROP TABLE review_outcomes`);
    await queryRunner.query(`DROP TABLE finding_acknowledgements`);
    await queryRunner.query(`DROP TABLE comments`);
    await queryRunner.query(`DROP TABLE comment_threads`);
    await queryRunner.query(`DROP TABLE suggestions`);
    await queryRunner.query(`
      ALTER TABLE claim_lines
        DROP COLUMN rationale, DROP COLUMN evidence, DROP COLUMN origin, DROP COLUMN review_state,
        DROP COLUMN review_category, DROP COLUMN review_comment, DROP COLUMN reviewed_by,
        DROP COLUMN reviewed_by_name, DROP COLUMN submitted, DROP COLUMN last_seq`);
  }
}
