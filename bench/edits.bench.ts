/**
 * `npm run bench:edits`: loads the full NCCI PTP practitioner table (1.67 million pairs), the
 * MUE, add-on, fee schedule and code set files, then evaluates 20-line encounters through
 * EditsService, the path the server takes on every change: reference data from Postgres, the
 * shared rules, the fee estimate. Encounters are built around real PTP neighbourhoods so pairs
 * fire. The last line is one JSON object.
 */
import type { EditsInput } from '@countersign/shared';
import type { DataSource } from 'typeorm';
import { CatalogGeneration } from '../server/src/catalog/catalog-generation.js';
import { CatalogRepository } from '../server/src/catalog/catalog.repository.js';
import { EditsRepository } from '../server/src/edits/edits.repository.js';
import { EditsReferenceService } from '../server/src/edits/edits-reference.service.js';
import { EditsService } from '../server/src/edits/edits.service.js';
import {
  CODE_SET_KINDS,
  EDIT_KINDS,
  elapsedMs,
  importReferenceFiles,
  log,
  percentile,
  round3,
  seededRandom,
  withBenchDatabase,
} from './bench-support.js';

const ENCOUNTERS = 500;
const WARM_UP = 50;
const LINES = 20;
const MODIFIERS = ['59', 'XS', 'RT', 'LT', '25', '26'];

async function buildEncounters(dataSource: DataSource, count: number): Promise<EditsInput[]> {
  const random = seededRandom(2024_07_01);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const [{ n }] = await dataSource.query<[{ n: number }]>(
    `SELECT count(DISTINCT column1)::int AS n FROM ncci_ptp_edits`,
  );
  const firsts = await dataSource.query<Array<{ column1: string }>>(
    `SELECT DISTINCT column1 FROM ncci_ptp_edits WHERE edition = '2024Q3' ORDER BY column1`,
  );
  const universe = await dataSource.query<Array<{ code: string }>>(
    `SELECT DISTINCT code FROM mpfs_rvus WHERE status_code = 'A' ORDER BY code`,
  );
  const diagnoses = await dataSource.query<Array<{ code: string }>>(
    `SELECT code FROM catalog_codes WHERE system = 'ICD10CM' AND billable ORDER BY code`,
  );
  log(
    `  ${n.toLocaleString('en-US')} distinct column 1 codes, ${universe.length.toLocaleString('en-US')} priced codes`,
  );
  const encounters: EditsInput[] = [];
  for (let e = 0; e < count; e++) {
    const anchor = pick(firsts).column1;
    const neighbours = await dataSource.query<Array<{ column2: string }>>(
      `SELECT column2 FROM ncci_ptp_edits WHERE edition = '2024Q3' AND column1 = $1 ORDER BY column2`,
      [anchor],
    );
    const codes = new Set<string>([anchor]);
    while (codes.size < 11 && codes.size <= neighbours.length) codes.add(pick(neighbours).column2);
    while (codes.size < LINES) codes.add(pick(universe).code);
    encounters.push({
      dateOfService: '2026-03-02',
      placeOfService: pick(['11', '22', '11', '11']),
      diagnoses: Array.from({ length: 4 }, () => pick(diagnoses).code).filter(
        (c, i, all) => all.indexOf(c) === i,
      ),
      lines: [...codes].map((code, i) => ({
        id: `e${e}-l${i}`,
        code,
        modifiers: random() < 0.25 ? [pick(MODIFIERS)] : [],
        units: random() < 0.1 ? 2 + Math.floor(random() * 3) : 1,
        pointers: ['A'],
      })),
    });
  }
  return encounters;
}

async function main(): Promise<void> {
  const result = await withBenchDatabase(async (dataSource) => {
    log('Loading the edit data and code sets');
    await importReferenceFiles(dataSource, [...CODE_SET_KINDS, ...EDIT_KINDS]);
    await dataSource.query('ANALYZE');
    const [{ pairs }] = await dataSource.query<[{ pairs: number }]>(
      'SELECT count(*)::int AS pairs FROM ncci_ptp_edits',
    );
    const edits = new EditsService(
      new EditsReferenceService(
        new EditsRepository(dataSource),
        new CatalogGeneration(new CatalogRepository(dataSource)),
      ),
    );
    log(`Building ${ENCOUNTERS} encounters of ${LINES} lines`);
    const encounters = await buildEncounters(dataSource, ENCOUNTERS + WARM_UP);
    for (const encounter of encounters.slice(0, WARM_UP)) await edits.evaluate(encounter);

    const times: number[] = [];
    let findings = 0;
    let ptpFindings = 0;
    for (const encounter of encounters.slice(WARM_UP)) {
      const started = process.hrtime.bigint();
      const evaluated = await edits.evaluate(encounter);
      times.push(elapsedMs(started));
      findings += evaluated.findings.length;
      ptpFindings += evaluated.findings.filter((f) => f.ruleId.startsWith('ptp-')).length;
    }
    times.sort((a, b) => a - b);
    log('');
    log(
      `  ${(findings / ENCOUNTERS).toFixed(1)} findings per encounter, ${(ptpFindings / ENCOUNTERS).toFixed(1)} of them NCCI PTP`,
    );
    log(
      `  evaluate(): p50 ${round3(percentile(times, 50))} ms, p95 ${round3(percentile(times, 95))} ms, p99 ${round3(percentile(times, 99))} ms, max ${round3(percentile(times, 100))} ms`,
    );
    return {
      ptp_pairs: pairs,
      encounters: ENCOUNTERS,
      p50_ms: round3(percentile(times, 50)),
      p95_ms: round3(percentile(times, 95)),
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
