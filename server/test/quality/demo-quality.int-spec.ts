import type { AgreementReport, MyQuality, QualityReport } from '@countersign/shared';
import { DEMO_DOUBLE_CODINGS, seedDemoAgreementHistory } from '../../src/demo/demo-agreement.js';
import type { RunningServer } from '../../src/bootstrap.js';
import { DEMO_REVIEWED_CHARTS, seedDemoQualityHistory } from '../../src/demo/demo-quality.js';
import { DEMO_PASSWORD } from '../../src/demo/demo-users.js';
import { api, login, startTestApp } from '../support/test-app.js';

describe('the demo organization has reviewed history for the dashboards', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startTestApp({ SEED_DEMO: 'true' });
  });

  afterAll(() => server?.stop());

  it('360 charts over the last 12 weeks, three coders and two reviewers, seeded once', async () => {
    const supervisor = await login(server.url, {
      email: 'supervisor@riverside.example',
      password: DEMO_PASSWORD,
    });
    const from = new Date(Date.now() - 100 * 86_400_000).toISOString().slice(0, 10);
    const report = await api<QualityReport>(
      server.url,
      supervisor,
      'GET',
      `/api/quality/report?from=${from}`,
    );
    expect(report.status).toBe(200);
    expect(report.body.totals.tally.chartsReviewed).toBe(DEMO_REVIEWED_CHARTS);
    expect(report.body.byCoder.map((r) => r.label)).toEqual([
      'Casey Coder',
      'Jordan Coder',
      'Taylor Coder',
    ]);
    expect(report.body.byReviewer.map((r) => r.label)).toEqual([
      'Riley Reviewer',
      'Sam Supervisor',
    ]);
    expect(report.body.byCategory.length).toBeGreaterThan(3);
    expect(report.body.queue.awaitingSignOff.count).toBe(0);
    const jordan = await login(server.url, {
      email: 'jordan.coder@riverside.example',
      password: DEMO_PASSWORD,
    });
    const me = await api<MyQuality>(server.url, jordan, 'GET', `/api/quality/me?from=${from}`);
    expect(me.body.totals.tally.chartsReviewed).toBeGreaterThan(50);
    expect(me.body.corrections.length).toBeGreaterThan(0);
    const [org] = await server.dataSource.query<[{ id: string }]>(
      `SELECT id FROM organizations WHERE slug = 'riverside-demo'`,
    );
    expect(
      await seedDemoQualityHistory(server.dataSource, org.id, { coders: [], reviewers: [] }),
    ).toBe(0);
  });

  it('36 reconciled double codings for the agreement dashboard, every pair of the three coders', async () => {
    const supervisor = await login(server.url, {
      email: 'supervisor@riverside.example',
      password: DEMO_PASSWORD,
    });
    const report = await api<AgreementReport>(
      server.url,
      supervisor,
      'GET',
      '/api/quality/agreement',
    );
    expect(report.status).toBe(200);
    expect(report.body.team.charts).toBe(DEMO_DOUBLE_CODINGS);
    expect(report.body.pairs.map((p) => p.coders.map((c) => c.name))).toEqual(
      expect.arrayContaining([
        ['Casey Coder', 'Jordan Coder'],
        ['Casey Coder', 'Taylor Coder'],
        ['Jordan Coder', 'Taylor Coder'],
      ]),
    );
    expect(report.body.team.codes.percent.value).toBeGreaterThan(0.5);
    expect(report.body.charts.every((c) => c.status === 'reconciled')).toBe(true);
    // Blind copies stay out of the reviewed-quality figures (none of them is approved).
    const [org] = await server.dataSource.query<[{ id: string }]>(
      `SELECT id FROM organizations WHERE slug = 'riverside-demo'`,
    );
    const [{ decisions }] = await server.dataSource.query<[{ decisions: number }]>(
      `SELECT count(*)::int AS decisions FROM reconciliation_decisions r
         JOIN double_codings d ON d.id = r.double_coding_id WHERE d.organization_id = $1`,
      [org.id],
    );
    expect(decisions).toBeGreaterThanOrEqual(DEMO_DOUBLE_CODINGS);
    expect(
      await seedDemoAgreementHistory(server.dataSource, org.id, {
        coders: [],
        supervisor: org.id,
        reviewer: org.id,
      }),
    ).toBe(0);
  });
});
