import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Disputes go somewhere (docs/domain.md section 10.1): a disputed suggestion can be escalated
 * to a supervisor, who upholds or overrules it. The suggestion keeps who escalated and why, the
 * decision with its reason, and the precedent the settled dispute became. The partial index
 * serves the supervisors' "Disputes" queue, which only ever holds a few charts.
 */
export class DisputeEscalation1795710000000 implements MigrationInterface {
  name = 'DisputeEscalation1795710000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE suggestions
        DROP CONSTRAINT suggestions_status_check,
        ADD CONSTRAINT suggestions_status_check CHECK (status IN
          ('open', 'accepted', 'disputed', 'withdrawn', 'escalated', 'upheld', 'overruled')),
        ADD COLUMN escalated_by uuid REFERENCES users(id) ON DELETE SET NULL,
        ADD COLUMN escalated_by_name text,
        ADD COLUMN escalation_comment text,
        ADD COLUMN escalated_at timestamptz,
        ADD COLUMN decision text CHECK (decision IN ('uphold', 'overrule')),
        ADD COLUMN decision_reason text,
        ADD COLUMN decided_by uuid REFERENCES users(id) ON DELETE SET NULL,
        ADD COLUMN decided_by_name text,
        ADD COLUMN decided_at timestamptz,
        ADD COLUMN precedent_id uuid REFERENCES precedents(id) ON DELETE SET NULL,
        ADD COLUMN precedent_number integer`);
    await queryRunner.query(
      `CREATE INDEX suggestions_escalated_idx ON suggestions (encounter_id) WHERE status = 'escalated'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX suggestions_escalated_idx`);
    await queryRunner.query(`
      UPDATE suggestions SET status = CASE status
        WHEN 'escalated' THEN 'disputed' WHEN 'upheld' THEN 'accepted' WHEN 'overruled' THEN 'withdrawn'
        ELSE status END`);
    await queryRunner.query(`
      ALTER TABLE suggestions
        DROP COLUMN escalated_by, DROP COLUMN escalated_by_name, DROP COLUMN escalation_comment,
        DROP COLUMN escalated_at, DROP COLUMN decision, DROP COLUMN decision_reason,
        DROP COLUMN decided_by, DROP COLUMN decided_by_name, DROP COLUMN decided_at,
        DROP COLUMN precedent_id, DROP COLUMN precedent_number,
        DROP CONSTRAINT suggestions_status_check,
        ADD CONSTRAINT suggestions_status_check CHECK (status IN ('open', 'accepted', 'disputed', 'withdrawn'))`);
  }
}
