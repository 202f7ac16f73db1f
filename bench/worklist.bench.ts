/**
 * `npm run bench:worklist`: one organization with 100,000 charts (20 coders, 6 reviewers, 40
 * providers, every status, two years of dates of service, about 12% with open errors, three
 * claim lines each), seeded set-based in a throw-away database, then the worklist's queries as
 * GET /api/encounters runs them (WorklistRepository, through the least-privilege pool): page
 * queries filtered and sorted several ways, a name search, an MRN prefix, "has errors", deep
 * pages, and the queue counts. Each is timed ROUNDS times, interleaved; the last line is one
 * JSON object with p50/p95/p99 per query (goal: p95 <= 50 ms each) and the load average.
 * `WORKLIST_EXPLAIN=<file>` also writes each query's EXPLAIN (ANALYZE, BUFFERS) there.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import {
  WorklistQuerySchema,
  type WorklistQuery,
  type WorklistQueryInput,
} from '@countersign/shared';
import pg from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { WorklistRepository } from '../server/src/worklist/worklist.repository.js';
import {
  elapsedMs,
  log,
  percentile,
  round3,
  seededRandom,
  withBenchDatabase,
} from './bench-support.js';

const CHARTS = Number(process.env.WORKLIST_CHARTS ?? 100_000);
const ROUNDS = Number(process.env.WORKLIST_ROUNDS ?? 60);
const GOAL_MS = 50;

const FIRST = [
  'Ana',
  'Ben',
  'Carla',
  'David',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jamal',
  'Kofi',
  'Lena',
  'Marta',
  'Nikhil',
  'Olga',
  'Pedro',
  'Quinn',
  'Rosa',
  'Sven',
  'Tariq',
  'Uma',
  'Victor',
  'Wen',
  'Xavier',
  'Yara',
  'Zoe',
];
const LAST = [
  'Smith',
  'Johnson',
  'Okafor',
  'García',
  'Nguyen',
  'Kowalski',
  'Haddad',
  'Müller',
  'Rossi',
  'Tanaka',
  'Ivanova',
  'Silva',
  "O'Brien",
  'Andersen',
  'Dubois',
  'Kim',
  'Patel',
  'Cohen',
  'Mensah',
  'Larsen',
  'Fischer',
  'Moreau',
  'Novak',
  'Reyes',
  'Sato',
  'Walker',
  'Young',
  'Zhang',
  'Baptiste',
  'Castillo',
  'Delgado',
  'Eriksen',
  'Fontaine',
  'Gallagher',
  'Hughes',
  'Jensen',
  'Keller',
  'Lindqvist',
  'MacLeod',
  'Nakamura',
];
const PROVIDERS = Array.from(
  { length: 40 },
  (_, i) =>
    `${LAST[(i * 7) % LAST.length]!} ${FIRST[i % FIRST.length]!}, ${['MD', 'DO', 'NP', 'PA'][i % 4]!}`,
);
const PLACES = ['11', '22', '21', '23', '02', '19'];

interface Team {
  organizationId: string;
  coders: string[];
  reviewers: string[];
}

/** The organization, its people and CHARTS charts with three lines each, in a few statements. */
async function seed(dataSource: DataSource): Promise<Team> {
  const [org] = await dataSource.query<[{ id: string }]>(
    `INSERT INTO organizations (name, slug) VALUES ('Bench Health', 'bench-health') RETURNING id`,
  );
  const people = async (role: string, count: number) =>
    (
      await dataSource.query<Array<{ id: string }>>(
        `INSERT INTO users (organization_id, email, name, role, password_hash)
         SELECT $1, $2 || n || '@bench.example', initcap($2) || ' ' || n, $2, 'x'
           FROM generate_series(1, $3) n RETURNING id`,
        [org.id, role, count],
      )
    ).map((row) => row.id);
  const coders = await people('coder', 20);
  const reviewers = await people('reviewer', 6);
  await people('supervisor', 2);
  const started = process.hrtime.bigint();
  // Statuses weighted as a working team's backlog: most charts signed off, a queue of each other.
  await dataSource.query(
    `INSERT INTO encounters (organization_id, patient_mrn, patient_name, patient_dob, date_of_service,
        provider_name, provider_npi, place_of_service, clinical_note, diagnoses, status, coder_id,
        reviewer_id, version, error_count, error_count_seq, created_at, updated_at)
     SELECT $1, 'MRN' || lpad(n::text, 7, '0'),
            ($2::text[])[1 + (hashint4(n) & 1023) % cardinality($2::text[])] || ' ' ||
              ($3::text[])[1 + (hashint4(n * 7) & 1023) % cardinality($3::text[])],
            date '1940-01-01' + (hashint4(n * 3) & 32767) % 25000,
            date '2024-12-01' + (hashint4(n * 5) & 4095) % 730,
            ($4::text[])[1 + (hashint4(n * 11) & 1023) % cardinality($4::text[])], NULL,
            ($5::text[])[1 + (hashint4(n * 13) & 1023) % cardinality($5::text[])],
            'Bench note', ARRAY['M1711', 'E119'],
            s.status,
            CASE WHEN (hashint4(n * 17) & 1023) < 80 AND s.status IN ('draft', 'submitted') THEN NULL
                 ELSE ($6::uuid[])[1 + (hashint4(n * 19) & 1023) % cardinality($6::uuid[])] END,
            CASE WHEN s.status = 'draft' THEN NULL
                 ELSE ($7::uuid[])[1 + (hashint4(n * 23) & 1023) % cardinality($7::uuid[])] END,
            1 + (hashint4(n * 29) & 1023) % 40,
            CASE WHEN (hashint4(n * 31) & 1023) < 123 AND s.status <> 'signed_off'
                 THEN 1 + (hashint4(n) & 3) ELSE 0 END,
            0,
            now() - interval '800 days' + (hashint4(n * 37) & 65535) * interval '15 minutes',
            now() - ((hashint4(n * 41) & 65535) % 129600) * interval '1 minute'
       FROM generate_series(1, $8) n
       CROSS JOIN LATERAL (SELECT CASE
         WHEN (hashint4(n * 43) & 1023) < 600 THEN 'signed_off'
         WHEN (hashint4(n * 43) & 1023) < 720 THEN 'draft'
         WHEN (hashint4(n * 43) & 1023) < 820 THEN 'submitted'
         WHEN (hashint4(n * 43) & 1023) < 880 THEN 'in_review'
         WHEN (hashint4(n * 43) & 1023) < 940 THEN 'changes_requested'
         ELSE 'approved' END AS status) s`,
    [org.id, FIRST, LAST, PROVIDERS, PLACES, coders, reviewers, CHARTS],
  );
  await dataSource.query(
    `UPDATE encounters SET error_count_seq = version WHERE organization_id = $1`,
    [org.id],
  );
  await dataSource.query(
    `INSERT INTO claim_lines (encounter_id, position, code, pointers)
     SELECT e.id, p, (ARRAY['99213', '99214', '20610', '36415', '81003'])[p + (hashint4(p) & 1)], ARRAY['A']
       FROM encounters e CROSS JOIN generate_series(1, 3) p WHERE e.organization_id = $1`,
    [org.id],
  );
  log(
    `  seeded ${CHARTS.toLocaleString('en-US')} charts in ${(elapsedMs(started) / 1000).toFixed(1)} s`,
  );
  return { organizationId: org.id, coders, reviewers };
}

