import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Gold practice charts for new coders (docs/domain.md section 11.1).
 *
 * - `practice_courses`: a group of practice charts ("E/M levels") with its pass mark (percent
 *   of elements right, pooled over the latest attempt of each chart) and the charts needed.
 * - `practice_charts`: the chart a trainee codes (header, note, diagnoses; the patient made up
 *   on request when copied from a real chart) and its answer key, one explanation per line.
 * - `practice_attempts`: a trainee's attempt, an ordinary encounter with purpose `practice`;
 *   once submitted, the score (`elements_right` / `elements_total`) and the whole PracticeScore.
 *   One open attempt per chart and trainee.
 * - `promotion_offers`: a trainee who passed a course, offered to the supervisors; promoted or
 *   declined with a note.
 */
export class PracticeCharts1795770000000 implements MigrationInterface {
  name = 'PracticeCharts1795770000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE practice_courses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        title text NOT NULL CHECK (length(btrim(title)) > 0),
        description text NOT NULL DEFAULT '',
        pass_percent integer NOT NULL CHECK (pass_percent BETWEEN 1 AND 100),
        min_charts integer NOT NULL CHECK (min_charts >= 1),
        archived boolean NOT NULL DEFAULT false,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX practice_courses_org_idx ON practice_courses (organization_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE practice_charts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        course_id uuid NOT NULL REFERENCES practice_courses(id) ON DELETE CASCADE,
        position integer NOT NULL DEFAULT 0,
        title text NOT NULL CHECK (length(btrim(title)) > 0),
        patient_mrn text NOT NULL,
        patient_name text NOT NULL,
        patient_dob date NOT NULL,
        date_of_service date NOT NULL,
        provider_name text NOT NULL,
        provider_npi text,
        place_of_service text NOT NULL,
        clinical_note text NOT NULL,
        diagnoses text[] NOT NULL DEFAULT '{}',
        key_lines jsonb NOT NULL CHECK (jsonb_typeof(key_lines) = 'array' AND jsonb_array_length(key_lines) > 0),
        source_encounter_id uuid REFERENCES encounters(id) ON DELETE SET NULL,
        made_up_patient boolean NOT NULL DEFAULT false,
        archived boolean NOT NULL DEFAULT false,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX practice_charts_course_idx ON practice_charts (course_id, position)`,
    );
    await queryRunner.query(`
      CREATE TABLE practice_attempts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        chart_id uuid NOT NULL REFERENCES practice_charts(id) ON DELETE CASCADE,
        trainee_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        encounter_id uuid NOT NULL UNIQUE REFERENCES encounters(id) ON DELETE CASCADE,
        started_at timestamptz NOT NULL DEFAULT now(),
        submitted_at timestamptz,
        elements_right integer,
        elements_total integer,
        result jsonb,
        CHECK ((submitted_at IS NULL) = (result IS NULL))
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX practice_attempts_open_idx ON practice_attempts (chart_id, trainee_id)
         WHERE submitted_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX practice_attempts_trainee_idx ON practice_attempts (trainee_id, chart_id, submitted_at)`,
    );
    await queryRunner.query(`
      CREATE TABLE promotion_offers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        trainee_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        course_id uuid NOT NULL REFERENCES practice_courses(id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'promoted', 'declined')),
        offered_at timestamptz NOT NULL DEFAULT now(),
        decided_by uuid REFERENCES users(id) ON DELETE SET NULL,
        decided_at timestamptz,
        note text
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX promotion_offers_open_idx ON promotion_offers (trainee_id, course_id)
         WHERE status = 'open'`,
    );
    await queryRunner.query(
      `CREATE INDEX promotion_offers_org_idx ON promotion_offers (organization_id, status)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE promotion_offers`);
    await queryRunner.query(`DROP TABLE practice_attempts`);
    await queryRunner.query(`DROP TABLE practice_charts`);
    await queryRunner.query(`DROP TABLE practice_courses`);
  }
}
