/**
 * `npm run bench:metrics`: one organization with 100,000 reviewed charts (25 coders, 8
 * reviewers, 60 providers, a year of approvals; the quality history generator), loaded in a
 * throw-away database, then the quality dashboards' reads as GET /api/quality/... runs them
 * (QualityReportsService): the team report over 12 weeks and over a year, filtered by coder and
 * by code family, a coder's own view, the charts behind a figure (page 1, and a filtered page).
 * Each is timed ROUNDS times, interleaved; the last line is one JSON object with p50/p95 per
 * query, the worst p95 and the goal (p95 <= 100 ms each).
 * `METRICS_EXPLAIN=<file>` also writes each statement's EXPLAIN (ANALYZE, BUFFERS) there.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import {
  QualityChartsQuerySchema,
  QualityFilterSchema,
  type SessionUser,
} from '@countersign/shared';
import pg from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import {
  createHistoryTeam,
  generateQualityHistory,
} from '../server/src/quality/reports/quality-history.js';
import { QualityReportsRepository } from '../server/src/quality/reports/quality-reports.repository.js';
import { QualityReportsService } from '../server/src/quality/reports/quality-reports.service.js';
import { SamplingRepository } from '../server/src/sampling/sampling.repository.js';
import { SamplingService } from '../server/src/sampling/sampling.service.js';
import {
  elapsedMs,
  log,
  percentile,
  round3,
  seededRandom,
  withBenchDatabase,
} from './bench-support.js';

const CHARTS = Number(process.env.METRICS_CHARTS ?? 100_000);
const ROUNDS = Number(process.env.METRICS_ROUNDS ?? 40);
const GOAL_MS = 100;

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: round3(percentile(sorted, 50)), p95: round3(percentile(sorted, 95)) };
}

/** A data source whose statements are explained (and still run), for the plans file. */
function explaining(dataSource: DataSource, plans: string[], name: string): DataSource {
  const manager = {
    query: async (sql: string, params: unknown[]) => {
      const rows = await dataSource.query<Array<{ 'QUERY PLAN': string }>>(
        `EXPLAIN (ANALYZE, BUFFERS) ${sql}`,
        params,
      );
      plans.push(`== ${name}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}\n`);
      return dataSource.query(sql, params);
    },
  } as unknown as EntityManager;
  return {
    manager,
    transaction: (_level: string, work: (tx: EntityManager) => Promise<unknown>) => work(manager),
  } as unknown as DataSource;
}

/** A manager that logs how long each statement of the load took (METRICS_STEPS=1). */
function timedSteps(tx: EntityManager): EntityManager {
  return {
    query: async (sql: string, params?: unknown[]) => {
      const begun = process.hrtime.bigint();
      const rows: unknown = await tx.query(sql, params);
      log(
        `    ${elapsedMs(begun).toFixed(0).padStart(6)} ms  ${sql.trim().slice(0, 60).replace(/\s+/g, ' ')}`,
      );
      return rows;
    },
  } as unknown as EntityManager;
}

