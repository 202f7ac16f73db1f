import type { DataSource } from 'typeorm';
import { ENTITIES, openDatabase } from '../../src/database/data-source.js';

/** Postgres' udt_name for each column type the entities declare. */
const UDT: Record<string, string> = {
  uuid: 'uuid',
  text: 'text',
  jsonb: 'jsonb',
  integer: 'int4',
  bigint: 'int8',
  boolean: 'bool',
  timestamptz: 'timestamptz',
  date: 'date',
};

interface ColumnFacts {
  udt: string;
  nullable: boolean;
  hasDefault: boolean;
}

/**
 * The migrations are the schema's source of truth and nothing synchronizes: every entity must
 * name exactly its table's columns, with the same type, nullability and default-or-not.
 */
describe('entities match the migrated schema', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await openDatabase(process.env.COUNTERSIGN_TEST_DB_URL!, { poolSize: 2 });
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('covers every entity', () => {
    expect(dataSource.entityMetadatas.map((m) => m.tableName).sort()).toEqual(
      ENTITIES.map((entity) => dataSource.getMetadata(entity).tableName).sort(),
    );
  });

  it.each(ENTITIES.map((entity) => [entity.name, entity] as const))(
    '%s has its table’s columns',
    async (_name, entity) => {
      const metadata = dataSource.getMetadata(entity);
      const rows = await dataSource.query<
        Array<{ column_name: string; udt_name: string; is_nullable: string; has_default: boolean }>
      >(
        `SELECT column_name, udt_name, is_nullable, (column_default IS NOT NULL OR is_identity = 'YES') AS has_default
           FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
        [metadata.tableName],
      );
      const inTable = new Map<string, ColumnFacts>(
        rows.map((row) => [
          row.column_name,
          { udt: row.udt_name, nullable: row.is_nullable === 'YES', hasDefault: row.has_default },
        ]),
      );
      const inEntity = new Map<string, ColumnFacts>(
        metadata.columns.map((column) => {
          const type = String(column.type);
          const udt = UDT[type] ?? type;
          return [
            column.databaseName,
            {
              udt: column.isArray ? `_${udt}` : udt,
              nullable: column.isNullable,
              hasDefault: column.default !== undefined || column.isGenerated || column.isCreateDate,
            },
          ];
        }),
      );
      expect(rows.length).toBeGreaterThan(0);
      expect(Object.fromEntries(inEntity)).toEqual(Object.fromEntries(inTable));
    },
  );
});
