import { DataSource } from 'typeorm';
import { Foundation1795478400000 } from './migrations/1795478400000-Foundation.js';
import { LiveReview1795479000000 } from './migrations/1795479000000-LiveReview.js';
import { CodeSetsAndEdits1795480000000 } from './migrations/1795480000000-CodeSetsAndEdits.js';
import { RevocableSessions1795493000000 } from './migrations/1795493000000-RevocableSessions.js';
import { SafeImports1795491000000 } from './migrations/1795491000000-SafeImports.js';
import { AuditTrail1795495000000 } from './migrations/1795495000000-AuditTrail.js';
import { ImportWorkSchema1795499000000 } from './migrations/1795499000000-ImportWorkSchema.js';
import { WorklistAtScale1795560000000 } from './migrations/1795560000000-WorklistAtScale.js';
import { ClinicalLabFeeSchedule1795492000000 } from './migrations/1795492000000-ClinicalLabFeeSchedule.js';
import { EncounterIntake1795510000000 } from './migrations/1795510000000-EncounterIntake.js';
import { ReviewerRotation1795540000000 } from './migrations/1795540000000-ReviewerRotation.js';
import { Precedents1795700000000 } from './migrations/1795700000000-Precedents.js';
import { DisputeEscalation1795710000000 } from './migrations/1795710000000-DisputeEscalation.js';
import { ReviewResults1795720000000 } from './migrations/1795720000000-ReviewResults.js';
import { QualityIndexes1795730000000 } from './migrations/1795730000000-QualityIndexes.js';
import { Sampling1795740000000 } from './migrations/1795740000000-Sampling.js';
import { PrecedentLibrary1795750000000 } from './migrations/1795750000000-PrecedentLibrary.js';
import { PracticeAndBlind1795760000000 } from './migrations/1795760000000-PracticeAndBlind.js';
import { HotEncounterUpdates1795761000000 } from './migrations/1795761000000-HotEncounterUpdates.js';
import { ClaimOnlyWorklistIndexes1795780000000 } from './migrations/1795780000000-ClaimOnlyWorklistIndexes.js';
import { PRECEDENT_ENTITIES } from '../precedents/precedent.entities.js';
import { PRACTICE_ENTITIES } from '../practice/practice.entities.js';
import { PracticeCharts1795770000000 } from './migrations/1795770000000-PracticeCharts.js';
import { ReviewerRotationEntity } from '../assignment/reviewer-rotation.entity.js';
import { PeopleAccounts1795550000000 } from './migrations/1795550000000-PeopleAccounts.js';
import { ChartReadEntity } from '../audit/chart-read.entity.js';
import { PeopleEventEntity } from '../audit/people-event.entity.js';
import { SessionEntity } from '../auth/session.entity.js';
import { CatalogCodeEntity } from '../catalog/catalog-code.entity.js';
import { CatalogEditionEntity } from '../catalog/catalog-edition.entity.js';
import { EncounterImportEntity, EncounterImportRowEntity } from '../intake/intake.entities.js';
import { REVIEW_ENTITIES } from '../review/review.entities.js';
import { OrganizationEntity } from '../users/organization.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { PasswordLinkEntity } from '../users/password-link.entity.js';
import { APP_ROLE_CONNECTION_OPTIONS, grantAppRole } from './app-role.js';
import { RedactingOrmLogger } from '../logging/typeorm-logger.js';

/** Every entity, listed once; ARCHITECTURE.md ("Where SQL lives") says which tables have one. */
export const ENTITIES = [
  OrganizationEntity,
  UserEntity,
  SessionEntity,
  ...REVIEW_ENTITIES,
  ChartReadEntity,
  PeopleEventEntity,
  PasswordLinkEntity,
  CatalogCodeEntity,
  CatalogEditionEntity,
  EncounterImportEntity,
  EncounterImportRowEntity,
  ReviewerRotationEntity,
  ...PRECEDENT_ENTITIES,
  ...PRACTICE_ENTITIES,
];

/** Every migration in order; a landed migration is never edited, a change gets a new one. */
export const MIGRATIONS = [
  Foundation1795478400000,
  LiveReview1795479000000,
  CodeSetsAndEdits1795480000000,
  SafeImports1795491000000,
  ClinicalLabFeeSchedule1795492000000,
  RevocableSessions1795493000000,
  AuditTrail1795495000000,
  ImportWorkSchema1795499000000,
  EncounterIntake1795510000000,
  ReviewerRotation1795540000000,
  PeopleAccounts1795550000000,
  WorklistAtScale1795560000000,
  Precedents1795700000000,
  DisputeEscalation1795710000000,
  ReviewResults1795720000000,
  QualityIndexes1795730000000,
  Sampling1795740000000,
  PrecedentLibrary1795750000000,
  PracticeAndBlind1795760000000,
  HotEncounterUpdates1795761000000,
  PracticeCharts1795770000000,
  ClaimOnlyWorklistIndexes1795780000000,
];

/**
 * Pool limits: how long a request waits for a connection (so a dead or saturated database
 * answers `unavailable` quickly instead of queueing forever) and the longest one statement may
 * run. Unset fields keep node-postgres' defaults (wait forever, no statement timeout).
 */
export interface PoolOptions {
  poolSize?: number;
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
}

/**
 * A DataSource for `url`; the schema comes from migrations only, never `synchronize`. With
 * `asAppRole` every connection acts as the least-privilege role (see app-role.ts).
 */
export function createDataSource(
  url: string,
  {
    poolSize = 10,
    connectTimeoutMs,
    statementTimeoutMs,
    asAppRole = false,
  }: PoolOptions & { asAppRole?: boolean } = {},
): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Failed statements through the redacting logger, never with their parameters.
    logging: ['error', 'warn', 'migration'],
    logger: new RedactingOrmLogger(),
    poolSize,
    extra: {
      application_name: 'countersign',
      ...(asAppRole ? { options: APP_ROLE_CONNECTION_OPTIONS } : {}),
      ...(connectTimeoutMs ? { connectionTimeoutMillis: connectTimeoutMs } : {}),
      ...(statementTimeoutMs ? { statement_timeout: statementTimeoutMs } : {}),
    },
  });
}

/** Advisory lock key that serialises start-up work (migrations, demo seed) across instances. */
const STARTUP_LOCK = 7_239_001;

/**
 * Connects and brings the schema up to date, then returns the app's pool. Migrations and the
 * app role's grants run as the DATABASE_URL user (the owner) on a short-lived connection; the
 * returned pool, and `afterMigrations` (the demo seed), run as the least-privilege app role.
 * Several instances may start at once: all of it runs under one advisory lock.
 */
export async function openDatabase(
  url: string,
  options: PoolOptions & { afterMigrations?: (dataSource: DataSource) => Promise<void> } = {},
): Promise<DataSource> {
  const owner = createDataSource(url, { poolSize: 2, connectTimeoutMs: options.connectTimeoutMs });
  await owner.initialize();
  const app = createDataSource(url, { ...options, asAppRole: true });
  const lock = owner.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK]);
    try {
      await owner.runMigrations({ transaction: 'each' });
      await grantAppRole(owner);
      await app.initialize();
      await options.afterMigrations?.(app);
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK]);
    }
  } catch (error) {
    if (app.isInitialized) await app.destroy();
    throw error;
  } finally {
    await lock.release();
    await owner.destroy();
  }
  return app;
}
