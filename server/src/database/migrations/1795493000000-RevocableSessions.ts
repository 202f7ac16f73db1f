import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per sign-in, named by the session token: ending the row ends the session on every
 * instance at once. Users can be deactivated (never deleted to sign them out). The login brake
 * keeps its counters in `rate_limits` when there is no Redis (rate-limiter-flexible's layout).
 */
export class RevocableSessions1795493000000 implements MigrationInterface {
  name = 'RevocableSessions1795493000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users ADD COLUMN deactivated_at timestamptz`);
    await queryRunner.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_activity_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        ended_at timestamptz,
        end_reason text CHECK (end_reason IN ('logout', 'role_changed', 'deactivated', 'expired', 'idle')),
        CHECK ((ended_at IS NULL) = (end_reason IS NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX sessions_open_by_user_idx ON sessions (user_id) WHERE ended_at IS NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE rate_limits (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rate_limits`);
    await queryRunner.query(`DROP TABLE sessions`);
    await queryRunner.query(`ALTER TABLE users DROP COLUMN deactivated_at`);
  }
}
