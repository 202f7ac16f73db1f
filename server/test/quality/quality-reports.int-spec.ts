import { randomUUID } from 'node:crypto';
import {
  accuracyFigures,
  codeFamily,
  tallyCharts,
  type AccuracyTally,
  type CorrectionCategory,
  type LineOutcome,
  type MyQuality,
  type QualityChartsPage,
  type QualityReport,
  type ReviewedChartFact,
} from '@countersign/shared';
import type { DataSource } from 'typeorm';
import type { RunningServer } from '../../src/bootstrap.js';
import {
  createHistoryTeam,
  generateQualityHistory,
  rebuildTurnaround,
} from '../../src/quality/reports/quality-history.js';
import { QualityResultsRepository } from '../../src/quality/results/quality-results.repository.js';
import { mondayOf } from '../../src/quality/reports/quality-reports.service.js';
import {
  api,
  createOrganization,
  login,
  startTestApp,
  type TestOrganization,
} from '../support/test-app.js';

interface HandLine {
  outcome: LineOutcome;
  category?: CorrectionCategory;
  code: string;
  coderCents: number;
  finalCents: number;
  modifiers?: string[];
  comment?: string;
}

interface HandChart {
  coderId: string;
  reviewerId: string;
  npi: string;
  /** Days before this week's Monday (negative: into this week), approval at 10:00 UTC. */
  daysBack: number;
  lines: HandLine[];
}

const DAY = 86_400_000;
const today = new Date().toISOString().slice(0, 10);
const thisMonday = mondayOf(today);
const approvedAt = (daysBack: number) =>
  new Date(Date.parse(`${thisMonday}T10:00:00Z`) - daysBack * DAY);

