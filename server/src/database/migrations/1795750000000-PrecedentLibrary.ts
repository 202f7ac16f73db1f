import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The precedent library around the precedents table (docs/domain.md section 10.4): a word index
 * for search, the history of each precedent's edits and retirements, and the precedent a
 * reviewer cites on a suggestion.
 *
 * Words are searched with Postgres full-text search rather than pg_trgm: precedents are prose
 * ("modifier 25 stands when the visit is separately identifiable"), so a search should match
 * words and their forms ("stands", "stand") anywhere in three fields, not fragments of
 * characters; `websearch_to_tsquery` also takes what a person types without a syntax to learn.
 * The expression index is the one the search repeats, so no stored column has to be kept in step.
 */
export class PrecedentLibrary1795750000000 implements MigrationInterface {
  name = 'PrecedentLibrary1795750000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX precedents_words_idx ON precedents
         USING gin (to_tsvector('english', question || ' ' || decision || ' ' || reasoning))`,
    );
    await queryRunner.query(`
      CREATE TABLE precedent_revisions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        precedent_id uuid NOT NULL REFERENCES precedents(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('edit', 'retire', 'reactivate')),
        before jsonb NOT NULL,
        after jsonb NOT NULL,
        reason text,
        changed_by uuid REFERENCES users(id) ON DELETE SET NULL,
        changed_by_name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX precedent_revisions_precedent_idx ON precedent_revisions (precedent_id, created_at)`,
    );
    await queryRunner.query(
      `ALTER TABLE suggestions ADD COLUMN cited_precedent_id uuid REFERENCES precedents(id) ON DELETE SET NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE suggestions DROP COLUMN cited_precedent_id`);
    await queryRunner.query(`DROP TABLE precedent_revisions`);
    await queryRunner.query(`DROP INDEX precedents_words_idx`);
  }
}
