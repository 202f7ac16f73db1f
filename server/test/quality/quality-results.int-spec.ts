import { randomUUID } from 'node:crypto';
import {
  codeFamily,
  roundCents,
  type Ack,
  type ChartQualityResult,
  type CommandResult,
  type CorrectionCategory,
  type Encounter,
} from '@countersign/shared';
import type { RunningServer } from '../../src/bootstrap.js';
import { CatalogGeneration } from '../../src/catalog/catalog-generation.js';
import { seedDemoFeeSchedule } from '../../src/demo/demo-seed.js';
import { QualityResultsRepository } from '../../src/quality/results/quality-results.repository.js';
import { encounterInState } from '../support/review-fixtures.js';
import { RoomWatcher } from '../support/room-watcher.js';
import {
  api,
  connectSocket,
  createOrganization,
  emitAck,
  encounterBody,
  eventually,
  login,
  meta,
  startTestApp,
  type LiveClient,
  type TestOrganization,
} from '../support/test-app.js';

function ok<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

type Role = 'coder' | 'reviewer' | 'supervisor';

/** The 2026 conversion factor of the demo fee schedule (the year of the charts' date of service). */
const CONVERSION_FACTOR = 33.4009;

describe(QualityResultsRepository.name, () => {
  let server: RunningServer;
  let org: TestOrganization;
  let results: QualityResultsRepository;
  const cookies: Record<string, string> = {};
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    server = await startTestApp();
    results = server.app.get(QualityResultsRepository);
    // Priced lines: the demo fee schedule through the admin's importer (the template has none).
    await seedDemoFeeSchedule(server.dataSource);
    server.app.get(CatalogGeneration).changed();
    org = await createOrganization(server.dataSource, 'Quality Clinic');
    for (const role of ['coder', 'reviewer', 'supervisor'] as const)
      cookies[role] = await login(server.url, org.users[role]);
  });
  afterEach(() => sockets.splice(0).forEach((s) => s.close()));
  afterAll(() => server.stop());

  async function room(role: Role, encounterId: string): Promise<RoomWatcher> {
    const socket = await connectSocket(server.url, cookies[role]!);
    sockets.push(socket);
    return RoomWatcher.join(socket, encounterId);
  }

  async function send(
    who: RoomWatcher,
    event: string,
    payload: Record<string, unknown>,
    everyone: RoomWatcher[] = [who],
  ): Promise<CommandResult> {
    const result = ok(
      await emitAck(
        who.socket,
        event as 'line:add',
        { encounterId: who.state.id, ...meta(who.state.version), ...payload } as never,
      ),
    );
    await eventually(
      () => everyone.every((w) => w.state.version >= result.seq),
      5000,
      `everyone to see seq ${result.seq}`,
    );
    return result;
  }

  /** A line's price worked out by hand from its RVU row: (work + PE + MP) x conversion factor. */
  async function rvuCents(code: string, modifier = ''): Promise<number> {
    const rows = await server.dataSource.query<
      Array<{ status: string; total: number; pe: number; mp: number; work: number }>
    >(
      `SELECT status_code AS status, work_rvu::float8 AS work, nonfac_pe_rvu::float8 AS pe, mp_rvu::float8 AS mp
         FROM mpfs_rvus WHERE code = $1 AND modifier = $2`,
      [code, modifier],
    );
    const row = rows[0];
    if (!row || !['A', 'R', 'T'].includes(row.status)) return 0;
    return Math.round(roundCents(roundCents(row.work + row.pe + row.mp) * CONVERSION_FACTOR) * 100);
  }

  async function rollups(organizationId: string) {
    const order = 'ORDER BY t.week, t.coder_id, t.reviewer_id, t.provider_npi';
    // Cents are bigint, which Postgres hands back as text.
    const numbers = (rows: Record<string, unknown>[]) =>
      rows.map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([k, v]) => [k, k.endsWith('_cents') ? Number(v) : v]),
        ),
      );
    return {
      all: numbers(
        await server.dataSource.query(
          `SELECT t.*, t.week::text AS week FROM quality_rollup t WHERE t.organization_id = $1 ${order}`,
          [organizationId],
        ),
      ),
      family: numbers(
        await server.dataSource.query(
          `SELECT t.*, t.week::text AS week FROM quality_rollup_family t WHERE t.organization_id = $1 ${order}, t.family`,
          [organizationId],
        ),
      ),
      category: numbers(
        await server.dataSource.query(
          `SELECT t.*, t.week::text AS week FROM quality_rollup_category t WHERE t.organization_id = $1 ${order}, t.category`,
          [organizationId],
        ),
      ),
    };
  }

  /** The roll-ups as they stand, then as `rebuild` derives them from the facts: they must agree. */
  async function expectRebuildAgrees(organizationId: string): Promise<void> {
    const incremental = await rollups(organizationId);
    await server.dataSource.transaction((tx) => results.rebuild(tx, organizationId));
    expect(await rollups(organizationId)).toEqual(incremental);
  }

  async function result(role: Role, id: string) {
    return api<ChartQualityResult & { code?: string; message?: string }>(
      server.url,
      cookies[role]!,
      'GET',
      `/api/quality/encounters/${id}/result`,
    );
  }

  it('records an approval with an accepted, a corrected, a rejected and a missed line, and a re-approval replaces it', async () => {
    const created = await api<Encounter>(
      server.url,
      cookies.coder!,
      'POST',
      '/api/encounters',
      encounterBody({ coderId: org.users.coder.id }),
    );
    const chartId = created.body.id;
    const coder = await room('coder', chartId);
    const reviewer = await room('reviewer', chartId);
    const supervisor = await room('supervisor', chartId);
    const all = [coder, reviewer, supervisor];
    for (const code of ['99214', '20610', '73562'])
      await send(coder, 'line:add', { line: { code, pointers: ['A'] } }, all);
    const [visit, injection, xray] = coder.state.lines.map((l) => l.id);
    await send(coder, 'encounter:transition', { transition: 'submit' }, all);
    await send(reviewer, 'encounter:transition', { transition: 'review.start' }, all);

    expect(await result('coder', chartId)).toMatchObject({
      status: 404,
      body: {
        code: 'not_found',
        message: 'This chart has no review result yet: it has not been approved',
      },
    });

    await send(reviewer, 'review:accept', { lineId: injection }, all);
    await send(
      reviewer,
      'review:suggest',
      {
        lineId: visit,
        patch: { code: '99215', modifiers: ['25'] },
        category: 'wrong-level',
        comment: 'Level 5 documented',
      },
      all,
    );
    await send(
      reviewer,
      'review:reject',
      { lineId: xray, category: 'unsupported', comment: 'No imaging in the note' },
      all,
    );
    await send(
      reviewer,
      'review:add-missed',
      { line: { code: 'J3301', units: 4, pointers: ['A'] }, comment: 'Drug supply' },
      all,
    );
    const missed = reviewer.state.lines[3]!.id;
    await send(
      coder,
      'suggestion:answer',
      { suggestionId: coder.state.suggestions[0]!.id, answer: 'accept' },
      all,
    );
    await send(reviewer, 'encounter:transition', { transition: 'approve' }, all);

    // Worked out by hand: each line's price from its RVUs, the chart's figures from the lines.
    const p99214 = await rvuCents('99214');
    const p99215 = await rvuCents('99215');
    const p20610 = await rvuCents('20610');
    const p73562 = await rvuCents('73562');
    const pJ3301 = await rvuCents('J3301');
    expect(p99215).toBeGreaterThan(p99214);
    expect(p73562).toBeGreaterThan(0);
    const coderCents = p99214 + p20610 + p73562;
    const reviewedCents = p99215 + p20610 + pJ3301;

    const outcomes = await server.dataSource.query(
      `SELECT line_id, outcome, category, code, family, coder_cents::int8::text AS coder_cents,
              final_cents::int8::text AS final_cents
         FROM review_outcomes WHERE encounter_id = $1 ORDER BY approval_seq, line_id`,
      [chartId],
    );
    const byLine = Object.fromEntries(outcomes.map((o: { line_id: string }) => [o.line_id, o]));
    expect([byLine[visit!], byLine[injection!], byLine[xray!], byLine[missed]]).toEqual([
      expect.objectContaining({
        outcome: 'corrected',
        category: 'wrong-level',
        code: '99215',
        family: 'em',
        coder_cents: `${p99214}`,
        final_cents: `${p99215}`,
      }),
      expect.objectContaining({
        outcome: 'accepted',
        category: null,
        code: '20610',
        family: 'surgery',
        coder_cents: `${p20610}`,
        final_cents: `${p20610}`,
      }),
      expect.objectContaining({
        outcome: 'rejected',
        category: 'unsupported',
        code: '73562',
        family: 'radiology',
        coder_cents: `${p73562}`,
        final_cents: '0',
      }),
      expect.objectContaining({
        outcome: 'missed',
        category: 'missed-code',
        code: 'J3301',
        family: 'hcpcs',
        coder_cents: '0',
        final_cents: `${pJ3301}`,
      }),
    ]);

    const [stored] = await server.dataSource.query(
      `SELECT r.*, r.week::text AS week, e.submitted_at AS chart_submitted, e.approved_at AS chart_approved
         FROM review_results r JOIN encounters e ON e.id = r.encounter_id WHERE r.encounter_id = $1`,
      [chartId],
    );
    expect(stored).toMatchObject({
      organization_id: org.id,
      coder_id: org.users.coder.id,
      reviewer_id: org.users.reviewer.id,
      provider_npi: '1234567893',
      coder_lines: 3,
      accepted_unchanged: 1,
      missed_lines: 1,
      corrected: 1,
      rejected: 1,
      clean: false,
      coder_cents: `${coderCents}`,
      reviewed_cents: `${reviewedCents}`,
      categories: ['wrong-level', 'unsupported', 'missed-code'],
      families: ['em', 'surgery', 'radiology', 'hcpcs'],
      signed_off_at: null,
    });
    expect(stored.submitted_at).toEqual(stored.chart_submitted);
    expect(stored.approved_at).toEqual(stored.chart_approved);
    expect(stored.submitted_at.getTime()).toBeLessThanOrEqual(stored.approved_at.getTime());
    const day = new Date(stored.approved_at);
    day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
    const week = day.toISOString().slice(0, 10);
    expect(stored.week).toBe(week);

    const key = {
      organization_id: org.id,
      week,
      coder_id: org.users.coder.id,
      reviewer_id: org.users.reviewer.id,
      provider_npi: '1234567893',
    };
    const net = reviewedCents - coderCents;
    const zero = {
      clean_charts: 0,
      coder_lines: 0,
      accepted_unchanged: 0,
      missed_lines: 0,
      corrected: 0,
      rejected: 0,
      reviewed_cents: 0,
      abs_impact_cents: 0,
      net_impact_cents: 0,
      charts: 1,
    };
    const first = await rollups(org.id);
    expect(first.all).toEqual([
      {
        ...key,
        ...zero,
        coder_lines: 3,
        accepted_unchanged: 1,
        missed_lines: 1,
        corrected: 1,
        rejected: 1,
        reviewed_cents: reviewedCents,
        abs_impact_cents: Math.abs(net),
        net_impact_cents: net,
      },
    ]);
    const families = Object.fromEntries(first.family.map((row) => [row.family, row]));
    expect(families).toEqual({
      em: {
        ...key,
        ...zero,
        family: 'em',
        coder_lines: 1,
        corrected: 1,
        reviewed_cents: p99215,
        abs_impact_cents: p99215 - p99214,
        net_impact_cents: p99215 - p99214,
      },
      surgery: {
        ...key,
        ...zero,
        family: 'surgery',
        clean_charts: 1,
        coder_lines: 1,
        accepted_unchanged: 1,
        reviewed_cents: p20610,
      },
      radiology: {
        ...key,
        ...zero,
        family: 'radiology',
        coder_lines: 1,
        rejected: 1,
        abs_impact_cents: p73562,
        net_impact_cents: -p73562,
      },
      hcpcs: {
        ...key,
        ...zero,
        family: 'hcpcs',
        missed_lines: 1,
        reviewed_cents: pJ3301,
        abs_impact_cents: pJ3301,
        net_impact_cents: pJ3301,
      },
    });
    const category = (name: string, lineNet: number) => ({
      ...key,
      category: name,
      corrections: 1,
      charts: 1,
      net_impact_cents: lineNet,
      abs_impact_cents: Math.abs(lineNet),
    });
    expect(first.category).toEqual(
      [
        category('missed-code', pJ3301),
        category('unsupported', -p73562),
        category('wrong-level', p99215 - p99214),
      ].sort((a, b) => a.category.localeCompare(b.category)),
    );
    await expectRebuildAgrees(org.id);

    // The room's view of it.
    const shown = await result('coder', chartId);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      encounterId: chartId,
      coder: { id: org.users.coder.id, name: org.users.coder.name },
      reviewer: { id: org.users.reviewer.id, name: org.users.reviewer.name },
      approvedAt: stored.approved_at.toISOString(),
      figures: {
        line: { numerator: 1, denominator: 4, value: 0.25 },
        chart: { numerator: 0, denominator: 1, value: 0 },
        tally: { reviewedCents, netImpactCents: net, absImpactCents: Math.abs(net) },
      },
      coderTotals: { line: { numerator: 1, denominator: 4 }, chart: { denominator: 1 } },
    });
    expect(shown.body.lines).toEqual([
      {
        lineId: visit,
        outcome: 'corrected',
        category: 'wrong-level',
        family: 'em',
        coderLine: '99214 x1',
        finalLine: '99215-25 x1',
        coderCents: p99214,
        finalCents: p99215,
      },
      {
        lineId: injection,
        outcome: 'accepted',
        category: null,
        family: 'surgery',
        coderLine: '20610 x1',
        finalLine: '20610 x1',
        coderCents: p20610,
        finalCents: p20610,
      },
      {
        lineId: xray,
        outcome: 'rejected',
        category: 'unsupported',
        family: 'radiology',
        coderLine: '73562 x1',
        finalLine: null,
        coderCents: p73562,
        finalCents: 0,
      },
      {
        lineId: missed,
        outcome: 'missed',
        category: 'missed-code',
        family: 'hcpcs',
        coderLine: null,
        finalLine: 'J3301 x4',
        coderCents: 0,
        finalCents: pJ3301,
      },
    ]);

    // Sign-off is recorded on the chart and its result.
    await send(supervisor, 'encounter:transition', { transition: 'sign-off' }, all);
    const [signed] = await server.dataSource.query(
      `SELECT r.signed_off_at AS result_at, e.signed_off_at AS chart_at
         FROM review_results r JOIN encounters e ON e.id = r.encounter_id WHERE r.encounter_id = $1`,
      [chartId],
    );
    expect(signed.result_at).toBeInstanceOf(Date);
    expect(signed.result_at).toEqual(signed.chart_at);

    // Reopened, the x-ray accepted after all, approved again: the result is replaced, not added.
    await send(
      supervisor,
      'encounter:transition',
      { transition: 'reopen', reason: 'Second look' },
      all,
    );
    await send(reviewer, 'review:accept', { lineId: xray }, all);
    await send(reviewer, 'encounter:transition', { transition: 'approve' }, all);
    const [again] = await server.dataSource.query(
      `SELECT r.*, e.signed_off_at AS chart_signed_off FROM review_results r
         JOIN encounters e ON e.id = r.encounter_id WHERE r.encounter_id = $1`,
      [chartId],
    );
    expect(again).toMatchObject({
      coder_lines: 3,
      accepted_unchanged: 2,
      rejected: 0,
      corrected: 1,
      missed_lines: 1,
      coder_cents: `${coderCents}`,
      reviewed_cents: `${reviewedCents + p73562}`,
      categories: ['wrong-level', 'missed-code'],
      signed_off_at: null,
      chart_signed_off: null,
    });
    const second = await rollups(org.id);
    expect(second.all).toEqual([
      expect.objectContaining({
        charts: 1,
        coder_lines: 3,
        accepted_unchanged: 2,
        rejected: 0,
        reviewed_cents: reviewedCents + p73562,
        net_impact_cents: net + p73562,
      }),
    ]);
    expect(second.family.find((f) => f.family === 'radiology')).toMatchObject({
      charts: 1,
      clean_charts: 1,
      rejected: 0,
      accepted_unchanged: 1,
      net_impact_cents: 0,
    });
    expect(second.category.map((c) => c.category)).toEqual(['missed-code', 'wrong-level']);
    await expectRebuildAgrees(org.id);
  }, 60_000);

  it('keeps the roll-ups equal to a rebuild across coders, reviewers and weeks, through replacements', async () => {
    const other = await createOrganization(server.dataSource, 'Rollup Clinic');
    const coders = [other.users.coder.id, randomUUID(), randomUUID()];
    const reviewers = [other.users.reviewer.id, other.users.supervisor.id];
    const weeks = ['2026-01-05T10:00:00Z', '2026-01-14T23:30:00Z', '2026-02-01T23:59:00Z'];
    const codes = ['99213', '20610', '73562', '80053', 'J3301', '96372'];
    const outcomes = ['accepted', 'corrected', 'rejected', 'missed'] as const;
    const categories = ['wrong-code', 'units', 'unsupported', 'missing-modifier'] as const;
    let n = 0;
    /** A deterministic spread of facts: approval `i` of a chart, different every time. */
    const approve = async (encounterId: string, lineIds: string[], seq: number) => {
      const i = n++;
      const lines = lineIds.map((lineId, j) => {
        const outcome = outcomes[(i + j) % 4]!;
        const code = codes[(i * 3 + j) % codes.length]!;
        const category: CorrectionCategory | null =
          outcome === 'accepted'
            ? null
            : outcome === 'missed'
              ? 'missed-code'
              : categories[(i + 2 * j) % 4]!;
        const coderCents = outcome === 'missed' ? 0 : 1000 + 137 * ((i + j) % 7);
        const finalCents = outcome === 'rejected' ? 0 : 1000 + 211 * ((i * j) % 5);
        return { lineId, outcome, category, code, coderCents, finalCents };
      });
      await server.dataSource.transaction(async (tx) => {
        for (const l of lines)
          await tx.query(
            `INSERT INTO review_outcomes (encounter_id, approval_seq, line_id, outcome, category,
               code, family, coder_cents, final_cents)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
            [
              encounterId,
              seq,
              l.lineId,
              l.outcome,
              l.category,
              l.code,
              codeFamily(l.code),
              l.coderCents,
              l.finalCents,
            ],
          );
        await results.record(tx, {
          encounterId,
          organizationId: other.id,
          approvalSeq: seq,
          coderId: coders[i % coders.length]!,
          reviewerId: reviewers[i % reviewers.length]!,
          providerNpi: i % 2 ? '1234567893' : '',
          submittedAt: null,
          approvedAt: new Date(weeks[i % weeks.length]!),
          lines,
        });
      });
    };
    const charts = [];
    for (let c = 0; c < 6; c++) {
      const fixture = await encounterInState(server.dataSource, other, 'approved', {
        openSuggestion: false,
      });
      const lineIds = (
        await server.dataSource.query<Array<{ id: string }>>(
          'SELECT id FROM claim_lines WHERE encounter_id = $1 ORDER BY position',
          [fixture.encounterId],
        )
      ).map((r) => r.id);
      charts.push({ id: fixture.encounterId, lineIds });
      await approve(fixture.encounterId, lineIds, 10);
    }
    await expectRebuildAgrees(other.id);
    // Re-approvals move charts between weeks, coders and reviewers.
    for (const [k, chart] of charts.entries())
      if (k % 2 === 0) await approve(chart.id, chart.lineIds, 20);
    await approve(charts[1]!.id, charts[1]!.lineIds.slice(0, 2), 30);
    const before = await rollups(other.id);
    expect(before.all.reduce((s, r) => s + Number(r.charts), 0)).toBe(6);
    await expectRebuildAgrees(other.id);
    // One organization's facts never reach another's roll-ups.
    expect((await rollups(org.id)).all.every((r) => r.organization_id === org.id)).toBe(true);
  }, 60_000);

  it('leaves a chart out of the figures when it is approved again with no coder to attribute it to', async () => {
    const fixture = await encounterInState(server.dataSource, org, 'in_review', {
      openSuggestion: false,
    });
    const reviewer = await room('reviewer', fixture.encounterId);
    const supervisor = await room('supervisor', fixture.encounterId);
    const both = [reviewer, supervisor];
    await send(reviewer, 'encounter:transition', { transition: 'approve' }, both);
    const counted = async () =>
      Number(
        (
          await server.dataSource.query(
            'SELECT count(*) AS n FROM review_results WHERE encounter_id = $1',
            [fixture.encounterId],
          )
        )[0].n,
      );
    expect(await counted()).toBe(1);
    await send(
      supervisor,
      'encounter:transition',
      { transition: 'reopen', reason: 'Recheck' },
      both,
    );
    await server.dataSource.query('UPDATE encounters SET coder_id = NULL WHERE id = $1', [
      fixture.encounterId,
    ]);
    await send(reviewer, 'encounter:transition', { transition: 'approve' }, both);
    expect(await counted()).toBe(0);
    expect((await result('reviewer', fixture.encounterId)).status).toBe(404);
    await expectRebuildAgrees(org.id);
  }, 60_000);

  it('answers a bad id with 400, and another organization’s chart as not found', async () => {
    const bad = await result('coder', 'not-a-uuid');
    expect(bad.status).toBe(400);
    const [chart] = await server.dataSource.query(
      'SELECT encounter_id FROM review_results WHERE organization_id = $1 LIMIT 1',
      [org.id],
    );
    expect(chart).toBeDefined();
    const stranger = await createOrganization(server.dataSource, 'Elsewhere');
    const cookie = await login(server.url, stranger.users.supervisor);
    const foreign = await api<{ code: string; message: string }>(
      server.url,
      cookie,
      'GET',
      `/api/quality/encounters/${chart.encounter_id}/result`,
    );
    expect(foreign).toMatchObject({
      status: 404,
      body: { code: 'not_found', message: 'The encounter was not found' },
    });
    const unknown = await result('coder', randomUUID());
    expect(unknown).toMatchObject({
      status: 404,
      body: { message: 'The encounter was not found' },
    });
  });
});
