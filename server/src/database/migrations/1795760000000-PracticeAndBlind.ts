import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13's foundation: charts that are not claims, trainees, and blind double coding
 * (docs/domain.md section 11).
 *
 * - `encounters.purpose`: `claim` (a real chart), `practice` (a trainee's attempt at a gold
 *   practice chart) or `blind` (one coder's blind copy of a chart sent to two coders). Practice
 *   and blind charts use the same room, lines, findings and fees as claims, and never appear in
 *   worklists, queue counts, quality figures, sampling or claim exports.
 * - `encounters.source_encounter_id`: the chart a copy was made from (a blind copy's chart).
 * - `users.trainee`: a coder still learning on practice charts; real charts are not assigned to
 *   them until a supervisor promotes them (`promoted_at`), after which the sampling policy's new
 *   coder rule reviews their first charts in full.
 * - `double_codings`: one chart sent to two coders; `double_coding_copies` their blind copies;
 *   `reconciliation_decisions` the final lines a reviewer built from both, with a reason each.
 */
export class PracticeAndBlind1795760000000 implements MigrationInterface {
  name = 'PracticeAndBlind1795760000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE encounters
         ADD COLUMN purpose text NOT NULL DEFAULT 'claim' CHECK (purpose IN ('claim', 'practice', 'blind')),
         ADD COLUMN source_encounter_id uuid REFERENCES encounters(id) ON DELETE SET NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX encounters_source_encounter_idx ON encounters (source_encounter_id)
         WHERE source_encounter_id IS NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE users
         ADD COLUMN trainee boolean NOT NULL DEFAULT false,
         ADD COLUMN promoted_at timestamptz,
         ADD COLUMN promoted_by uuid REFERENCES users(id) ON DELETE SET NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE double_codings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        encounter_id uuid NOT NULL REFERENCES encounters(id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'coding'
          CHECK (status IN ('coding', 'reconciling', 'reconciled', 'cancelled')),
        requested_via text NOT NULL DEFAULT 'supervisor' CHECK (requested_via IN ('supervisor', 'sampling')),
        requested_by uuid REFERENCES users(id) ON DELETE SET NULL,
        requested_at timestamptz NOT NULL DEFAULT now(),
        both_submitted_at timestamptz,
        reconciled_by uuid REFERENCES users(id) ON DELETE SET NULL,
        reconciled_at timestamptz,
        cancelled_by uuid REFERENCES users(id) ON DELETE SET NULL,
        cancelled_at timestamptz,
        cancel_reason text
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX double_codings_open_idx ON double_codings (encounter_id)
         WHERE status IN ('coding', 'reconciling')`,
    );
    await queryRunner.query(
      `CREATE INDEX double_codings_period_idx ON double_codings (organization_id, both_submitted_at)`,
    );
    await queryRunner.query(`
      CREATE TABLE double_coding_copies (
        double_coding_id uuid NOT NULL REFERENCES double_codings(id) ON DELETE CASCADE,
        slot smallint NOT NULL CHECK (slot IN (1, 2)),
        encounter_id uuid NOT NULL UNIQUE REFERENCES encounters(id) ON DELETE CASCADE,
        coder_id uuid NOT NULL REFERENCES users(id),
        submitted_at timestamptz,
        PRIMARY KEY (double_coding_id, slot)
      )`);
    await queryRunner.query(
      `CREATE INDEX double_coding_copies_coder_idx ON double_coding_copies (coder_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE reconciliation_decisions (
        double_coding_id uuid NOT NULL REFERENCES double_codings(id) ON DELETE CASCADE,
        position integer NOT NULL,
        source text NOT NULL CHECK (source IN ('first', 'second', 'both', 'new', 'dropped')),
        first_line jsonb,
        second_line jsonb,
        final_line jsonb,
        reason text NOT NULL CHECK (length(btrim(reason)) > 0),
        decided_by uuid REFERENCES users(id) ON DELETE SET NULL,
        decided_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (double_coding_id, position)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE reconciliation_decisions`);
    await queryRunner.query(`DROP TABLE double_coding_copies`);
    await queryRunner.query(`DROP TABLE double_codings`);
    await queryRunner.query(
      `ALTER TABLE users DROP COLUMN promoted_by, DROP COLUMN promoted_at, DROP COLUMN trainee`,
    );
    await queryRunner.query(`DROP INDEX encounters_source_encounter_idx`);
    await queryRunner.query(
      `ALTER TABLE encounters DROP COLUMN source_encounter_id, DROP COLUMN purpose`,
    );
  }
}