/** The page queries timed, as the URL would carry them. */
function scenarios(team: Team): Record<string, WorklistQueryInput> {
  return {
    default_updated: {},
    queue_review_by_dos: { queue: 'review', sort: 'dateOfService', dir: 'asc' },
    queue_unassigned: { queue: 'unassigned' },
    name_search: { q: 'nguy', sort: 'patient' },
    name_search_two_words: { q: 'ana kowal' },
    mrn_prefix: { q: 'MRN00123' },
    has_errors_by_dos: { hasErrors: 'true', sort: 'dateOfService' },
    filtered_sorted: {
      status: 'submitted,in_review,changes_requested',
      from: '2025-06-01',
      to: '2025-12-31',
      coder: team.coders[3]!,
      sort: 'patient',
    },
    provider_and_reviewer: { provider: 'tanaka', reviewer: team.reviewers[1]!, sort: 'updated' },
    deep_page_patient: { sort: 'patient', page: '1000', pageSize: '50' },
    deep_page_status: { sort: 'status', dir: 'desc', page: '1500', pageSize: '50' },
    deep_page_filtered: {
      status: 'signed_off',
      sort: 'dateOfService',
      page: '800',
      pageSize: '50',
    },
  };
}

/** The queue counts timed: with no filter (the page as it opens) and under a search and a filter. */
const COUNT_SCENARIOS: Record<string, WorklistQueryInput> = {
  counts_all: {},
  counts_search: { q: 'garc' },
  counts_has_errors: { hasErrors: 'true' },
  counts_date_range: { from: '2025-01-01', to: '2025-03-31' },
};

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: round3(percentile(sorted, 50)),
    p95: round3(percentile(sorted, 95)),
    p99: round3(percentile(sorted, 99)),
  };
}

