import { DataSource } from 'typeorm';
import { Foundation1795478400000 } from '../../../migrations/1795478400000-Foundation.js';
import { LiveReview1795479000000 } from '../../../migrations/1795479000000-LiveReview.js';
import { CodeSetsAndEdits1795480000000 } from '../../../migrations/1795480000000-CodeSetsAndEdits.js';
import { ClinicalLabFeeSchedule1795492000000 } from '../../../migrations/1795492000000-ClinicalLabFeeSchedule.js';
import { CatalogCodeEntity } from '../catalog/catalog-code.entity.js';
import { OrganizationEntity } from '../users/organization.entity.js';
import { UserEntity } from '../users/user.entity.js';

/** Every entity, listed once. */
/**
 * Every entity, listed once. Encounters, lines, events and the review tables are read and
 * written with SQL in their services (one transaction per command), so they have no entity.
 */
export const ENTITIES = [OrganizationEntity, UserEntity, CatalogCodeEntity];

/** Every migration in order; a landed migration is never edited, a change gets a new one. */
export const MIGRATIONS = [Foundation1795478400000, LiveReview1795479000000, CodeSetsAndEdits1795480000000, ClinicalLabFeeSchedule1795492000000];

/** A DataSource for `url`; the schema comes from migrations only, never `synchronize`. */
export function createDataSource(url: string, poolSize = 10): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error'],
    poolSize,
    extra: { application_name: 'countersign' },
  });
}

/** Advisory lock key that serialises start-up work (migrations, demo seed) across instances. */
const STARTUP_LOCK = 7_239_001;

/**
 * Connects and brings the schema up to date. Several instances may start at once: the
 * migrations and `afterMigrations` (the demo seed) run under one advisory lock.
 */
export async function openDatabase(
  url: string,
  options: { poolSize?: number; afterMigrations?: (dataSource: DataSource) => Promise<void> } = {},
): Promise<DataSource> {
  const dataSource = createDataSource(url, options.poolSize);
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK]);
    await dataSource.runMigrations({ transaction: 'each' });
    await options.afterMigrations?.(dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  } finally {
    if (dataSource.isInitialized) await lock.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK]);
    await lock.release();
  }
  return dataSource;
}
