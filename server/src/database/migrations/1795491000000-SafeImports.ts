import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Imports that cannot hurt: an instance operator role above organization admin; an import now
 * stops at a preview (its rows staged in a table of its own) until it is confirmed, cancelled
 * or expires; an applied import keeps what it replaced so it can be undone, and the codes of
 * older editions it ended.
 */
export class SafeImports1795491000000 implements MigrationInterface {
  name = 'SafeImports1795491000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP CONSTRAINT users_role_check`);
    await queryRunner.query(
      `ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('coder', 'reviewer', 'supervisor', 'admin', 'operator'))`,
    );
    await queryRunner.query(
      `ALTER TABLE catalog_imports DROP CONSTRAINT catalog_imports_status_check`,
    );
    await queryRunner.query(`
      ALTER TABLE catalog_imports
        ADD CONSTRAINT catalog_imports_status_check
          CHECK (status IN ('running', 'preview', 'succeeded', 'unchanged', 'failed', 'cancelled', 'expired')),
        ADD COLUMN preview jsonb,
        ADD COLUMN expires_at timestamptz,
        ADD COLUMN upload_path text,
        ADD COLUMN base_applied_id bigint,
        ADD COLUMN applied_at timestamptz,
        ADD COLUMN restores_import_id bigint REFERENCES catalog_imports(id),
        ADD COLUMN restored_by_import_id bigint REFERENCES catalog_imports(id),
        ADD COLUMN previous_edition jsonb,
        ADD COLUMN undo_table text`);
    await queryRunner.query(
      `CREATE INDEX catalog_imports_applied_idx ON catalog_imports (applied_at) WHERE applied_at IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE catalog_import_ended (
        import_id bigint NOT NULL REFERENCES catalog_imports(id) ON DELETE CASCADE,
        system text NOT NULL,
        code text NOT NULL,
        edition text NOT NULL,
        PRIMARY KEY (import_id, system, code, edition)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const tables = (await queryRunner.query(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND (tablename LIKE 'catalog\\_import\\_staging\\_%' OR tablename LIKE 'catalog\\_import\\_undo\\_%')`,
    )) as Array<{ name: string }>;
    for (const { name } of tables) await queryRunner.query(`DROP TABLE "${name}"`);
    await queryRunner.query(`DROP TABLE catalog_import_ended`);
    await queryRunner.query(
      `DELETE FROM catalog_imports WHERE status IN ('preview', 'cancelled', 'expired')`,
    );
    await queryRunner.query(`DROP INDEX catalog_imports_applied_idx`);
    await queryRunner.query(`
      ALTER TABLE catalog_imports
        DROP CONSTRAINT catalog_imports_status_check,
        DROP COLUMN preview, DROP COLUMN expires_at, DROP COLUMN upload_path, DROP COLUMN base_applied_id, DROP COLUMN applied_at,
        DROP COLUMN restores_import_id, DROP COLUMN restored_by_import_id, DROP COLUMN previous_edition, DROP COLUMN undo_table`);
    await queryRunner.query(
      `ALTER TABLE catalog_imports ADD CONSTRAINT catalog_imports_status_check CHECK (status IN ('running', 'succeeded', 'unchanged', 'failed'))`,
    );
    await queryRunner.query(`UPDATE users SET role = 'admin' WHERE role = 'operator'`);
    await queryRunner.query(`ALTER TABLE users DROP CONSTRAINT users_role_check`);
    await queryRunner.query(
      `ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('coder', 'reviewer', 'supervisor', 'admin'))`,
    );
  }
}
