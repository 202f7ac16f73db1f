import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The facts the quality programme reads (docs/domain.md section 10), written in the approval's
 * transaction and never recomputed from the event log on a dashboard request:
 * - `review_results`: one row per reviewed chart (its latest approval; a re-approval after a
 *   reopen replaces it), with the tally of its lines and the money before and after review;
 * - `review_outcomes` gains each line's code, code family and price before and after review;
 * - three roll-ups by approval week, coder, reviewer and provider (all, by code family, by
 *   correction category), kept in step with `review_results` in the same transaction, so a
 *   year's report reads a few thousand rows rather than a hundred thousand charts;
 * - `encounters` gains when it was first submitted, last approved and signed off (turnaround,
 *   queue age).
 * The roll-ups are derived: `rebuild` in the quality results repository recomputes them from
 * `review_results` and `review_outcomes`, and the integration tests check both paths agree.
 */
export class ReviewResults1795720000000 implements MigrationInterface {
  name = 'ReviewResults1795720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE encounters ADD COLUMN submitted_at timestamptz, ADD COLUMN approved_at timestamptz,
         ADD COLUMN signed_off_at timestamptz`,
    );
    await queryRunner.query(
      `ALTER TABLE review_outcomes ADD COLUMN code text, ADD COLUMN family text,
         ADD COLUMN coder_cents bigint NOT NULL DEFAULT 0, ADD COLUMN final_cents bigint NOT NULL DEFAULT 0`,
    );
    await queryRunner.query(`
      CREATE TABLE review_results (
        encounter_id uuid PRIMARY KEY REFERENCES encounters(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        approval_seq integer NOT NULL,
        coder_id uuid NOT NULL,
        reviewer_id uuid NOT NULL,
        provider_npi text NOT NULL DEFAULT '',
        submitted_at timestamptz,
        approved_at timestamptz NOT NULL,
        week date NOT NULL,
        signed_off_at timestamptz,
        coder_lines integer NOT NULL CHECK (coder_lines >= 0),
        accepted_unchanged integer NOT NULL CHECK (accepted_unchanged >= 0),
        missed_lines integer NOT NULL CHECK (missed_lines >= 0),
        corrected integer NOT NULL CHECK (corrected >= 0),
        rejected integer NOT NULL CHECK (rejected >= 0),
        clean boolean NOT NULL,
        coder_cents bigint NOT NULL,
        reviewed_cents bigint NOT NULL,
        categories text[] NOT NULL DEFAULT '{}',
        families text[] NOT NULL DEFAULT '{}'
      )`);
    await queryRunner.query(
      `CREATE INDEX review_results_org_idx ON review_results (organization_id, approved_at DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX review_results_coder_idx ON review_results (organization_id, coder_id, approved_at DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX review_results_reviewer_idx ON review_results (organization_id, reviewer_id, approved_at DESC)`,
    );
    const tally = `
        charts integer NOT NULL DEFAULT 0,
        clean_charts integer NOT NULL DEFAULT 0,
        coder_lines integer NOT NULL DEFAULT 0,
        accepted_unchanged integer NOT NULL DEFAULT 0,
        missed_lines integer NOT NULL DEFAULT 0,
        corrected integer NOT NULL DEFAULT 0,
        rejected integer NOT NULL DEFAULT 0,
        reviewed_cents bigint NOT NULL DEFAULT 0,
        abs_impact_cents bigint NOT NULL DEFAULT 0,
        net_impact_cents bigint NOT NULL DEFAULT 0`;
    const keys = `
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        week date NOT NULL,
        coder_id uuid NOT NULL,
        reviewer_id uuid NOT NULL,
        provider_npi text NOT NULL`;
    await queryRunner.query(`
      CREATE TABLE quality_rollup (${keys},${tally},
        PRIMARY KEY (organization_id, week, coder_id, reviewer_id, provider_npi)
      )`);
    // By code family: a chart counts once in each family it has lines in; "clean" there means
    // no line of that family was corrected, rejected or missed; cents are that family's lines.
    await queryRunner.query(`
      CREATE TABLE quality_rollup_family (${keys},
        family text NOT NULL,${tally},
        PRIMARY KEY (organization_id, week, coder_id, reviewer_id, provider_npi, family)
      )`);
    // By correction category: lines corrected, rejected or missed in that category and the money
    // those lines moved (final - coder price, per line).
    await queryRunner.query(`
      CREATE TABLE quality_rollup_category (${keys},
        category text NOT NULL,
        corrections integer NOT NULL DEFAULT 0,
        charts integer NOT NULL DEFAULT 0,
        net_impact_cents bigint NOT NULL DEFAULT 0,
        abs_impact_cents bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (organization_id, week, coder_id, reviewer_id, provider_npi, category)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE quality_rollup_category`);
    await queryRunner.query(`DROP TABLE quality_rollup_family`);
    await queryRunner.query(`DROP TABLE quality_rollup`);
    await queryRunner.query(`DROP TABLE review_results`);
    await queryRunner.query(
      `ALTER TABLE review_outcomes DROP COLUMN code, DROP COLUMN family, DROP COLUMN coder_cents, DROP COLUMN final_cents`,
    );
    await queryRunner.query(
      `ALTER TABLE encounters DROP COLUMN submitted_at, DROP COLUMN approved_at, DROP COLUMN signed_off_at`,
    );
  }
}