const loadAtStart = loadavg().map((l) => Math.round(l * 100) / 100);
const result = await withBenchDatabase(async (dataSource, url) => {
  log(
    `Quality metrics: ${CHARTS.toLocaleString('en-US')} reviewed charts, ${ROUNDS} rounds per query`,
  );
  const [org] = await dataSource.query<[{ id: string }]>(
    `INSERT INTO organizations (name, slug) VALUES ('Bench Health', 'bench-health') RETURNING id`,
  );
  const [supervisorRow] = await dataSource.query<[{ id: string }]>(
    `INSERT INTO users (organization_id, email, name, role, password_hash)
     VALUES ($1, 'supervisor@bench.example', 'Bench Supervisor', 'supervisor', 'x') RETURNING id`,
    [org.id],
  );
  const started = process.hrtime.bigint();
  const team = await createHistoryTeam(dataSource.manager, org.id, {
    coders: 25,
    reviewers: 8,
    providers: 60,
  });
  // The load runs as the schema's owner, in one transaction, without row triggers (bulkLoad).
  const loader = new pg.Client({ connectionString: url });
  await loader.connect();
  const ownerManager = {
    query: async (sql: string, params?: unknown[]) => (await loader.query(sql, params)).rows,
  } as unknown as EntityManager;
  await loader.query('BEGIN');
  const summary = await generateQualityHistory(
    process.env.METRICS_STEPS ? timedSteps(ownerManager) : ownerManager,
    team,
    { charts: CHARTS, weeks: 52, seed: 12, bulkLoad: true },
  );
  await loader.query('COMMIT');
  await loader.end();
  const loadSeconds = elapsedMs(started) / 1000;
  log(
    `  loaded ${summary.charts.toLocaleString('en-US')} charts (${summary.lines.toLocaleString('en-US')} lines) and the roll-ups in ${loadSeconds.toFixed(1)} s`,
  );
  const owner = new pg.Client({ connectionString: url });
  await owner.connect();
  await owner.query('VACUUM ANALYZE');
  await owner.end();

  const session = (id: string, role: SessionUser['role']): SessionUser => ({
    id,
    email: `${role}@bench.example`,
    name: `Bench ${role}`,
    role,
    organizationId: org.id,
    organizationName: 'Bench Health',
  });
  const supervisor = session(supervisorRow.id, 'supervisor');
  const coder = session(team.coders[3]!, 'coder');
  const today = new Date().toISOString().slice(0, 10);
  const yearAgo = new Date(Date.now() - 364 * 86_400_000).toISOString().slice(0, 10);
  const scenarios: Record<string, (service: QualityReportsService) => Promise<unknown>> = {
    report_12_weeks: (s) => s.report(supervisor, QualityFilterSchema.parse({})),
    report_year: (s) =>
      s.report(supervisor, QualityFilterSchema.parse({ from: yearAgo, to: today })),
    report_coder: (s) => s.report(supervisor, QualityFilterSchema.parse({ coderId: coder.id })),
    report_family_year: (s) =>
      s.report(supervisor, QualityFilterSchema.parse({ family: 'em', from: yearAgo })),
    me: (s) => s.me(coder, {}),
    charts_page_1: (s) => s.charts(supervisor, QualityChartsQuerySchema.parse({})),
    charts_filtered: (s) =>
      s.charts(
        supervisor,
        QualityChartsQuerySchema.parse({
          from: yearAgo,
          family: 'em',
          outcome: 'corrected',
          reviewerId: team.reviewers[1]!,
          page: '2',
        }),
      ),
  };
  // The services as the server wires them; `me` includes the coder's review level.
  const reports = (runner: DataSource) =>
    new QualityReportsService(
      runner,
      new QualityReportsRepository(),
      new SamplingService(runner, new SamplingRepository()),
    );
  const service = reports(dataSource);
  // One untimed round warms the caches, as a server that has been up a while has them.
  const figures: Record<string, unknown> = {};
  for (const [name, run] of Object.entries(scenarios)) {
    const answer = (await run(service)) as {
      totals?: { tally: { chartsReviewed: number } };
      total?: number;
    };
    figures[name] = answer.totals?.tally.chartsReviewed ?? answer.total;
  }

  const samples = new Map<string, number[]>();
  const random = seededRandom(7);
  for (let round = 0; round < ROUNDS; round++) {
    const order = Object.keys(scenarios).sort(() => random() - 0.5);
    for (const name of order) {
      const begun = process.hrtime.bigint();
      await scenarios[name]!(service);
      const list = samples.get(name) ?? [];
      list.push(elapsedMs(begun));
      samples.set(name, list);
    }
  }

  const explainTo = process.env.METRICS_EXPLAIN;
  if (explainTo) {
    const plans: string[] = [];
    for (const [name, run] of Object.entries(scenarios))
      await run(reports(explaining(dataSource, plans, name)));
    writeFileSync(explainTo, plans.join('\n'));
    log(`  plans written to ${explainTo}`);
  }

  const queries: Record<string, ReturnType<typeof stats>> = {};
  for (const [name, list] of samples) {
    queries[name] = stats(list);
    log(`  ${name.padEnd(20)} p50 ${queries[name].p50} ms, p95 ${queries[name].p95} ms`);
  }
  const worstP95 = Math.max(...Object.values(queries).map((q) => q.p95));
  return {
    charts: CHARTS,
    lines: summary.lines,
    load_seconds: Math.round(loadSeconds * 10) / 10,
    rounds: ROUNDS,
    charts_counted: figures,
    queries,
    worst_p95_ms: worstP95,
    goal: { goal_p95_ms: GOAL_MS, met: worstP95 <= GOAL_MS },
    load_average_start: loadAtStart,
    load_average_end: loadavg().map((l) => Math.round(l * 100) / 100),
  };
});
process.stdout.write(`${JSON.stringify(result)}\n`);
