import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Organizations, users, encounters with their claim lines, the encounter event log, and the code catalogue. */
export class Foundation1795478400000 implements MigrationInterface {
  name = 'Foundation1795478400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        slug text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        email text NOT NULL UNIQUE CHECK (email = lower(email)),
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('coder', 'reviewer', 'supervisor', 'admin')),
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_login_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX users_organization_idx ON users (organization_id)`);
    await queryRunner.query(`
      CREATE TABLE encounters (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        patient_mrn text NOT NULL,
        patient_name text NOT NULL,
        patient_dob date NOT NULL,
        date_of_service date NOT NULL,
        provider_name text NOT NULL,
        provider_npi text,
        place_of_service text NOT NULL,
        clinical_note text NOT NULL DEFAULT '',
        diagnoses text[] NOT NULL DEFAULT '{}' CHECK (cardinality(diagnoses) <= 12),
        status text NOT NULL DEFAULT 'draft'
          CHECK (status IN ('draft', 'submitted', 'in_review', 'changes_requested', 'approved', 'signed_off')),
        coder_id uuid REFERENCES users(id) ON DELETE SET NULL,
        reviewer_id uuid REFERENCES users(id) ON DELETE SET NULL,
        version integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX encounters_worklist_idx ON encounters (organization_id, status, updated_at DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX encounters_coder_idx ON encounters (organization_id, coder_id)`,
    );
    await queryRunner.query(
      `CREATE INDEX encounters_reviewer_idx ON encounters (organization_id, reviewer_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE claim_lines (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        encounter_id uuid NOT NULL REFERENCES encounters(id) ON DELETE CASCADE,
        position integer NOT NULL,
        code text NOT NULL,
        modifiers text[] NOT NULL DEFAULT '{}' CHECK (cardinality(modifiers) <= 4),
        units integer NOT NULL DEFAULT 1 CHECK (units >= 1),
        pointers text[] NOT NULL DEFAULT '{}' CHECK (cardinality(pointers) <= 4),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX claim_lines_encounter_idx ON claim_lines (encounter_id, position)`,
    );
    await queryRunner.query(`
      CREATE TABLE encounter_events (
        encounter_id uuid NOT NULL REFERENCES encounters(id) ON DELETE CASCADE,
        seq integer NOT NULL CHECK (seq >= 1),
        type text NOT NULL,
        actor_id uuid REFERENCES users(id) ON DELETE SET NULL,
        actor_name text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (encounter_id, seq)
      )`);
    await queryRunner.query(`
      CREATE TABLE catalog_codes (
        system text NOT NULL CHECK (system IN ('CPT', 'HCPCS', 'ICD10CM', 'MODIFIER')),
        code text NOT NULL,
        edition text NOT NULL,
        effective_date date NOT NULL,
        termination_date date,
        short_description text NOT NULL,
        long_description text NOT NULL,
        billable boolean NOT NULL DEFAULT true,
        attributes jsonb NOT NULL DEFAULT '{}',
        PRIMARY KEY (system, code, edition)
      )`);
    await queryRunner.query(`CREATE INDEX catalog_codes_code_idx ON catalog_codes (code)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE catalog_codes`);
    await queryRunner.query(`DROP TABLE encounter_events`);
    await queryRunner.query(`DROP TABLE claim_lines`);
    await queryRunner.query(`DROP TABLE encounters`);
    await queryRunner.query(`DROP TABLE users`);
    await queryRunner.query(`DROP TABLE organizations`);
  }
}
