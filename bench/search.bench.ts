/**
 * `npm run bench:search`: loads the full public code sets (ICD-10-CM billable and header codes,
 * HCPCS Level II, modifiers) and the demo CPT codes, replays typeahead queries one keystroke at
 * a time (codes, with and without the ICD-10 dot, and partial words), and times the server's
 * search (the in-memory index behind GET /api/catalog/search) against a plain pg_trgm GIN
 * index answering the same queries in the same run. It also scores the ranking: for each pair of
 * bench/search-ranking.tsv (what a coder types -> the code they mean), whether that code is in
 * the top five. The last line is one JSON object.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CatalogSearchQuery, CodeSystem } from '@countersign/shared';
import type { DataSource } from 'typeorm';
import { CatalogGeneration } from '../server/src/catalog/catalog-generation.js';
import { CatalogSearchService } from '../server/src/catalog/catalog-search.service.js';
import { CatalogRepository } from '../server/src/catalog/catalog.repository.js';
import { REPO_ROOT } from '../server/src/config/config.js';
import {
  CODE_SET_KINDS,
  elapsedMs,
  importReferenceFiles,
  log,
  percentile,
  round3,
  seededRandom,
  withBenchDatabase,
} from './bench-support.js';

const DATE = '2026-03-02';

/** Words coders type, from the diagnoses and services of a primary care and orthopaedic practice. */
const PHRASES = [
  'type 2 diabetes',
  'diabetes mellitus kidney',
  'essential hypertension',
  'knee pain',
  'osteoarthritis knee',
  'low back pain',
  'chest pain',
  'shortness of breath',
  'copd exacerbation',
  'asthma',
  'atrial fibrillation',
  'heart failure',
  'chronic kidney disease stage 3',
  'hyperlipidemia',
  'obesity',
  'vitamin d deficiency',
  'urinary tract infection',
  'pneumonia',
  'influenza',
  'covid',
  'depression',
  'anxiety disorder',
  'fracture femur',
  'sprain ankle',
  'meniscus tear',
  'rotator cuff',
  'migraine',
  'hypothyroidism',
  'anemia',
  'screening colon',
  'encounter immunization',
  'long term insulin',
  'nicotine dependence',
  'fall from',
  'methylprednisolone',
  'injection',
  'wheelchair',
  'glucose monitor',
  'ambulance',
  'vaccine administration',
];

interface Replay {
  q: string;
  systems: CodeSystem[];
}

/** Every prefix of `text`, as a typeahead sees it while a person types. */
const keystrokes = (text: string) =>
  Array.from({ length: text.length }, (_, i) => text.slice(0, i + 1)).filter(
    (q) => q.trim() !== '',
  );

async function buildReplay(dataSource: DataSource): Promise<Replay[]> {
  const random = seededRandom(4242);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const icd = await dataSource.query<Array<{ code: string }>>(
    `SELECT code FROM catalog_codes WHERE system = 'ICD10CM' AND billable ORDER BY code`,
  );
  const procedures: Array<{ code: string; short_description: string }> = await dataSource.query(
    `SELECT code, short_description FROM catalog_codes WHERE system IN ('CPT', 'HCPCS') ORDER BY code`,
  );
  const replay: Replay[] = [];
  for (let i = 0; i < 120; i++) {
    const code = pick(icd).code;
    const typed = i % 2 === 0 && code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code;
    for (const q of keystrokes(i % 3 === 0 ? typed.toLowerCase() : typed))
      replay.push({ q, systems: ['ICD10CM'] });
  }
  for (let i = 0; i < 60; i++)
    for (const q of keystrokes(pick(procedures).code))
      replay.push({ q, systems: ['CPT', 'HCPCS'] });
  for (const phrase of PHRASES)
    for (const q of keystrokes(phrase)) replay.push({ q, systems: ['ICD10CM', 'CPT', 'HCPCS'] });
  for (let i = 0; i < 40; i++) {
    const words = pick(procedures)
      .short_description.toLowerCase()
      .split(/\s+/)
      .slice(0, 2)
      .map((w) => w.slice(0, 5))
      .join(' ');
    for (const q of keystrokes(words)) replay.push({ q, systems: ['CPT', 'HCPCS'] });
  }
  return replay;
}

/** The baseline: one trigram GIN index over code and descriptions, every typed word ANDed with ILIKE. */
async function createBaseline(dataSource: DataSource): Promise<void> {
  // The baseline changes the schema, which the server's least-privilege role may not: these
  // statements run as the database owner the benchmark connected as (SET LOCAL ROLE NONE).
  await dataSource.transaction(async (tx) => {
    await tx.query('SET LOCAL ROLE NONE');
    await tx.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await tx.query(
      `ALTER TABLE catalog_codes ADD COLUMN search_text text GENERATED ALWAYS AS (lower(code || ' ' || short_description || ' ' || long_description)) STORED`,
    );
    await tx.query(
      'CREATE INDEX catalog_codes_trgm_idx ON catalog_codes USING gin (search_text gin_trgm_ops)',
    );
    await tx.query('ANALYZE catalog_codes');
  });
}

