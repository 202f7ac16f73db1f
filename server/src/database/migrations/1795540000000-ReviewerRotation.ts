import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where each organization's reviewer round-robin stands: the last reviewer a chart was routed
 * to. One row per organization, locked while a chart is routed, so every server instance
 * shares one rotation (docs/domain.md section 6.1).
 */
export class ReviewerRotation1795540000000 implements MigrationInterface {
  name = 'ReviewerRotation1795540000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE reviewer_rotations (
        organization_id uuid PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
        last_reviewer_id uuid REFERENCES users(id) ON DELETE SET NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE reviewer_rotations`);
  }
}