/** A manager whose statements are explained instead of run, for the plans file. */
function explaining(dataSource: DataSource, plans: string[], name: string): EntityManager {
  return {
    query: async (sql: string, params: unknown[]) => {
      const rows = await dataSource.query<Array<{ 'QUERY PLAN': string }>>(
        `EXPLAIN (ANALYZE, BUFFERS) ${sql}`,
        params,
      );
      plans.push(`== ${name}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}\n`);
      return [{}];
    },
  } as unknown as EntityManager;
}

const loadAtStart = loadavg().map((l) => Math.round(l * 100) / 100);
const result = await withBenchDatabase(async (dataSource, url) => {
  log(`Worklist: ${CHARTS.toLocaleString('en-US')} charts, ${ROUNDS} rounds per query`);
  const team = await seed(dataSource);
  // The steady state autovacuum keeps: statistics and the visibility map index-only scans use.
  const owner = new pg.Client({ connectionString: url });
  await owner.connect();
  await owner.query('VACUUM ANALYZE encounters');
  await owner.query('VACUUM ANALYZE claim_lines');
  await owner.end();

  const repository = new WorklistRepository();
  const self = team.coders[0]!;
  const pages = Object.entries(scenarios(team)).map(
    ([name, input]) => [name, WorklistQuerySchema.parse(input)] as const,
  );
  const counts = Object.entries(COUNT_SCENARIOS).map(
    ([name, input]) => [name, WorklistQuerySchema.parse(input)] as const,
  );
  const run = {
    page: (manager: EntityManager, query: WorklistQuery) =>
      repository.page(manager, team.organizationId, self, query),
    counts: (manager: EntityManager, query: WorklistQuery) =>
      repository.queueCounts(manager, team.organizationId, self, query),
  };

  // One untimed round warms the caches, as a server that has been up a while has them.
  for (const [, query] of pages) await run.page(dataSource.manager, query);
  for (const [, query] of counts) await run.counts(dataSource.manager, query);
  const rowsFound: Record<string, number> = {};
  for (const [name, query] of pages)
    rowsFound[name] = (await run.page(dataSource.manager, query)).length;
  const totals: Record<string, number> = {};
  for (const [name, query] of counts)
    totals[name] = (await run.counts(dataSource.manager, query)).all;

  const samples = new Map<string, number[]>();
  const time = async (name: string, work: () => Promise<unknown>) => {
    const started = process.hrtime.bigint();
    await work();
    const list = samples.get(name) ?? [];
    list.push(elapsedMs(started));
    samples.set(name, list);
  };
  const random = seededRandom(5);
  for (let round = 0; round < ROUNDS; round++) {
    const order = [...pages.map(([n]) => n), ...counts.map(([n]) => n)].sort(() => random() - 0.5);
    for (const name of order) {
      const page = pages.find(([n]) => n === name);
      if (page) await time(name, () => run.page(dataSource.manager, page[1]));
      const count = counts.find(([n]) => n === name);
      if (count) await time(name, () => run.counts(dataSource.manager, count[1]));
    }
  }

  const explainTo = process.env.WORKLIST_EXPLAIN;
  if (explainTo) {
    const plans: string[] = [];
    for (const [name, query] of pages) await run.page(explaining(dataSource, plans, name), query);
    for (const [name, query] of counts)
      await run.counts(explaining(dataSource, plans, name), query);
    writeFileSync(explainTo, plans.join('\n'));
    log(`  plans written to ${explainTo}`);
  }

  const queries: Record<string, ReturnType<typeof stats>> = {};
  for (const [name, list] of samples) {
    queries[name] = stats(list);
    log(
      `  ${name.padEnd(24)} p50 ${queries[name].p50} ms, p95 ${queries[name].p95} ms, p99 ${queries[name].p99} ms`,
    );
  }
  const worstP95 = Math.max(...Object.values(queries).map((q) => q.p95));
  return {
    charts: CHARTS,
    rounds: ROUNDS,
    goal_p95_ms: GOAL_MS,
    worst_p95_ms: worstP95,
    meets_goal: worstP95 <= GOAL_MS,
    load_average_start: loadAtStart,
    load_average_end: loadavg().map((l) => Math.round(l * 100) / 100),
    page_rows: rowsFound,
    queue_totals: totals,
    queries,
  };
});
process.stdout.write(`${JSON.stringify(result)}\n`);
