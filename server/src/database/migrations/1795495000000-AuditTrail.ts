import type { MigrationInterface, QueryRunner } from 'typeorm';
import { eventHash } from '../../audit/event-chain.js';

/**
 * An audit trail that cannot be rewritten:
 * - every event carries `hash`, chained to the previous event of its encounter (existing events
 *   are chained here, in seq order) and `op_hash`, the hash of the command its opId was sent with;
 * - `chart_reads`, one row per read of a chart (who, which chart, when, how; no patient data);
 * - a trigger refuses UPDATE, DELETE and TRUNCATE on both for every role, the owner included;
 * - encounters are never hard-deleted: their events no longer cascade away, and a trigger
 *   refuses DELETE and TRUNCATE on encounters;
 * - an event's actor is a historical fact: no foreign key that would rewrite it when a user goes;
 * - `encounters.coded_by`: who wrote the chart's coded lines, from the event log, for the
 *   separation-of-duties rules (nobody reviews or signs off lines they wrote).
 * The least-privilege role and its grants are set at start-up (server/src/database/app-role.ts),
 * so they cover tables of every migration.
 */
export class AuditTrail1795495000000 implements MigrationInterface {
  name = 'AuditTrail1795495000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE encounter_events ADD COLUMN hash text, ADD COLUMN op_hash text`,
    );
    await chainExistingEvents(queryRunner);
    await queryRunner.query(`ALTER TABLE encounter_events ALTER COLUMN hash SET NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE encounter_events ADD CONSTRAINT encounter_events_hash_format CHECK (hash ~ '^[0-9a-f]{64}$')`,
    );

    await queryRunner.query(
      `ALTER TABLE encounter_events DROP CONSTRAINT encounter_events_encounter_id_fkey`,
    );
    await queryRunner.query(`ALTER TABLE encounter_events ADD CONSTRAINT encounter_events_encounter_id_fkey
                               FOREIGN KEY (encounter_id) REFERENCES encounters(id)`);
    await queryRunner.query(
      `ALTER TABLE encounter_events DROP CONSTRAINT encounter_events_actor_id_fkey`,
    );

    await queryRunner.query(
      `ALTER TABLE encounters ADD COLUMN coded_by uuid[] NOT NULL DEFAULT '{}'`,
    );
    await queryRunner.query(`
      UPDATE encounters e SET coded_by = authors.ids
        FROM (SELECT encounter_id, array_agg(DISTINCT actor_id) AS ids
                FROM encounter_events
               WHERE actor_id IS NOT NULL
                 AND (type IN ('line.updated', 'line.removed')
                      OR (type = 'line.added' AND payload->'line'->>'origin' = 'coder')
                      OR (type = 'encounter.created' AND jsonb_array_length(payload->'encounter'->'lines') > 0))
               GROUP BY encounter_id) authors
       WHERE authors.encounter_id = e.id`);

    await queryRunner.query(`
      CREATE TABLE chart_reads (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        organization_id uuid NOT NULL,
        encounter_id uuid NOT NULL REFERENCES encounters(id),
        user_id uuid NOT NULL,
        user_name text NOT NULL,
        via text NOT NULL CHECK (length(via) BETWEEN 1 AND 80),
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX chart_reads_encounter_idx ON chart_reads (encounter_id, at DESC)`,
    );

    await queryRunner.query(`
      CREATE FUNCTION refuse_audit_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% on % is refused: the audit trail is append-only', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['encounter_events', 'chart_reads']) {
      await queryRunner.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
                                 FOR EACH ROW EXECUTE FUNCTION refuse_audit_rewrite()`);
      await queryRunner.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
                                 FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_rewrite()`);
    }
    await queryRunner.query(`CREATE TRIGGER encounters_never_deleted BEFORE DELETE ON encounters
                               FOR EACH ROW EXECUTE FUNCTION refuse_audit_rewrite()`);
    await queryRunner.query(`CREATE TRIGGER encounters_no_truncate BEFORE TRUNCATE ON encounters
                               FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_rewrite()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER encounters_no_truncate ON encounters`);
    await queryRunner.query(`DROP TRIGGER encounters_never_deleted ON encounters`);
    for (const table of ['encounter_events', 'chart_reads']) {
      await queryRunner.query(`DROP TRIGGER ${table}_no_truncate ON ${table}`);
      await queryRunner.query(`DROP TRIGGER ${table}_append_only ON ${table}`);
    }
    await queryRunner.query(`DROP FUNCTION refuse_audit_rewrite()`);
    await queryRunner.query(`DROP TABLE chart_reads`);
    await queryRunner.query(`ALTER TABLE encounters DROP COLUMN coded_by`);
    await queryRunner.query(`ALTER TABLE encounter_events ADD CONSTRAINT encounter_events_actor_id_fkey
                               FOREIGN KEY (actor_id) REFERENCES users(id) ON DELETE SET NULL NOT VALID`);
    await queryRunner.query(
      `ALTER TABLE encounter_events DROP CONSTRAINT encounter_events_encounter_id_fkey`,
    );
    await queryRunner.query(`ALTER TABLE encounter_events ADD CONSTRAINT encounter_events_encounter_id_fkey
                               FOREIGN KEY (encounter_id) REFERENCES encounters(id) ON DELETE CASCADE`);
    await queryRunner.query(
      `ALTER TABLE encounter_events DROP CONSTRAINT encounter_events_hash_format`,
    );
    await queryRunner.query(`ALTER TABLE encounter_events DROP COLUMN op_hash, DROP COLUMN hash`);
  }
}

/** Chains the events written before this migration, one encounter at a time, in seq order. */
async function chainExistingEvents(queryRunner: QueryRunner): Promise<void> {
  const encounters = (await queryRunner.query(
    `SELECT DISTINCT encounter_id FROM encounter_events`,
  )) as Array<{ encounter_id: string }>;
  for (const { encounter_id: encounterId } of encounters) {
    const rows = (await queryRunner.query(
      `SELECT seq, type, actor_id, actor_name, payload, created_at FROM encounter_events WHERE encounter_id = $1 ORDER BY seq`,
      [encounterId],
    )) as Array<{
      seq: number;
      type: string;
      actor_id: string | null;
      actor_name: string;
      payload: unknown;
      created_at: Date;
    }>;
    let previous: string | null = null;
    for (const row of rows) {
      const hash = eventHash(
        {
          encounterId,
          seq: row.seq,
          type: row.type,
          actorId: row.actor_id,
          actorName: row.actor_name,
          payload: row.payload,
          createdAt: row.created_at,
        },
        previous,
      );
      // Stored at millisecond precision, the precision the hash covers.
      await queryRunner.query(
        `UPDATE encounter_events SET hash = $3, created_at = date_trunc('milliseconds', created_at) WHERE encounter_id = $1 AND seq = $2`,
        [encounterId, row.seq, hash],
      );
      previous = hash;
    }
  }
}
