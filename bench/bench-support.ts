/**
 * What both benchmarks share: a throw-away database (BENCH_DATABASE_URL, TEST_DATABASE_URL or
 * DATABASE_URL, else an embedded Postgres under .data/bench-postgres), the public code sets
 * shipped in codesets/ (CODESETS_DIR overrides) and percentiles.
 */
import { join } from 'node:path';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { REPO_ROOT } from '../server/src/config/config.js';
import { openDatabase } from '../server/src/database/data-source.js';
import { startEmbeddedPostgres } from '../server/src/database/embedded-postgres.js';
import { seedDemoCatalog } from '../server/src/demo/demo-seed.js';
import { PUBLIC_CODE_SET_FILES } from '../server/src/catalog/public-code-sets.js';
import { importReferenceData } from '../server/src/testing/code-sets.js';

export { seededRandom } from '../server/src/testing/seeded-random.js';

export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Runs `work` against a fresh, migrated database (given open, and by URL) that is dropped afterwards. */
export async function withBenchDatabase<T>(
  work: (dataSource: DataSource, url: string) => Promise<T>,
): Promise<T> {
  let adminUrl =
    process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | null = null;
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: join(REPO_ROOT, '.data', 'bench-postgres'),
      preferredPort: 54359,
      logger: { log: () => undefined, debug: () => undefined, warn: (m: string) => log(m) },
    });
    adminUrl = embedded.url;
  }
  const name = `countersign_bench_${process.pid}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  log(`Benchmark database ${name} on ${url.host}${embedded ? ' (embedded)' : ''}`);
  let dataSource: DataSource | null = null;
  try {
    dataSource = await openDatabase(url.toString(), { poolSize: 10 });
    return await work(dataSource, url.toString());
  } finally {
    await dataSource?.destroy();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((error: unknown) =>
      log(`Could not drop ${name}: ${String(error)}`),
    );
    await embedded?.stop();
  }
}

/** Imports the reference files of the given kinds and the demo catalogue, printing one line each. */
export async function importReferenceFiles(
  dataSource: DataSource,
  kinds: readonly string[],
): Promise<void> {
  await importReferenceData(
    dataSource,
    PUBLIC_CODE_SET_FILES.filter((f) => kinds.includes(f.kind)),
    (entry, summary) =>
      log(
        `  ${entry.file}: ${summary.rows.toLocaleString('en-US')} rows in ${(summary.durationMs / 1000).toFixed(1)} s`,
      ),
  );
  await seedDemoCatalog(dataSource);
}

export const CODE_SET_KINDS = ['icd10cm-tsv', 'icd10cm-headers-tsv', 'hcpcs-tsv', 'modifiers-tsv'];
export const EDIT_KINDS = [
  'ptp-tsv',
  'mue-tsv',
  'aoc-tsv',
  'addon-list-tsv',
  'rvu-tsv',
  'conversion-factors-tsv',
];

/** The value below which `p` percent of the sorted samples fall (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const round3 = (ms: number) => Math.round(ms * 1000) / 1000;

export function elapsedMs(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}