/** A reviewed chart straight into the tables the approval writes, then the roll-ups rebuilt. */
async function insertChart(
  dataSource: DataSource,
  organizationId: string,
  chart: HandChart,
): Promise<ReviewedChartFact> {
  const at = approvedAt(chart.daysBack);
  const submitted = new Date(at.getTime() - 5 * 3_600_000);
  const signedOff = new Date(at.getTime() + 2 * 3_600_000);
  const id = randomUUID();
  await dataSource.query(
    `INSERT INTO encounters (id, organization_id, patient_mrn, patient_name, patient_dob, date_of_service,
       provider_name, provider_npi, place_of_service, status, coder_id, reviewer_id,
       submitted_at, approved_at, signed_off_at)
     VALUES ($1, $2, $3, 'Quinn Testpatient', '1970-01-01', $4, $5, $6, '11', 'signed_off', $7, $8, $9, $10, $11)`,
    [
      id,
      organizationId,
      `QR-${id.slice(0, 8)}`,
      at.toISOString().slice(0, 10),
      `Provider ${chart.npi}`,
      chart.npi,
      chart.coderId,
      chart.reviewerId,
      submitted,
      at,
      signedOff,
    ],
  );
  let position = 0;
  for (const line of chart.lines) {
    const lineId = randomUUID();
    const coderLine =
      line.outcome === 'missed'
        ? null
        : { code: line.code, modifiers: [], units: 1, pointers: ['A'] };
    const finalLine =
      line.outcome === 'rejected'
        ? null
        : { code: line.code, modifiers: line.modifiers ?? [], units: 1, pointers: ['A'] };
    await dataSource.query(
      `INSERT INTO claim_lines (id, encounter_id, position, code, origin, review_state, review_category, review_comment)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        lineId,
        id,
        ++position,
        line.code,
        line.outcome === 'missed' ? 'reviewer' : 'coder',
        line.outcome === 'rejected' ? 'rejected' : 'accepted',
        line.outcome === 'rejected' ? line.category : null,
        line.outcome === 'rejected' ? (line.comment ?? null) : null,
      ],
    );
    if (line.outcome === 'corrected')
      await dataSource.query(
        `INSERT INTO suggestions (encounter_id, line_id, author_id, author_name, before, proposed, category,
           comment, status, created_seq, last_seq)
         VALUES ($1, $2, $3, 'Reviewer', $4, $5, $6, $7, 'accepted', 1, 2)`,
        [id, lineId, chart.reviewerId, coderLine, finalLine, line.category, line.comment ?? ''],
      );
    await dataSource.query(
      `INSERT INTO review_outcomes (encounter_id, approval_seq, line_id, outcome, category, coder_line,
         final_line, coder_id, reviewer_id, approved_at, code, family, coder_cents, final_cents)
       VALUES ($1, 3, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        id,
        lineId,
        line.outcome,
        line.category ?? null,
        coderLine,
        finalLine,
        chart.coderId,
        chart.reviewerId,
        at,
        line.code,
        codeFamily(line.code),
        line.coderCents,
        line.finalCents,
      ],
    );
  }
  const count = (o: LineOutcome) => chart.lines.filter((l) => l.outcome === o).length;
  const coderCents = chart.lines.reduce((s, l) => s + l.coderCents, 0);
  const reviewedCents = chart.lines.reduce((s, l) => s + l.finalCents, 0);
  await dataSource.query(
    `INSERT INTO review_results (encounter_id, organization_id, approval_seq, coder_id, reviewer_id, provider_npi,
       submitted_at, approved_at, week, signed_off_at, coder_lines, accepted_unchanged, missed_lines, corrected,
       rejected, clean, coder_cents, reviewed_cents, categories, families)
     VALUES ($1, $2, 3, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
    [
      id,
      organizationId,
      chart.coderId,
      chart.reviewerId,
      chart.npi,
      submitted,
      at,
      mondayOf(at.toISOString().slice(0, 10)),
      signedOff,
      chart.lines.length - count('missed'),
      count('accepted'),
      count('missed'),
      count('corrected'),
      count('rejected'),
      chart.lines.every((l) => l.outcome === 'accepted'),
      coderCents,
      reviewedCents,
      [...new Set(chart.lines.map((l) => l.category).filter(Boolean))].sort(),
      [...new Set(chart.lines.map((l) => codeFamily(l.code)))].sort(),
    ],
  );
  return {
    encounterId: id,
    coderId: chart.coderId,
    reviewerId: chart.reviewerId,
    providerNpi: chart.npi,
    approvedAt: at.toISOString(),
    lines: chart.lines.map((l) => ({
      outcome: l.outcome,
      category: l.category ?? null,
      code: l.code,
    })),
    coderCents,
    reviewedCents,
  };
}

const accepted = (code: string, cents: number): HandLine => ({
  outcome: 'accepted',
  code,
  coderCents: cents,
  finalCents: cents,
});

describe('quality reports (GET /api/quality/report, /me, /charts)', () => {
  let server: RunningServer;
  let org: TestOrganization;
  let coder2: string;
  let cookies: Record<'coder' | 'reviewer' | 'supervisor' | 'admin', string>;
  const facts: ReviewedChartFact[] = [];
  const NPI_A = '1234567893';
  const NPI_B = '1987654321';

  beforeAll(async () => {
    server = await startTestApp();
    org = await createOrganization(server.dataSource, 'Quality Clinic');
    const other = await createOrganization(server.dataSource, 'Elsewhere Clinic');
    [coder2] = (
      await server.dataSource.query<Array<{ id: string }>>(
        `INSERT INTO users (organization_id, email, name, role, password_hash)
         VALUES ($1, $2, 'Second Coder', 'coder', 'x') RETURNING id`,
        [org.id, `second.${org.id.slice(0, 8)}@quality.example`],
      )
    ).map((r) => r.id) as [string];
    const { coder, reviewer, supervisor } = org.users;
    const charts: HandChart[] = [
      // This week: coder, clean E/M + lab.
      {
        coderId: coder.id,
        reviewerId: reviewer.id,
        npi: NPI_A,
        daysBack: -1,
        lines: [accepted('99213', 9_000), accepted('36415', 300)],
      },
      // Last week: coder, a missing modifier (+ $0) and a missed lab line (+ $11).
      {
        coderId: coder.id,
        reviewerId: reviewer.id,
        npi: NPI_A,
        daysBack: 5,
        lines: [
          {
            outcome: 'corrected',
            category: 'missing-modifier',
            code: '99214',
            modifiers: ['25'],
            coderCents: 13_000,
            finalCents: 13_000,
            comment: 'Separate visit needs modifier 25',
          },
          accepted('20610', 6_700),
          {
            outcome: 'missed',
            category: 'missed-code',
            code: '80053',
            coderCents: 0,
            finalCents: 1_100,
          },
        ],
      },
      // Three weeks ago: coder 2 (supervisor reviewed), an unbundled line rejected (- $67).
      {
        coderId: coder2,
        reviewerId: supervisor.id,
        npi: NPI_B,
        daysBack: 19,
        lines: [
          accepted('29881', 52_000),
          {
            outcome: 'rejected',
            category: 'unbundling',
            code: '20610',
            coderCents: 6_700,
            finalCents: 0,
            comment: 'Included in the arthroscopy',
          },
        ],
      },
      // Twenty weeks ago: outside the default period.
      {
        coderId: coder.id,
        reviewerId: reviewer.id,
        npi: NPI_A,
        daysBack: 140,
        lines: [
          {
            outcome: 'rejected',
            category: 'unsupported',
            code: '99214',
            coderCents: 13_000,
            finalCents: 0,
          },
        ],
      },
    ];
    for (const chart of charts) facts.push(await insertChart(server.dataSource, org.id, chart));
    await new QualityResultsRepository().rebuild(server.dataSource.manager, org.id);
    // Another organization's history never shows.
    await insertChart(server.dataSource, other.id, {
      coderId: other.users.coder.id,
      reviewerId: other.users.reviewer.id,
      npi: NPI_A,
      daysBack: 2,
      lines: [accepted('99213', 9_000)],
    });
    await new QualityResultsRepository().rebuild(server.dataSource.manager, other.id);
    cookies = {
      coder: await login(server.url, org.users.coder),
      reviewer: await login(server.url, org.users.reviewer),
      supervisor: await login(server.url, org.users.supervisor),
      admin: await login(server.url, org.users.admin),
    };
  });

  afterAll(async () => {
    await server?.stop();
  });

  const report = async (query = '') => {
    const response = await api<QualityReport>(
      server.url,
      cookies.supervisor,
      'GET',
      `/api/quality/report${query}`,
    );
    expect(response.status).toBe(200);
    return response.body;
  };
  const recent = () => facts.slice(0, 3);

  it('totals over the last 12 weeks equal the hand count and tallyCharts', async () => {
    const body = await report();
    const hand: AccuracyTally = {
      coderLines: 6,
      acceptedUnchanged: 4,
      missedLines: 1,
      corrected: 1,
      rejected: 1,
      chartsReviewed: 3,
      chartsClean: 1,
      reviewedCents: 9_300 + 20_800 + 52_000,
      absImpactCents: 0 + 1_100 + 6_700,
      netImpactCents: 1_100 - 6_700,
    };
    expect(body.totals.tally).toEqual(hand);
    expect(body.totals.tally).toEqual(tallyCharts(recent()));
    expect(body.totals).toEqual(accuracyFigures(hand));
    expect(body.totals.line.value).toBeCloseTo(4 / 7);
    expect(body.filter.from).toBe(
      new Date(Date.parse(`${thisMonday}T00:00:00Z`) - 77 * DAY).toISOString().slice(0, 10),
    );
    expect(body.byWeek.map((w) => w.key)).toEqual(
      [19, 5, -1].map((d) => mondayOf(approvedAt(d).toISOString().slice(0, 10))),
    );
    expect(body.byCoder.map((r) => [r.label, r.figures.tally.chartsReviewed])).toEqual([
      [org.users.coder.name, 2],
      ['Second Coder', 1],
    ]);
    expect(body.byProvider.map((r) => r.key).sort()).toEqual([NPI_B, NPI_A].sort());
    expect(body.byProvider.find((r) => r.key === NPI_A)!.label).toBe(
      `Provider ${NPI_A} (${NPI_A})`,
    );
    const families = Object.fromEntries(body.byFamily.map((r) => [r.key, r.figures.tally]));
    expect(families.em).toMatchObject({ chartsReviewed: 2, coderLines: 2, acceptedUnchanged: 1 });
    // 36415 is in the CPT surgery section, so the only lab line is the missed one.
    expect(families.lab).toMatchObject({ chartsReviewed: 1, missedLines: 1, chartsClean: 0 });
    expect(families.surgery).toMatchObject({ chartsReviewed: 3, chartsClean: 2, rejected: 1 });
    expect(body.byCategory.map((c) => [c.category, c.corrections, c.lines])).toEqual([
      ['missed-code', 1, 7],
      ['missing-modifier', 1, 7],
      ['unbundling', 1, 7],
    ]);
    expect(body.turnaround.submitToApproval.count).toBe(3);
    expect(body.turnaround.submitToApproval.p50Hours).toBeCloseTo(5, 0);
    expect(body.turnaround.approvalToSignOff.p90Hours).toBeCloseTo(2, 0);
    expect(body.coderWeeks).toHaveLength(3);
  });

  it('filters narrow the figures: coder, reviewer, provider, family, period, category', async () => {
    const { coder, reviewer, supervisor } = org.users;
    const byCoder = await report(`?coderId=${coder.id}`);
    expect(byCoder.totals.tally).toEqual(
      tallyCharts(recent().filter((f) => f.coderId === coder.id)),
    );
    expect(byCoder.byCoder.map((r) => r.key)).toEqual([coder.id]);
    const byReviewer = await report(`?reviewerId=${supervisor.id}`);
    expect(byReviewer.totals.tally).toEqual(tallyCharts([facts[2]!]));
    expect(byReviewer.byReviewer.map((r) => r.key)).toEqual([supervisor.id]);
    const byProvider = await report(`?providerNpi=${NPI_B}`);
    expect(byProvider.totals.tally.chartsReviewed).toBe(1);
    const em = await report('?family=em');
    expect(em.totals.tally).toMatchObject({ chartsReviewed: 2, coderLines: 2, corrected: 1 });
    expect(em.byFamily.map((r) => r.key)).toEqual(['em']);
    // Category shares stay over every family's lines (the category roll-up has no family).
    expect(em.byCategory[0]!.lines).toBe(7);
    const lastWeeks = await report(
      `?from=${approvedAt(5).toISOString().slice(0, 10)}&to=${approvedAt(5).toISOString().slice(0, 10)}`,
    );
    expect(lastWeeks.totals.tally).toEqual(tallyCharts([facts[1]!]));
    const year = await report(`?from=${approvedAt(200).toISOString().slice(0, 10)}`);
    expect(year.totals.tally).toEqual(tallyCharts(facts));
    const category = await report('?category=unbundling');
    expect(category.byCategory.map((c) => c.category)).toEqual(['unbundling']);
    expect(category.totals.tally).toEqual(tallyCharts(recent()));
    expect(
      (await report(`?reviewerId=${reviewer.id}&providerNpi=${NPI_B}`)).totals.line.value,
    ).toBeNull();
  });

  it('refuses bad filters with 400 and a coder or reviewer with 403', async () => {
    for (const query of [
      '?coderId=not-a-uuid',
      '?from=2026-02-30',
      '?from=2026-05-01&to=2026-04-01',
      '?from=2022-01-01&to=2026-01-01',
      '?family=dentistry',
      '?providerNpi=123',
    ]) {
      const response = await api<{ code: string; details: { issues: Array<{ path: string }> } }>(
        server.url,
        cookies.supervisor,
        'GET',
        `/api/quality/report${query}`,
      );
      expect([query, response.status]).toEqual([query, 400]);
      expect(response.body.code).toBe('validation_failed');
      expect(response.body.details.issues.length).toBeGreaterThan(0);
    }
    for (const who of ['coder', 'reviewer'] as const)
      expect((await api(server.url, cookies[who], 'GET', '/api/quality/report')).status).toBe(403);
    expect((await api(server.url, cookies.admin, 'GET', '/api/quality/report')).status).toBe(200);
    expect((await api(server.url, null, 'GET', '/api/quality/report')).status).toBe(401);
  });

  it("/me is the caller's own figures and corrections, newest first", async () => {
    const response = await api<MyQuality>(server.url, cookies.coder, 'GET', '/api/quality/me');
    expect(response.status).toBe(200);
    const me = response.body;
    expect(me.coder.id).toBe(org.users.coder.id);
    expect(me.totals.tally).toEqual(tallyCharts(facts.slice(0, 2)));
    expect(me.thisWeek.tally).toEqual(tallyCharts([facts[0]!]));
    expect(me.lastWeek.tally).toEqual(tallyCharts([facts[1]!]));
    // The coder's level as the sampling policy (the defaults) gives it: all three of their
    // reviewed charts count, the one approved before this period too.
    expect(me.reviewLevel).toMatchObject({
      level: 'full',
      reviewedCharts: 3,
      explanation: '100% review: 3 of 30 reviewed charts so far',
    });
    expect(me.corrections.map((c) => [c.outcome, c.coderLine, c.finalLine, c.comment])).toEqual(
      expect.arrayContaining([
        ['corrected', '99214 x1', '99214-25 x1', 'Separate visit needs modifier 25'],
        ['missed', null, '80053 x1', null],
      ]),
    );
    expect(me.corrections).toHaveLength(2);
    expect(me.corrections.every((c) => c.reviewer?.id === org.users.reviewer.id)).toBe(true);
    const reviewer = await api<MyQuality>(server.url, cookies.reviewer, 'GET', '/api/quality/me');
    expect(reviewer.body.totals.tally.chartsReviewed).toBe(0);
    expect(reviewer.body.corrections).toEqual([]);
    expect(reviewer.body.reviewLevel).toBeNull();
    const year = await api<MyQuality>(
      server.url,
      cookies.coder,
      'GET',
      `/api/quality/me?from=${approvedAt(200).toISOString().slice(0, 10)}`,
    );
    const outcomes = year.body.corrections.map((c) => c.outcome);
    expect([outcomes.slice(0, 2).sort(), outcomes[2]]).toEqual([
      ['corrected', 'missed'],
      'rejected',
    ]);
    expect((await api(server.url, cookies.coder, 'GET', '/api/quality/me?to=nope')).status).toBe(
      400,
    );
  });

  it('/charts pages and filters the charts behind a figure, within what the caller may read', async () => {
    const { coder, reviewer, supervisor } = org.users;
    const charts = (cookie: string, query: string) =>
      api<QualityChartsPage>(server.url, cookie, 'GET', `/api/quality/charts${query}`);
    const all = await charts(cookies.supervisor, '?pageSize=2');
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(3);
    expect(all.body.rows.map((r) => r.encounterId)).toEqual([
      facts[0]!.encounterId,
      facts[1]!.encounterId,
    ]);
    expect(all.body.rows[0]!.figures.tally).toEqual(tallyCharts([facts[0]!]));
    const page2 = await charts(cookies.supervisor, '?pageSize=2&page=2');
    expect(page2.body.rows.map((r) => r.encounterId)).toEqual([facts[2]!.encounterId]);
    const ids = async (query: string, cookie = cookies.supervisor) =>
      (await charts(cookie, query)).body.rows.map((r) => r.encounterId);
    expect(await ids('?outcome=corrected')).toEqual([facts[1]!.encounterId]);
    expect(await ids('?outcome=missed&family=lab')).toEqual([facts[1]!.encounterId]);
    expect(await ids('?outcome=corrected&family=lab')).toEqual([]);
    expect(await ids('?category=unbundling')).toEqual([facts[2]!.encounterId]);
    expect(await ids(`?providerNpi=${NPI_B}`)).toEqual([facts[2]!.encounterId]);
    expect(await ids(`?coderId=${coder2}`)).toEqual([facts[2]!.encounterId]);
    expect(await ids(`?week=${mondayOf(approvedAt(5).toISOString().slice(0, 10))}`)).toEqual([
      facts[1]!.encounterId,
    ]);
    // A coder: their own only.
    expect(await ids('', cookies.coder)).toEqual([facts[0]!.encounterId, facts[1]!.encounterId]);
    expect((await charts(cookies.coder, `?coderId=${coder2}`)).status).toBe(403);
    expect((await charts(cookies.coder, `?coderId=${coder.id}`)).status).toBe(200);
    // A reviewer: what they reviewed (or coded).
    expect(await ids('', cookies.reviewer)).toEqual([facts[0]!.encounterId, facts[1]!.encounterId]);
    expect((await charts(cookies.reviewer, `?reviewerId=${supervisor.id}`)).status).toBe(403);
    expect((await charts(cookies.reviewer, `?reviewerId=${reviewer.id}`)).status).toBe(200);
    expect((await charts(cookies.supervisor, '?pageSize=500')).status).toBe(400);
    expect((await charts(cookies.supervisor, '?outcome=lost')).status).toBe(400);
  });

  it('generated history: base rows, roll-ups and the turnaround histogram agree', async () => {
    const history = await createOrganization(server.dataSource, 'History Clinic');
    const team = await createHistoryTeam(server.dataSource.manager, history.id, {
      coders: 6,
      reviewers: 3,
      providers: 8,
    });
    const summary = await server.dataSource.transaction((tx) =>
      generateQualityHistory(tx, team, { charts: 500, weeks: 12, seed: 5 }),
    );
    expect(summary.charts).toBe(500);
    const q = <T>(sql: string) => server.dataSource.query<T[]>(sql, [history.id]);
    const [counts] = await q<{
      results: number;
      outcomes: number;
      corrected: number;
      suggestions: number;
    }>(
      `SELECT (SELECT count(*)::int FROM review_results WHERE organization_id = $1) AS results,
              (SELECT count(*)::int FROM review_outcomes o JOIN encounters e ON e.id = o.encounter_id WHERE e.organization_id = $1) AS outcomes,
              (SELECT count(*)::int FROM review_outcomes o JOIN encounters e ON e.id = o.encounter_id WHERE e.organization_id = $1 AND o.outcome = 'corrected') AS corrected,
              (SELECT count(*)::int FROM suggestions s JOIN encounters e ON e.id = s.encounter_id WHERE e.organization_id = $1 AND s.status = 'accepted') AS suggestions`,
    );
    expect(counts).toEqual({
      results: 500,
      outcomes: summary.lines,
      corrected: counts!.suggestions,
      suggestions: counts!.suggestions,
    });
    // The report (from the roll-ups) equals tallyCharts over the charts' own lines.
    const rows = await q<{
      encounter_id: string;
      outcome: LineOutcome;
      category: CorrectionCategory | null;
      code: string;
      coder_id: string;
      reviewer_id: string;
      approved_at: Date;
      coder_cents: string;
      reviewed_cents: string;
    }>(
      `SELECT r.encounter_id, o.outcome, o.category, o.code, r.coder_id, r.reviewer_id, r.approved_at,
              r.coder_cents, r.reviewed_cents
         FROM review_results r JOIN review_outcomes o ON o.encounter_id = r.encounter_id AND o.approval_seq = r.approval_seq
        WHERE r.organization_id = $1`,
    );
    const byChart = new Map<string, ReviewedChartFact>();
    for (const row of rows) {
      const fact = byChart.get(row.encounter_id) ?? {
        encounterId: row.encounter_id,
        coderId: row.coder_id,
        reviewerId: row.reviewer_id,
        providerNpi: null,
        approvedAt: new Date(row.approved_at).toISOString(),
        lines: [],
        coderCents: Number(row.coder_cents),
        reviewedCents: Number(row.reviewed_cents),
      };
      (fact.lines as ReviewedChartFact['lines'][number][]).push({
        outcome: row.outcome,
        category: row.category,
        code: row.code,
      });
      byChart.set(row.encounter_id, fact);
    }
    const [supervisorRow] = await server.dataSource.query<[{ id: string }]>(
      `SELECT id FROM users WHERE organization_id = $1 AND role = 'supervisor'`,
      [history.id],
    );
    expect(supervisorRow.id).toBe(history.users.supervisor.id);
    const cookie = await login(server.url, history.users.supervisor);
    const body = (
      await api<QualityReport>(
        server.url,
        cookie,
        'GET',
        `/api/quality/report?from=${approvedAt(100).toISOString().slice(0, 10)}`,
      )
    ).body;
    expect(body.totals.tally).toEqual(tallyCharts([...byChart.values()]));
    expect(body.byCoder).toHaveLength(6);
    expect(body.byCategory.length).toBeGreaterThan(3);
    expect(body.byFamily.length).toBeGreaterThan(3);
    // The trigger kept the histogram as a rebuild from the base rows makes it.
    const histogram = () =>
      q<{ week: string; family: string; kind: number; bucket: number; charts: number }>(
        `SELECT week::text, family, kind, bucket, charts FROM quality_turnaround
          WHERE organization_id = $1 AND charts <> 0 ORDER BY 1, 2, 3, 4`,
      );
    const kept = await histogram();
    await rebuildTurnaround(server.dataSource.manager, history.id);
    expect(await histogram()).toEqual(kept);
    expect(kept.length).toBeGreaterThan(0);
    // Deterministic: the same seed writes the same lines.
    const again = await createOrganization(server.dataSource, 'History Clinic');
    const team2 = await createHistoryTeam(server.dataSource.manager, again.id, {
      coders: 6,
      reviewers: 3,
      providers: 8,
    });
    const second = await server.dataSource.transaction((tx) =>
      generateQualityHistory(tx, team2, {
        charts: 500,
        weeks: 12,
        seed: 5,
        mrnPrefix: 'QH-again-',
      }),
    );
    expect(second.lines).toBe(summary.lines);
  });
});
