import { Logger } from '@nestjs/common';
import {
  CreateEncounterSchema,
  cptCategory,
  cptSection,
  type SessionUser,
} from '@countersign/shared';
import type { DataSource } from 'typeorm';
import { hashPassword } from '../auth/password.js';
import { CatalogRepository } from '../catalog/catalog.repository.js';
import { EncounterEventBus } from '../encounter/encounter-event-bus.js';
import { EncounterWriter } from '../encounter/encounter-writer.js';
import { EncounterRepository } from '../encounter/encounter.repository.js';
import { EncounterService } from '../encounter/encounter.service.js';
import { UsersRepository } from '../users/users.repository.js';
import { UsersService } from '../users/users.service.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CatalogImporter } from '../catalog/import/catalog-importer.js';
import { DEMO_CATALOG } from './demo-catalog.js';
import {
  DEMO_CONVERSION_FACTORS_TSV,
  DEMO_RVU_EDITION,
  DEMO_RVU_TSV,
} from './demo-fee-schedule.js';
import { DEMO_ENCOUNTERS } from './demo-encounters.js';
import {
  DEMO_ORGANIZATION,
  DEMO_PASSWORD,
  DEMO_QUALITY_TEAM,
  DEMO_TRAINEE,
  DEMO_USERS,
} from './demo-users.js';
import { seedDemoPractice } from './demo-practice.js';
import { seedDemoQualityHistory } from './demo-quality.js';
import { seedDemoAgreementHistory } from './demo-agreement.js';

/** Edition stamp of the hand-written demo catalogue. */
export const DEMO_CATALOG_EDITION = 'demo-2026';

/**
 * Seeds a database that has no organization yet: the demo organization, its users, the demo
 * catalogue and the demo encounters, each created through the encounter service so every
 * chart starts with its `encounter.created` event. Runs under the start-up lock.
 * Returns the logins it created, or null when the database already had data.
 */
export async function seedDemoData(
  dataSource: DataSource,
  options: { demoFeeSchedule: boolean } = { demoFeeSchedule: false },
): Promise<Array<{ email: string; role: string }> | null> {
  const usersRepository = new UsersRepository(dataSource);
  if (await usersRepository.anyOrganization()) return null;
  const logger = new Logger('DemoSeed');

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const organizationId = await usersRepository.insertOrganization({
    name: DEMO_ORGANIZATION.name,
    slug: DEMO_ORGANIZATION.slug,
  });
  const ids = new Map<string, string>();
  for (const user of DEMO_USERS) {
    const id = await usersRepository.insertUser({
      organizationId,
      email: user.email,
      name: user.name,
      role: user.role,
      passwordHash,
    });
    ids.set(user.key, id);
  }
  const team = {
    coders: [ids.get('coder')!],
    reviewers: [ids.get('reviewer')!, ids.get('supervisor')!],
  };
  for (const user of DEMO_QUALITY_TEAM) {
    const id = await usersRepository.insertUser({
      organizationId,
      email: user.email,
      name: user.name,
      role: user.role,
      passwordHash,
    });
    team.coders.push(id);
  }

  await seedDemoCatalog(dataSource);
  if (options.demoFeeSchedule) await seedDemoFeeSchedule(dataSource);

  const users = new UsersService(usersRepository);
  const repository = new EncounterRepository();
  const encounters = new EncounterService(
    dataSource,
    users,
    new EncounterWriter(dataSource, new EncounterEventBus(), repository),
    repository,
  );
  const coder = (await users.sessionUser(ids.get('coder')!, organizationId)) as SessionUser;
  const supervisor = (await users.sessionUser(
    ids.get('supervisor')!,
    organizationId,
  )) as SessionUser;
  for (const demo of DEMO_ENCOUNTERS) {
    await encounters.create(
      coder,
      CreateEncounterSchema.parse({
        patient: demo.patient,
        dateOfService: demo.dateOfService,
        provider: demo.provider,
        placeOfService: demo.placeOfService,
        clinicalNote: demo.clinicalNote,
        diagnoses: demo.diagnoses,
        lines: demo.lines,
        coderId: demo.assign.coder ? ids.get(demo.assign.coder)! : null,
        reviewerId: demo.assign.reviewer ? ids.get(demo.assign.reviewer)! : null,
      }),
      demo.status,
      { assignedBy: supervisor },
    );
  }
  const reviewed = await seedDemoQualityHistory(dataSource, organizationId, team);
  const doubleCoded = await seedDemoAgreementHistory(dataSource, organizationId, {
    coders: team.coders,
    supervisor: ids.get('supervisor')!,
    reviewer: ids.get('reviewer')!,
  });
  const traineeId = await usersRepository.insertUser({
    organizationId,
    email: DEMO_TRAINEE.email,
    name: DEMO_TRAINEE.name,
    role: DEMO_TRAINEE.role,
    passwordHash,
  });
  await seedDemoPractice(dataSource, organizationId, ids.get('supervisor')!, traineeId);
  logger.log(
    `Seeded the demo organization: ${DEMO_USERS.length + DEMO_QUALITY_TEAM.length} users, ${reviewed} reviewed charts, ${doubleCoded} double-coded charts, ${DEMO_CATALOG.length} codes, ${DEMO_ENCOUNTERS.length} encounters`,
  );
  return [...DEMO_USERS, ...DEMO_QUALITY_TEAM, DEMO_TRAINEE].map(({ email, role }) => ({
    email,
    role,
  }));
}

/**
 * The demo fee schedule (RVUs of the demo codes and the conversion factors), through the same
 * importer an admin uses, so the demo charts show fees and the review's dollar impact. Only
 * when the shipped public code sets are turned off (LOAD_PUBLIC_CODESETS=false): the real RVU
 * file is never shadowed by it.
 */
export async function seedDemoFeeSchedule(dataSource: DataSource): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'countersign-demo-'));
  try {
    const importer = new CatalogImporter(dataSource);
    const rvus = join(dir, 'demo-rvu.tsv');
    writeFileSync(rvus, DEMO_RVU_TSV);
    await importer.importFile(rvus, {
      kind: 'rvu-tsv',
      edition: DEMO_RVU_EDITION,
      effectiveDate: '2025-01-01',
    });
    const factors = join(dir, 'demo-conversion-factors.tsv');
    writeFileSync(factors, DEMO_CONVERSION_FACTORS_TSV);
    await importer.importFile(factors, {
      kind: 'conversion-factors-tsv',
      edition: 'demo',
      effectiveDate: '2025-01-01',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The demo catalogue: every code of the demo encounters with our own descriptions, so lookups,
 * search and the edits work before an organization imports its code sets. Idempotent.
 */
export async function seedDemoCatalog(dataSource: DataSource): Promise<void> {
  await new CatalogRepository(dataSource).upsertCodes(
    DEMO_CATALOG.map((entry) => ({
      ...entry,
      edition: DEMO_CATALOG_EDITION,
      effectiveDate: '2025-01-01',
      terminationDate: null,
      importKind: 'demo',
      sourceRow: null,
      attributes: demoAttributes(entry.system, entry.code),
    })),
  );
}

function demoAttributes(system: string, code: string): Record<string, string> {
  const attributes: Record<string, string> = {
    source: 'Countersign demo catalogue (own summaries)',
  };
  if (system === 'CPT') {
    attributes.category = cptCategory(code) ?? 'other';
    const section = cptSection(code);
    if (section) attributes.section = section;
  }
  return attributes;
}