async function baselineSearch(dataSource: DataSource, replay: Replay): Promise<unknown[]> {
  const code = replay.q.trim().toUpperCase().replace(/\./g, '');
  const words = replay.q
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (words.length === 0) return [];
  const params: unknown[] = [replay.systems, DATE, code];
  const where = words.map((w) => {
    params.push(`%${w}%`);
    return `search_text LIKE $${params.length}`;
  });
  return dataSource.query(
    `SELECT system, code, edition, short_description, long_description FROM catalog_codes
      WHERE system = ANY($1::text[]) AND effective_date <= $2::date AND (termination_date IS NULL OR termination_date >= $2::date)
        AND ${where.join(' AND ')}
      ORDER BY (code = $3) DESC, (code LIKE $3 || '%') DESC, code
      LIMIT 20`,
    params,
  );
}

/** The share of bench/search-ranking.tsv pairs whose code is among the first five hits; misses are printed. */
async function rankingQuality(
  search: CatalogSearchService,
): Promise<{ pairs: number; top5: number }> {
  const pairs = readFileSync(join(REPO_ROOT, 'bench', 'search-ranking.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('\t') as [string, string]);
  let found = 0;
  for (const [term, expected] of pairs) {
    const hits = await search.search({
      q: term,
      system: ['ICD10CM', 'CPT', 'HCPCS'],
      date: DATE,
      limit: 5,
    });
    if (hits.some((h) => h.code === expected)) found += 1;
    else
      log(
        `  not in the top 5: "${term}" -> ${expected} (got ${hits.map((h) => h.code).join(', ') || 'nothing'})`,
      );
  }
  return { pairs: pairs.length, top5: Math.round((found / pairs.length) * 1000) / 1000 };
}

async function main(): Promise<void> {
  const result = await withBenchDatabase(async (dataSource) => {
    log('Loading the code sets');
    await importReferenceFiles(dataSource, CODE_SET_KINDS);
    const [{ codes }] = await dataSource.query<[{ codes: number }]>(
      'SELECT count(*)::int AS codes FROM catalog_codes',
    );
    const catalog = new CatalogRepository(dataSource);
    const search = new CatalogSearchService(catalog, new CatalogGeneration(catalog));
    const built = process.hrtime.bigint();
    await search.refreshed();
    log(
      `Index of ${codes.toLocaleString('en-US')} codes built in ${Math.round(elapsedMs(built))} ms`,
    );
    const replay = await buildReplay(dataSource);
    log(`Replaying ${replay.length} typeahead queries`);
    await createBaseline(dataSource);

    const query = (r: Replay): CatalogSearchQuery => ({
      q: r.q,
      system: r.systems,
      date: DATE,
      limit: 20,
    });
    for (const r of replay.slice(0, 300)) await search.search(query(r)); // warm-up: JIT, caches
    for (const r of replay.slice(0, 100)) await baselineSearch(dataSource, r);

    const times: number[] = [];
    const baseline: number[] = [];
    let empty = 0;
    for (const r of replay) {
      const started = process.hrtime.bigint();
      const hits = await search.search(query(r));
      times.push(elapsedMs(started));
      if (hits.length === 0) empty += 1;
      const baselineStarted = process.hrtime.bigint();
      await baselineSearch(dataSource, r);
      baseline.push(elapsedMs(baselineStarted));
    }
    times.sort((a, b) => a - b);
    baseline.sort((a, b) => a - b);
    log('');
    log('                       p50 ms   p95 ms   p99 ms   max ms');
    for (const [label, t] of [
      ['in-memory index', times],
      ['pg_trgm GIN', baseline],
    ] as const) {
      log(
        `  ${label.padEnd(18)} ${[50, 95, 99, 100].map((p) => round3(percentile(t, p)).toFixed(3).padStart(8)).join(' ')}`,
      );
    }
    log(`  ${empty} of ${replay.length} queries found nothing`);
    const ranking = await rankingQuality(search);
    log(
      `  ranking: ${Math.round(ranking.top5 * ranking.pairs)} of ${ranking.pairs} expected codes in the top 5`,
    );
    return {
      codes,
      queries: replay.length,
      p50_ms: round3(percentile(times, 50)),
      p95_ms: round3(percentile(times, 95)),
      p99_ms: round3(percentile(times, 99)),
      baseline_p95_ms: round3(percentile(baseline, 95)),
      ranking_pairs: ranking.pairs,
      ranking_top5: ranking.top5,
    };
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
