import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Charts in (issue 11): an encounter remembers the system and id it was imported from, unique
 * per organization, so importing the same file twice creates nothing new; an import keeps its
 * validated rows in Postgres between preview and commit, so any instance can commit it.
 */
export class EncounterIntake1795510000000 implements MigrationInterface {
  name = 'EncounterIntake1795510000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE encounters ADD COLUMN source_system text, ADD COLUMN source_id text,
         ADD CONSTRAINT encounters_source_pair CHECK ((source_system IS NULL) = (source_id IS NULL))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX encounters_source_idx ON encounters (organization_id, source_system, source_id)
         WHERE source_id IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE encounter_imports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        created_by uuid NOT NULL REFERENCES users(id),
        format text NOT NULL CHECK (format IN ('csv', 'fhir')),
        file_name text,
        status text NOT NULL DEFAULT 'previewed'
          CHECK (status IN ('previewed', 'committing', 'done', 'failed', 'cancelled')),
        total integer NOT NULL,
        to_create integer NOT NULL,
        already_imported integer NOT NULL,
        invalid integer NOT NULL,
        mode text CHECK (mode IN ('all', 'good_rows')),
        done integer NOT NULL DEFAULT 0,
        created integer NOT NULL DEFAULT 0,
        skipped integer NOT NULL DEFAULT 0,
        error text,
        heartbeat_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX encounter_imports_org_idx ON encounter_imports (organization_id, created_at DESC)`,
    );
    await queryRunner.query(`
      CREATE TABLE encounter_import_rows (
        import_id uuid NOT NULL REFERENCES encounter_imports(id) ON DELETE CASCADE,
        position integer NOT NULL,
        row integer NOT NULL,
        source_system text,
        source_id text,
        patient_name text,
        mrn text,
        date_of_service text,
        provider_name text,
        diagnoses text[] NOT NULL DEFAULT '{}',
        action text NOT NULL CHECK (action IN ('create', 'exists', 'invalid')),
        errors jsonb NOT NULL DEFAULT '[]',
        input jsonb,
        encounter_id uuid REFERENCES encounters(id),
        committed boolean NOT NULL DEFAULT false,
        PRIMARY KEY (import_id, position)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE encounter_import_rows`);
    await queryRunner.query(`DROP TABLE encounter_imports`);
    await queryRunner.query(`DROP INDEX encounters_source_idx`);
    await queryRunner.query(
      `ALTER TABLE encounters DROP CONSTRAINT encounters_source_pair, DROP COLUMN source_id, DROP COLUMN source_system`,
    );
  }
}
