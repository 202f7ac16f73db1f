import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sampling that tapers (docs/domain.md section 10, "Sampling"):
 * - `sampling_policies`: an organization's policy as the supervisor last saved it (the shape is
 *   `SamplingPolicySchema`, checked in code before every write); no row means the defaults;
 * - `sampling_policy_revisions`: every saved policy, who saved it and when (append-only);
 * - `sampling_decisions`: what the sampling decided at each submit, keyed by the seq of the
 *   submit's event, with the draw, so a skip can be recomputed and audited.
 */
export class Sampling1795740000000 implements MigrationInterface {
  name = 'Sampling1795740000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sampling_policies (
        organization_id uuid PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
        policy jsonb NOT NULL,
        updated_by uuid REFERENCES users(id) ON DELETE SET NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE sampling_policy_revisions (
        id bigserial PRIMARY KEY,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        policy jsonb NOT NULL,
        changed_by uuid REFERENCES users(id) ON DELETE SET NULL,
        changed_by_name text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX sampling_policy_revisions_org_idx ON sampling_policy_revisions (organization_id, changed_at DESC)`,
    );
    await queryRunner.query(`
      CREATE TABLE sampling_decisions (
        encounter_id uuid NOT NULL REFERENCES encounters(id) ON DELETE CASCADE,
        seq integer NOT NULL,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        coder_id uuid,
        review boolean NOT NULL,
        reasons text[] NOT NULL,
        level text NOT NULL CHECK (level IN ('full', 'sampled')),
        explanation text NOT NULL,
        sample_rate double precision NOT NULL CHECK (sample_rate >= 0 AND sample_rate <= 1),
        draw double precision NOT NULL CHECK (draw >= 0 AND draw < 1),
        decided_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (encounter_id, seq)
      )`);
    await queryRunner.query(
      `CREATE INDEX sampling_decisions_org_idx ON sampling_decisions (organization_id, decided_at DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE sampling_decisions`);
    await queryRunner.query(`DROP TABLE sampling_policy_revisions`);
    await queryRunner.query(`DROP TABLE sampling_policies`);
  }
}
