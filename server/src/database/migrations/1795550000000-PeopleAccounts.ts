import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People managed from the app, without email on the machine:
 * - `users.password_hash` may be null: a person an admin added (or whose password an admin
 *   reset) has no password until they open their set-password link, and cannot sign in;
 * - `password_links`: one-time set-password links. Only the sha256 of the random token is
 *   stored; a link is used once, expires, and is revoked when a newer one is issued;
 * - `people_events`: the audit trail of what admins do to people (added, role changed,
 *   deactivated, reactivated, link issued, password set), one hash chain per organization like
 *   the chart's events; append-only (the trigger of AuditTrail refuses UPDATE, DELETE,
 *   TRUNCATE), and `organizations.people_events_seq` is the chain's length, so a removed last
 *   entry shows.
 * - `sessions.end_reason` may be `password_reset`.
 */
export class PeopleAccounts1795550000000 implements MigrationInterface {
  name = 'PeopleAccounts1795550000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE password_links (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        purpose text NOT NULL CHECK (purpose IN ('invite', 'reset')),
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX password_links_pending_idx ON password_links (user_id) WHERE used_at IS NULL AND revoked_at IS NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE organizations ADD COLUMN people_events_seq integer NOT NULL DEFAULT 0`,
    );
    await queryRunner.query(`
      CREATE TABLE people_events (
        organization_id uuid NOT NULL REFERENCES organizations(id),
        seq integer NOT NULL CHECK (seq > 0),
        type text NOT NULL,
        actor_id uuid,
        actor_name text NOT NULL,
        subject_id uuid NOT NULL,
        subject_name text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL,
        hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
        PRIMARY KEY (organization_id, seq)
      )`);
    await queryRunner.query(`CREATE TRIGGER people_events_append_only BEFORE UPDATE OR DELETE ON people_events
                               FOR EACH ROW EXECUTE FUNCTION refuse_audit_rewrite()`);
    await queryRunner.query(`CREATE TRIGGER people_events_no_truncate BEFORE TRUNCATE ON people_events
                               FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_rewrite()`);
    await queryRunner.query(`ALTER TABLE sessions DROP CONSTRAINT sessions_end_reason_check`);
    await queryRunner.query(`ALTER TABLE sessions ADD CONSTRAINT sessions_end_reason_check
      CHECK (end_reason IN ('logout', 'role_changed', 'deactivated', 'expired', 'idle', 'password_reset'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE sessions SET end_reason = 'logout' WHERE end_reason = 'password_reset'`,
    );
    await queryRunner.query(`ALTER TABLE sessions DROP CONSTRAINT sessions_end_reason_check`);
    await queryRunner.query(`ALTER TABLE sessions ADD CONSTRAINT sessions_end_reason_check
      CHECK (end_reason IN ('logout', 'role_changed', 'deactivated', 'expired', 'idle'))`);
    await queryRunner.query(`DROP TRIGGER people_events_no_truncate ON people_events`);
    await queryRunner.query(`DROP TRIGGER people_events_append_only ON people_events`);
    await queryRunner.query(`DROP TABLE people_events`);
    await queryRunner.query(`ALTER TABLE organizations DROP COLUMN people_events_seq`);
    await queryRunner.query(`DROP TABLE password_links`);
    await queryRunner.query(`UPDATE users SET password_hash = '!' WHERE password_hash IS NULL`);
    await queryRunner.query(`ALTER TABLE users ALTER COLUMN password_hash SET NOT NULL`);
  }
}
