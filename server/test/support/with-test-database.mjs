#!/usr/bin/env node
/**
 * Runs a command (the integration tests) against a fresh, migrated template database on
 * TEST_DATABASE_URL, else DATABASE_URL, else an embedded Postgres under .data/test-postgres.
 * The template's URL reaches the tests as COUNTERSIGN_TEST_TEMPLATE_URL; each test file copies
 * it (database-environment.mjs). Afterwards the template, the copies and anything a killed file
 * left are dropped. Uses the built server (dist), so `npm run build` comes first.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres } from '../../dist/server/src/database/embedded-postgres.js';
import { openDatabase } from '../../dist/server/src/database/data-source.js';
import {
  TEMPLATE_ENV,
  databaseUrl,
  dropRun,
  maintenanceUrl,
  withClient,
} from './test-databases.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: with-test-database.mjs <command> [args...]');
  process.exit(2);
}

let embedded = null;
let adminUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
if (!adminUrl) {
  embedded = await startEmbeddedPostgres({
    dataDir: join(repoRoot, '.data', 'test-postgres'),
    preferredPort: 54339,
    logger: { log: () => {}, debug: () => {}, warn: (m) => console.warn(m) },
  });
  adminUrl = embedded.url;
}
const templateUrl = databaseUrl(adminUrl, `countersign_test_${Date.now()}_${process.pid}`);
let code;
try {
  await withClient(maintenanceUrl(adminUrl), (client) =>
    client.query(`CREATE DATABASE "${new URL(templateUrl).pathname.slice(1)}"`),
  );
  // Migrated once here; the server's start in each file then finds nothing to migrate.
  await (await openDatabase(templateUrl, { poolSize: 1 })).destroy();
  console.log(
    `Integration tests copy the template ${new URL(templateUrl).pathname.slice(1)} on ${new URL(templateUrl).host}${embedded ? ' (embedded)' : ''}`,
  );

  const child = spawn(command, args, {
    stdio: 'inherit',
    env: { ...process.env, [TEMPLATE_ENV]: templateUrl },
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  code = await new Promise((done) =>
    child.on('exit', (exitCode, signal) => done(exitCode ?? (signal ? 1 : 0))),
  );
} finally {
  try {
    await dropRun(templateUrl);
  } finally {
    await embedded?.stop();
  }
}
process.exit(code);
