#!/usr/bin/env node
/**
 * Runs a command (the integration tests) against a fresh, throw-away database:
 * TEST_DATABASE_URL, else DATABASE_URL, else an embedded Postgres under .data/test-postgres.
 * The database's URL reaches the tests as COUNTERSIGN_TEST_DB_URL; it is dropped afterwards.
 * Uses the built server (dist), so `npm run build` comes first.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../dist/server/src/database/embedded-postgres.js';

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
const name = `countersign_test_${Date.now()}_${process.pid}`;
await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
const url = new URL(adminUrl);
url.pathname = `/${name}`;
console.log(
  `Integration tests use database ${name} on ${url.host}${embedded ? ' (embedded)' : ''}`,
);

const child = spawn(command, args, {
  stdio: 'inherit',
  env: { ...process.env, COUNTERSIGN_TEST_DB_URL: url.toString() },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
const code = await new Promise((done) =>
  child.on('exit', (exitCode, signal) => done(exitCode ?? (signal ? 1 : 0))),
);

try {
  await withClient(adminUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  );
} finally {
  await embedded?.stop();
}
process.exit(code);

async function withClient(connectionString, work) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
