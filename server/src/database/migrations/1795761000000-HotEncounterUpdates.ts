import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Room on each page for the next version of a row, so that a live edit's updates are HOT
 * (heap-only tuple) updates: the new row version goes on the same page and, when no indexed
 * column changed, no index gets a new entry. Every line edit bumps its chart's version (and
 * leaves `updated_at` alone within ten seconds of the last change, see `UPDATED_AT_GRAIN` in
 * encounter.repository.ts) and updates the line's units or codes and `last_seq`; neither touches
 * an indexed column, so with free space on the page neither touches the encounters table's
 * sixteen indexes or the claim lines' two. Without it (fillfactor 100, full pages) the new
 * version moves to another page and every index gets an entry, which is most of the database's
 * work per edit (issue 10). The setting applies to pages written from now on.
 */
export class HotEncounterUpdates1795761000000 implements MigrationInterface {
  name = 'HotEncounterUpdates1795761000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE encounters SET (fillfactor = 70)`);
    await queryRunner.query(`ALTER TABLE claim_lines SET (fillfactor = 80)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE claim_lines RESET (fillfactor)`);
    await queryRunner.query(`ALTER TABLE encounters RESET (fillfactor)`);
  }
}
