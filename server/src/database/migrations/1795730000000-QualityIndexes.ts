import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the quality reports (docs/domain.md section 10.5) read quickly at 100,000 reviewed charts:
 * - `quality_turnaround`: how many charts took how long, per approval week and code family
 *   ('' = every family), from submission to approval (kind 1) and from approval to sign-off
 *   (kind 2), in buckets about 4% wide (`quality_duration_bucket`). A trigger on
 *   `review_results` keeps it in step with every insert, update (a sign-off, a re-approval) and
 *   delete, whoever writes them; a year's percentiles read a few thousand rows, not every chart;
 * - indexes for the charts behind a figure (a family and an outcome), providers' names, and the
 *   open disputes.
 */
export class QualityIndexes1795730000000 implements MigrationInterface {
  name = 'QualityIndexes1795730000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION quality_duration_bucket(hours double precision) RETURNS integer
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT CASE WHEN hours <= 0 THEN 0 ELSE 1 + floor(ln(1 + hours * 60) * 24)::integer END $$`);
    await queryRunner.query(`
      CREATE TABLE quality_turnaround (
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        week date NOT NULL,
        family text NOT NULL,
        kind smallint NOT NULL CHECK (kind IN (1, 2)),
        bucket integer NOT NULL,
        charts integer NOT NULL,
        PRIMARY KEY (organization_id, week, family, kind, bucket)
      )`);
    await queryRunner.query(`
      CREATE FUNCTION quality_turnaround_add(r review_results, delta integer) RETURNS void
        LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO quality_turnaround (organization_id, week, family, kind, bucket, charts)
        SELECT r.organization_id, r.week, f, k.kind, quality_duration_bucket(k.hours), sum(delta)
          FROM unnest(array_append(r.families, '')) AS f
          CROSS JOIN (VALUES (1::smallint, date_part('epoch', r.approved_at - r.submitted_at) / 3600),
                             (2::smallint, date_part('epoch', r.signed_off_at - r.approved_at) / 3600)) AS k(kind, hours)
         WHERE k.hours IS NOT NULL
         GROUP BY f, k.kind, quality_duration_bucket(k.hours)
        ON CONFLICT (organization_id, week, family, kind, bucket)
          DO UPDATE SET charts = quality_turnaround.charts + EXCLUDED.charts;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION quality_turnaround_track() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM quality_turnaround_add(OLD, -1); END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM quality_turnaround_add(NEW, 1); END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER review_results_turnaround AFTER INSERT OR UPDATE OR DELETE ON review_results
        FOR EACH ROW EXECUTE FUNCTION quality_turnaround_track()`);
    // Charts approved before this migration.
    await queryRunner.query(`
      INSERT INTO quality_turnaround (organization_id, week, family, kind, bucket, charts)
      SELECT r.organization_id, r.week, f, k.kind, quality_duration_bucket(k.hours), count(*)
        FROM review_results r
        CROSS JOIN LATERAL unnest(array_append(r.families, '')) AS f
        CROSS JOIN LATERAL (VALUES (1::smallint, date_part('epoch', r.approved_at - r.submitted_at) / 3600),
                                   (2::smallint, date_part('epoch', r.signed_off_at - r.approved_at) / 3600)) AS k(kind, hours)
       WHERE k.hours IS NOT NULL
       GROUP BY 1, 2, 3, 4, 5`);
    await queryRunner.query(
      `CREATE INDEX review_results_provider_idx ON review_results (organization_id, provider_npi, approved_at DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX review_outcomes_family_outcome_idx ON review_outcomes (family, outcome, encounter_id, approval_seq)`,
    );
    await queryRunner.query(
      `CREATE INDEX encounters_provider_npi_idx ON encounters (organization_id, provider_npi, date_of_service DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX suggestions_disputed_idx ON suggestions (encounter_id) WHERE status = 'disputed'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX suggestions_disputed_idx`);
    await queryRunner.query(`DROP INDEX encounters_provider_npi_idx`);
    await queryRunner.query(`DROP INDEX review_outcomes_family_outcome_idx`);
    await queryRunner.query(`DROP INDEX review_results_provider_idx`);
    await queryRunner.query(`DROP TRIGGER review_results_turnaround ON review_results`);
    await queryRunner.query(`DROP FUNCTION quality_turnaround_track()`);
    await queryRunner.query(`DROP FUNCTION quality_turnaround_add(review_results, integer)`);
    await queryRunner.query(`DROP TABLE quality_turnaround`);
    await queryRunner.query(`DROP FUNCTION quality_duration_bucket(double precision)`);
  }
}
