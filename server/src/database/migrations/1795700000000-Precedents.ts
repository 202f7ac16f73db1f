import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The precedent library (docs/domain.md section 10): how a dispute about a suggestion was
 * settled, numbered per organization ("precedent 12"), with the codes and modifiers it is
 * about so the room can show it beside a chart with the same codes. One precedent per
 * settled suggestion; a supervisor edits or retires it, never deletes it.
 */
export class Precedents1795700000000 implements MigrationInterface {
  name = 'Precedents1795700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE precedents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        number integer NOT NULL,
        question text NOT NULL,
        codes text[] NOT NULL,
        modifiers text[] NOT NULL DEFAULT '{}',
        decision text NOT NULL,
        reasoning text NOT NULL,
        settled_how text NOT NULL
          CHECK (settled_how IN ('accepted', 'withdrawn', 'upheld', 'overruled')),
        source_encounter_id uuid REFERENCES encounters(id) ON DELETE SET NULL,
        source_suggestion_id uuid UNIQUE REFERENCES suggestions(id) ON DELETE SET NULL,
        decided_by uuid REFERENCES users(id) ON DELETE SET NULL,
        decided_by_name text NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
        retired_reason text,
        updated_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organization_id, number)
      )`);
    await queryRunner.query(`CREATE INDEX precedents_codes_idx ON precedents USING gin (codes)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE precedents`);
  }
}
