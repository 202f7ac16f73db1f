/**
 * `npm run bench:audit`: what the audit trail costs. On a throw-away database with the demo
 * seed (run through the least-privilege app role, as the server runs):
 * - the access-log insert every chart read makes, against the chart read itself;
 * - hashing one event in the writer;
 * - verifying every chart's chain (the demo charts, then 50 charts of 41 events each).
 * The last line is one JSON object.
 */
import type { SessionUser } from '@countersign/shared';
import { eventHash } from '../server/src/audit/event-chain.js';
import { AuditRepository } from '../server/src/audit/audit.repository.js';
import { verifyChain } from '../server/src/audit/chain-verifier.js';
import { ChartReadsService } from '../server/src/audit/chart-reads.service.js';
import { seedDemoData } from '../server/src/demo/demo-seed.js';
import { EncounterEventBus } from '../server/src/encounter/encounter-event-bus.js';
import { EncounterWriter } from '../server/src/encounter/encounter-writer.js';
import { EncounterRepository } from '../server/src/encounter/encounter.repository.js';
import { EncounterService } from '../server/src/encounter/encounter.service.js';
import { UsersRepository } from '../server/src/users/users.repository.js';
import { UsersService } from '../server/src/users/users.service.js';
import type { DataSource } from 'typeorm';
import { log, percentile, round3, withBenchDatabase } from './bench-support.js';

const READS = 2000;
const CHARTS = 50;
const LINES = 40;

async function verifyAll(
  dataSource: DataSource,
): Promise<{ charts: number; events: number; ms: number; ok: boolean }> {
  const started = performance.now();
  const ids = (
    await dataSource.query<Array<{ id: string }>>(
      'SELECT id FROM encounters ORDER BY created_at, id',
    )
  ).map((r) => r.id);
  let events = 0;
  let ok = true;
  for (const id of ids) {
    const check = (await verifyChain(new AuditRepository(dataSource), id))!;
    events += check.events;
    ok &&= check.ok;
  }
  return { charts: ids.length, events, ms: round3(performance.now() - started), ok };
}

async function timed(n: number, work: (i: number) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await work(i);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

const summary = (times: number[]) => ({
  p50_ms: round3(percentile(times, 50)),
  p95_ms: round3(percentile(times, 95)),
});

const result = await withBenchDatabase(async (dataSource) => {
  await seedDemoData(dataSource);
  const [row] = await dataSource.query<Array<{ id: string; organization_id: string }>>(
    `SELECT u.id, u.organization_id FROM users u WHERE u.role = 'coder' LIMIT 1`,
  );
  const users = new UsersService(new UsersRepository(dataSource));
  const coder = (await users.sessionUser(row!.id, row!.organization_id)) as SessionUser;
  const repository = new EncounterRepository();
  const encounters = new EncounterService(
    dataSource,
    users,
    new EncounterWriter(dataSource, new EncounterEventBus(), repository),
    repository,
  );
  const reads = new ChartReadsService(new AuditRepository(dataSource));
  const [{ id: chartId }] = await dataSource.query<[{ id: string }]>(
    'SELECT id FROM encounters ORDER BY created_at LIMIT 1',
  );

  const demo = await verifyAll(dataSource);
  log(
    `  verify the ${demo.charts} demo charts (${demo.events} events): ${demo.ms} ms, ${demo.ok ? 'all hold' : 'BROKEN'}`,
  );

  const readTimes = await timed(READS, () => encounters.get(coder, chartId).then(() => undefined));
  const insertTimes = await timed(READS, () =>
    reads.record(coder, chartId, 'GET /api/encounters/:id'),
  );
  log(
    `  chart read (EncounterService.get): p50 ${summary(readTimes).p50_ms} ms, p95 ${summary(readTimes).p95_ms} ms`,
  );
  log(
    `  access-log insert per read:        p50 ${summary(insertTimes).p50_ms} ms, p95 ${summary(insertTimes).p95_ms} ms`,
  );

  const payload = {
    line: {
      id: chartId,
      code: '99213',
      modifiers: ['25'],
      units: 1,
      pointers: ['A', 'B'],
      rationale: 'Documented',
      evidence: null,
      origin: 'coder',
    },
    index: 3,
  };
  const hashStarted = performance.now();
  for (let i = 0; i < 10_000; i++) {
    eventHash(
      {
        encounterId: chartId,
        seq: i + 1,
        type: 'line.added',
        actorId: coder.id,
        actorName: coder.name,
        payload,
        createdAt: new Date(),
      },
      'ab'.repeat(32),
    );
  }
  const hashUs = round3(((performance.now() - hashStarted) / 10_000) * 1000);
  log(`  eventHash of one line.added: ${hashUs} µs`);

  log(`  writing ${CHARTS} charts of ${LINES + 1} events each…`);
  for (let c = 0; c < CHARTS; c++) {
    const created = await encounters.create(coder, {
      patient: { mrn: `B-${c}`, name: 'Bench Patient', dateOfBirth: '1960-01-01' },
      dateOfService: '2026-03-02',
      provider: { name: 'Dr Bench', npi: null },
      placeOfService: '11',
      clinicalNote: 'Bench note',
      diagnoses: ['M1711'],
      lines: [],
      coderId: coder.id,
      reviewerId: null,
    });
    for (let l = 0; l < LINES; l++) {
      await encounters.addLine(coder, created.id, {
        code: '99213',
        modifiers: [],
        units: 1,
        pointers: ['A'],
        rationale: '',
        evidence: null,
      });
    }
  }
  const all = await verifyAll(dataSource);
  log(
    `  verify all ${all.charts} charts (${all.events} events): ${all.ms} ms (${Math.round(all.events / (all.ms / 1000))} events/s), ${all.ok ? 'all hold' : 'BROKEN'}`,
  );
  return {
    chart_read: summary(readTimes),
    access_log_insert: summary(insertTimes),
    event_hash_us: hashUs,
    verify_demo: demo,
    verify_all: all,
  };
});
process.stdout.write(`${JSON.stringify(result)}\n`);
