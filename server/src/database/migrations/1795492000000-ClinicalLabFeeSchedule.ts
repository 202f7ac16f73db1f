import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The CMS clinical laboratory fee schedule by edition: what Medicare pays for a lab test (status
 * X in the physician fee schedule, and PLA codes). Descriptors are not stored. The RVU file's
 * multiple procedure indicator is already in mpfs_rvus.mult_proc.
 */
export class ClinicalLabFeeSchedule1795492000000 implements MigrationInterface {
  name = 'ClinicalLabFeeSchedule1795492000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE clfs_rates (
        edition text NOT NULL,
        code text NOT NULL,
        modifier text NOT NULL,
        effective_date date,
        indicator text NOT NULL,
        rate numeric(12, 2) NOT NULL CHECK (rate >= 0),
        source_row integer NOT NULL,
        PRIMARY KEY (edition, code, modifier)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE clfs_rates`);
  }
}
