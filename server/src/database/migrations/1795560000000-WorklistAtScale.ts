import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The worklist at the scale of a team (100,000 charts in one organization): the stored count of
 * each chart's error findings (written after its findings are computed, never on the edit's
 * path; `error_count_seq` and `error_count_generation` say which version of the chart and which
 * catalogue generation it is true for, so a stale count can be found and recomputed), and the
 * indexes the worklist's search, filters, sorts and queue counts use. Patient names are searched
 * by any part, in any case, with pg_trgm (a trusted contrib extension, shipped with Postgres and
 * with the embedded binaries); MRNs by their start with a b-tree in byte order (`COLLATE "C"`),
 * which serves both the prefix match and the MRN sort.
 *
 * Each sort has its own index ending in the id (the tiebreaker every order uses), so a page is
 * read in index order and a deep page skips index entries rather than sorting every chart. The
 * status sort follows the workflow (draft first), through `encounter_status_rank`.
 */
export class WorklistAtScale1795560000000 implements MigrationInterface {
  name = 'WorklistAtScale1795560000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`
      ALTER TABLE encounters
        ADD COLUMN error_count integer CHECK (error_count >= 0),
        ADD COLUMN error_count_seq integer NOT NULL DEFAULT 0,
        ADD COLUMN error_count_generation bigint`);
    await queryRunner.query(`
      CREATE FUNCTION encounter_status_rank(status text) RETURNS integer
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN array_position(
          ARRAY['draft', 'submitted', 'in_review', 'changes_requested', 'approved', 'signed_off'],
          status)`);
    // What the filters read, carried in each sort index: a page (a deep one included) is then
    // found from the index alone (an index-only scan), skipping entries rather than table rows.
    const carried = 'status, coder_id, reviewer_id, error_count, date_of_service';
    const indexes = [
      `encounters_wl_updated_idx ON encounters (organization_id, updated_at, id) INCLUDE (${carried})`,
      `encounters_wl_dos_idx ON encounters (organization_id, date_of_service, id) INCLUDE (${carried})`,
      `encounters_wl_patient_idx ON encounters (organization_id, lower(patient_name), id) INCLUDE (patient_name, ${carried})`,
      `encounters_wl_mrn_idx ON encounters (organization_id, (patient_mrn COLLATE "C"), id) INCLUDE (${carried})`,
      `encounters_wl_provider_idx ON encounters (organization_id, lower(provider_name), id) INCLUDE (provider_name, ${carried})`,
      `encounters_wl_status_idx ON encounters (organization_id, encounter_status_rank(status), id) INCLUDE (${carried})`,
      // The queue counts read status and coder for every chart of the organization: from this
      // index alone rather than from the table.
      `encounters_wl_queues_idx ON encounters (organization_id, status, coder_id)`,
      `encounters_wl_errors_idx ON encounters (organization_id, date_of_service) WHERE error_count > 0`,
      `encounters_wl_name_trgm_idx ON encounters USING gin (patient_name gin_trgm_ops)`,
      `encounters_wl_provider_trgm_idx ON encounters USING gin (provider_name gin_trgm_ops)`,
    ];
    for (const index of indexes) await queryRunner.query(`CREATE INDEX ${index}`);
    // The older worklist index served the one order the list had (newest change per status).
    await queryRunner.query(`DROP INDEX encounters_worklist_idx`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX encounters_worklist_idx ON encounters (organization_id, status, updated_at DESC)`,
    );
    for (const index of [
      'updated',
      'dos',
      'patient',
      'mrn',
      'provider',
      'status',
      'queues',
      'errors',
      'name_trgm',
      'provider_trgm',
    ])
      await queryRunner.query(`DROP INDEX encounters_wl_${index}_idx`);
    await queryRunner.query(`DROP FUNCTION encounter_status_rank(text)`);
    await queryRunner.query(`
      ALTER TABLE encounters
        DROP COLUMN error_count,
        DROP COLUMN error_count_seq,
        DROP COLUMN error_count_generation`);
  }
}
