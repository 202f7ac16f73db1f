import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Blind copies and practice charts are in no worklist and no queue count (docs/domain.md
 * section 11.2): the worklist's queries say `purpose = 'claim'`, and its indexes become partial
 * on the same condition, so a page and the queue counts are still read from an index alone
 * (an index-only scan), and charts that are not claims are not in them at all.
 */
const carried = 'status, coder_id, reviewer_id, error_count, date_of_service';
const INDEXES: Array<[name: string, definition: string, where?: string]> = [
  ['updated', `(organization_id, updated_at, id) INCLUDE (${carried})`],
  ['dos', `(organization_id, date_of_service, id) INCLUDE (${carried})`],
  ['patient', `(organization_id, lower(patient_name), id) INCLUDE (patient_name, ${carried})`],
  ['mrn', `(organization_id, (patient_mrn COLLATE "C"), id) INCLUDE (${carried})`],
  ['provider', `(organization_id, lower(provider_name), id) INCLUDE (provider_name, ${carried})`],
  ['status', `(organization_id, encounter_status_rank(status), id) INCLUDE (${carried})`],
  ['queues', `(organization_id, status, coder_id)`],
  ['errors', `(organization_id, date_of_service)`, 'error_count > 0'],
];

export class ClaimOnlyWorklistIndexes1795780000000 implements MigrationInterface {
  name = 'ClaimOnlyWorklistIndexes1795780000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [name, definition, where] of INDEXES) {
      await queryRunner.query(`DROP INDEX encounters_wl_${name}_idx`);
      await queryRunner.query(
        `CREATE INDEX encounters_wl_${name}_idx ON encounters ${definition}
           WHERE purpose = 'claim'${where ? ` AND ${where}` : ''}`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [name, definition, where] of INDEXES) {
      await queryRunner.query(`DROP INDEX encounters_wl_${name}_idx`);
      await queryRunner.query(
        `CREATE INDEX encounters_wl_${name}_idx ON encounters ${definition}${where ? ` WHERE ${where}` : ''}`,
      );
    }
  }
}
