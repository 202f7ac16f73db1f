import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Code sets and edit data by edition: the import log, the editions in force, NCCI PTP pairs,
 * MUE values, add-on code edits, the derived add-on list, fee schedule RVUs and conversion
 * factors. Every data row keeps the line of the file it came from, so a finding can cite it.
 */
export class CodeSetsAndEdits1795480000000 implements MigrationInterface {
  name = 'CodeSetsAndEdits1795480000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE catalog_imports (
        id bigserial PRIMARY KEY,
        kind text NOT NULL,
        dataset text NOT NULL,
        edition text NOT NULL,
        effective_date date NOT NULL,
        file_name text NOT NULL,
        sha256 text NOT NULL,
        status text NOT NULL CHECK (status IN ('running', 'succeeded', 'unchanged', 'failed')),
        phase text NOT NULL DEFAULT 'reading',
        rows_read integer NOT NULL DEFAULT 0,
        bytes_read bigint NOT NULL DEFAULT 0,
        bytes_total bigint NOT NULL DEFAULT 0,
        summary jsonb,
        error jsonb,
        started_by uuid REFERENCES users(id) ON DELETE SET NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX catalog_imports_done_idx ON catalog_imports (kind, edition, sha256) WHERE status = 'succeeded'`,
    );
    await queryRunner.query(`
      CREATE TABLE catalog_editions (
        kind text NOT NULL,
        edition text NOT NULL,
        dataset text NOT NULL,
        effective_date date NOT NULL,
        file_name text NOT NULL,
        import_id bigint NOT NULL REFERENCES catalog_imports(id),
        PRIMARY KEY (kind, edition)
      )`);
    await queryRunner.query(
      `CREATE INDEX catalog_editions_dataset_idx ON catalog_editions (dataset, effective_date)`,
    );
    await queryRunner.query(
      `ALTER TABLE catalog_codes ADD COLUMN import_kind text NOT NULL DEFAULT 'demo', ADD COLUMN source_row integer`,
    );
    await queryRunner.query(`
      CREATE TABLE ncci_ptp_edits (
        edition text NOT NULL,
        column1 text NOT NULL,
        column2 text NOT NULL,
        effective_date date NOT NULL,
        deletion_date date,
        modifier_indicator smallint NOT NULL CHECK (modifier_indicator IN (0, 1, 9)),
        rationale text NOT NULL,
        source_row integer NOT NULL,
        PRIMARY KEY (edition, column1, column2, effective_date)
      )`);
    await queryRunner.query(`
      CREATE TABLE ncci_mue_values (
        edition text NOT NULL,
        code text NOT NULL,
        mue_value integer NOT NULL CHECK (mue_value >= 0),
        mai smallint NOT NULL CHECK (mai IN (1, 2, 3)),
        rationale text NOT NULL,
        source_row integer NOT NULL,
        PRIMARY KEY (edition, code)
      )`);
    await queryRunner.query(`
      CREATE TABLE ncci_addon_edits (
        edition text NOT NULL,
        addon_code text NOT NULL,
        primary_code text NOT NULL,
        aoc_type smallint NOT NULL CHECK (aoc_type IN (1, 2, 3)),
        effective_date date,
        deletion_date date,
        source_row integer NOT NULL,
        PRIMARY KEY (edition, addon_code, primary_code)
      )`);
    await queryRunner.query(`
      CREATE TABLE addon_codes (
        edition text NOT NULL,
        code text NOT NULL,
        global_zzz boolean NOT NULL,
        aoc_types text NOT NULL,
        source_row integer NOT NULL,
        PRIMARY KEY (edition, code)
      )`);
    await queryRunner.query(`
      CREATE TABLE mpfs_rvus (
        edition text NOT NULL,
        code text NOT NULL,
        modifier text NOT NULL,
        status_code text NOT NULL,
        work_rvu numeric(8, 2) NOT NULL,
        nonfac_pe_rvu numeric(8, 2) NOT NULL,
        nonfac_na boolean NOT NULL,
        facility_pe_rvu numeric(8, 2) NOT NULL,
        facility_na boolean NOT NULL,
        mp_rvu numeric(8, 2) NOT NULL,
        pctc_ind text NOT NULL,
        global_days text NOT NULL,
        mult_proc text NOT NULL,
        bilat_surg text NOT NULL,
        conv_factor numeric(10, 4),
        source_row integer NOT NULL,
        PRIMARY KEY (edition, code, modifier)
      )`);
    await queryRunner.query(`
      CREATE TABLE mpfs_conversion_factors (
        edition text NOT NULL,
        year integer NOT NULL,
        variant text NOT NULL,
        value numeric(10, 4) NOT NULL,
        note text NOT NULL,
        source_row integer NOT NULL,
        PRIMARY KEY (edition, year, variant)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE mpfs_conversion_factors`);
    await queryRunner.query(`DROP TABLE mpfs_rvus`);
    await queryRunner.query(`DROP TABLE addon_codes`);
    await queryRunner.query(`DROP TABLE ncci_addon_edits`);
    await queryRunner.query(`DROP TABLE ncci_mue_values`);
    await queryRunner.query(`DROP TABLE ncci_ptp_edits`);
    await queryRunner.query(
      `ALTER TABLE catalog_codes DROP COLUMN import_kind, DROP COLUMN source_row`,
    );
    await queryRunner.query(`DROP TABLE catalog_editions`);
    await queryRunner.query(`DROP TABLE catalog_imports`);
  }
}
