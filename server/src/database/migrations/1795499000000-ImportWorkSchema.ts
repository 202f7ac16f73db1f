import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A schema of its own for an import's staging and undo tables. The server's pool runs as the
 * least-privilege app role, which may create tables here and nowhere else: the app's own tables
 * stay the owner's, so the app role cannot alter or drop them.
 */
export class ImportWorkSchema1795499000000 implements MigrationInterface {
  name = 'ImportWorkSchema1795499000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS catalog_work`);
    // Staging and undo tables made before this migration move with their names unchanged.
    await queryRunner.query(`
      DO $$ DECLARE t record; BEGIN
        FOR t IN SELECT tablename FROM pg_tables
                  WHERE schemaname = current_schema() AND tablename ~ '^catalog_import_(staging|undo)_[0-9]+$' LOOP
          EXECUTE format('ALTER TABLE %I SET SCHEMA catalog_work', t.tablename);
        END LOOP;
      END $$`);
    await queryRunner.query(
      `UPDATE catalog_imports SET undo_table = 'catalog_work.' || undo_table WHERE undo_table IS NOT NULL AND undo_table NOT LIKE 'catalog_work.%'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DO $$ DECLARE t record; BEGIN
        FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'catalog_work' LOOP
          EXECUTE format('ALTER TABLE catalog_work.%I SET SCHEMA public', t.tablename);
        END LOOP;
      END $$`);
    await queryRunner.query(
      `UPDATE catalog_imports SET undo_table = substr(undo_table, length('catalog_work.') + 1) WHERE undo_table LIKE 'catalog_work.%'`,
    );
    await queryRunner.query(`DROP SCHEMA catalog_work`);
  }
}
