import { randomUUID } from 'node:crypto';
import type { AgreementReport, DoubleCodingStatus } from '@countersign/shared';
import type { DataSource } from 'typeorm';
import type { RunningServer } from '../../src/bootstrap.js';
import { mondayOf } from '../../src/quality/reports/quality-reports.service.js';
import {
  api,
  createOrganization,
  login,
  startTestApp,
  type TestOrganization,
} from '../support/test-app.js';

interface Line {
  code: string;
  modifiers?: string[];
  units?: number;
}

interface HandDoubleCoding {
  coders: [string, string];
  /** Days before this week's Monday (negative: into this week) both copies were in, 10:00 UTC. */
  daysBack: number;
  lines: [Line[], Line[]];
  status?: DoubleCodingStatus;
  /** Only the first copy submitted: still coding, in no figure. */
  secondPending?: boolean;
}

const DAY = 86_400_000;
const thisMonday = mondayOf(new Date().toISOString().slice(0, 10));
const at = (daysBack: number) => new Date(Date.parse(`${thisMonday}T10:00:00Z`) - daysBack * DAY);
const isoDay = (daysBack: number) => at(daysBack).toISOString().slice(0, 10);

async function insertEncounter(
  dataSource: DataSource,
  organizationId: string,
  purpose: 'claim' | 'blind',
  sourceId: string | null,
  coderId: string | null,
  patientName: string,
): Promise<string> {
  const id = randomUUID();
  await dataSource.query(
    `INSERT INTO encounters (id, organization_id, patient_mrn, patient_name, patient_dob, date_of_service,
       provider_name, provider_npi, place_of_service, status, coder_id, purpose, source_encounter_id)
     VALUES ($1, $2, $3, $4, '1970-01-01', '2026-10-01', 'Dr Test', '1234567893', '11', $5, $6, $7, $8)`,
    [
      id,
      organizationId,
      `AG-${id.slice(0, 8)}`,
      patientName,
      purpose === 'blind' ? 'submitted' : 'draft',
      coderId,
      purpose,
      sourceId,
    ],
  );
  return id;
}

/** A double coding straight into the tables the double-coding routes write. */
async function insertDoubleCoding(
  dataSource: DataSource,
  organizationId: string,
  patientName: string,
  dc: HandDoubleCoding,
): Promise<string> {
  const chartId = await insertEncounter(
    dataSource,
    organizationId,
    'claim',
    null,
    null,
    patientName,
  );
  const bothAt = dc.secondPending ? null : at(dc.daysBack);
  const status = dc.status ?? (dc.secondPending ? 'coding' : 'reconciled');
  const [{ id }] = await dataSource.query<[{ id: string }]>(
    `INSERT INTO double_codings (organization_id, encounter_id, status, requested_at, both_submitted_at)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [organizationId, chartId, status, new Date(at(dc.daysBack).getTime() - DAY), bothAt],
  );
  for (const slot of [1, 2] as const) {
    const copyId = await insertEncounter(
      dataSource,
      organizationId,
      'blind',
      chartId,
      dc.coders[slot - 1]!,
      patientName,
    );
    const submitted =
      slot === 2 && dc.secondPending ? null : new Date(at(dc.daysBack).getTime() - slot * 60_000);
    await dataSource.query(
      `INSERT INTO double_coding_copies (double_coding_id, slot, encounter_id, coder_id, submitted_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [id, slot, copyId, dc.coders[slot - 1]!, submitted],
    );
    let position = 0;
    for (const line of dc.lines[slot - 1]!)
      await dataSource.query(
        `INSERT INTO claim_lines (encounter_id, position, code, modifiers, units, pointers, origin)
         VALUES ($1, $2, $3, $4, $5, '{A}', 'coder')`,
        [copyId, ++position, line.code, line.modifiers ?? [], line.units ?? 1],
      );
  }
  return id;
}

const m = (numerator: number, denominator: number) => ({
  value: denominator > 0 ? numerator / denominator : null,
  numerator,
  denominator,
});

describe('agreement (GET /api/quality/agreement)', () => {
  let server: RunningServer;
  let org: TestOrganization;
  let cookies: Record<'coder' | 'reviewer' | 'supervisor' | 'admin', string>;
  let casey: string;
  let jordan: string;
  let taylor: string;
  const ids: string[] = [];

  beforeAll(async () => {
    server = await startTestApp();
    org = await createOrganization(server.dataSource, 'Agreement Clinic');
    const other = await createOrganization(server.dataSource, 'Elsewhere Clinic');
    casey = org.users.coder.id; // "Coder …": sorts before Jordan and Taylor
    const addCoder = async (name: string) =>
      (
        await server.dataSource.query<[{ id: string }]>(
          `INSERT INTO users (organization_id, email, name, role, password_hash)
           VALUES ($1, $2, $3, 'coder', 'x') RETURNING id`,
          [org.id, `${name.toLowerCase()}.${org.id.slice(0, 8)}@agreement.example`, name],
        )
      )[0].id;
    jordan = await addCoder('Jordan Second');
    taylor = await addCoder('Taylor Third');
    // The four charts of shared/src/agreement/agreement-report.spec.ts, counted there by hand:
    // two last week (Casey/Jordan), two the week before (Casey/Taylor, Taylor/Jordan).
    const history: HandDoubleCoding[] = [
      {
        coders: [casey, jordan],
        daysBack: 6,
        lines: [
          [{ code: '99213' }, { code: '20610', modifiers: ['RT'] }],
          [{ code: '99213' }, { code: '20610', modifiers: ['LT'] }],
        ],
      },
      {
        coders: [casey, jordan],
        daysBack: 4,
        status: 'reconciling',
        lines: [[{ code: '99214' }, { code: '36415' }], [{ code: '99213' }]],
      },
      {
        coders: [casey, taylor],
        daysBack: 13,
        lines: [
          [{ code: '99203', modifiers: ['25'] }, { code: '11042' }],
          [{ code: '99203', modifiers: ['25'] }, { code: '11042' }, { code: '11045' }],
        ],
      },
      {
        coders: [taylor, jordan],
        daysBack: 11,
        lines: [[{ code: '71046', modifiers: ['26'] }], [{ code: '71046' }]],
      },
    ];
    for (const [i, dc] of history.entries())
      ids.push(await insertDoubleCoding(server.dataSource, org.id, `Agree Patient${i + 1}`, dc));
    // In no figure: still coding, cancelled, twenty weeks ago, another organization.
    const disagree: [Line[], Line[]] = [[{ code: '99215' }], [{ code: '99212' }]];
    await insertDoubleCoding(server.dataSource, org.id, 'Pending Patient', {
      coders: [casey, jordan],
      daysBack: 1,
      secondPending: true,
      lines: disagree,
    });
    await insertDoubleCoding(server.dataSource, org.id, 'Cancelled Patient', {
      coders: [casey, jordan],
      daysBack: 2,
      status: 'cancelled',
      lines: disagree,
    });
    ids.push(
      await insertDoubleCoding(server.dataSource, org.id, 'Old Patient', {
        coders: [casey, jordan],
        daysBack: 140,
        lines: disagree,
      }),
    );
    await insertDoubleCoding(server.dataSource, other.id, 'Other Patient', {
      coders: [other.users.coder.id, other.users.reviewer.id],
      daysBack: 2,
      lines: disagree,
    });
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

  const report = async (query = '', cookie = cookies.supervisor) => {
    const response = await api<AgreementReport>(
      server.url,
      cookie,
      'GET',
      `/api/quality/agreement${query}`,
    );
    expect(response.status).toBe(200);
    return response.body;
  };

  it('team figures over the last 12 weeks are the hand counts', async () => {
    const body = await report();
    expect(body.period.from).toBe(isoDay(77));
    expect(body.team.charts).toBe(4);
    expect(body.team.codes).toEqual({ percent: m(5, 9), positive: m(10, 14) });
    expect(body.team.lines).toEqual({ percent: m(3, 11), positive: m(6, 14) });
    expect(body.team.emLevel.kappa).toBeNull();
    expect(body.team.emLevel.alpha).toBeCloseTo(16 / 23, 12);
    expect(body.team.emLevel.units).toBe(4);
  });

  it('pairs, weeks and the charts behind them', async () => {
    const body = await report();
    expect(body.pairs.map((p) => [p.coders.map((c) => c.id), p.charts])).toEqual([
      [[casey, jordan], 2],
      [[casey, taylor], 1],
      [[jordan, taylor], 1],
    ]);
    expect(body.pairs[0]!.codes).toEqual({ percent: m(2, 5), positive: m(4, 7) });
    expect(body.pairs[0]!.lines).toEqual({ percent: m(1, 6), positive: m(2, 7) });
    expect(body.pairs[0]!.emLevel.kappa).toBeCloseTo(0, 12);
    expect(body.weeks).toHaveLength(12);
    expect(body.weeks.map((w) => w.charts)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 0]);
    expect(body.weeks[9]!.week).toBe(isoDay(14));
    expect(body.charts.map((c) => c.doubleCodingId)).toEqual([ids[1], ids[0], ids[3], ids[2]]);
    expect(body.charts[0]).toMatchObject({
      chartLabel: 'Agree Patient2, 2026-10-01',
      status: 'reconciling',
      codes: m(0, 3),
      lines: m(0, 3),
    });
    expect(body.charts[0]!.bothSubmittedAt).toBe(at(4).toISOString());
  });

  it('filters by period and by coder', async () => {
    const old = await report(`?from=${isoDay(147)}&to=${isoDay(140)}`);
    expect(old.team.charts).toBe(1);
    expect(old.charts[0]!.doubleCodingId).toBe(ids[4]);
    expect(old.team.codes.percent).toEqual(m(0, 2));
    expect(old.weeks.map((w) => w.week)).toEqual([isoDay(147), isoDay(140)]);
    const taylorOnly = await report(`?coderId=${taylor}`);
    expect(taylorOnly.charts.map((c) => c.doubleCodingId)).toEqual([ids[3], ids[2]]);
    expect(taylorOnly.team.codes.percent).toEqual(m(3, 4));
    expect(taylorOnly.pairs.map((p) => p.coders[1].id)).toEqual([taylor, taylor]);
    const lastWeek = await report(`?from=${isoDay(7)}&to=${isoDay(1)}`);
    expect(lastWeek.charts.map((c) => c.doubleCodingId)).toEqual([ids[1], ids[0]]);
  });

  it('admins read it too; coders and reviewers get 403', async () => {
    expect((await report('', cookies.admin)).team.charts).toBe(4);
    for (const cookie of [cookies.coder, cookies.reviewer]) {
      const response = await api(server.url, cookie, 'GET', '/api/quality/agreement');
      expect(response.status).toBe(403);
    }
    expect((await api(server.url, null, 'GET', '/api/quality/agreement')).status).toBe(401);
  });

  it('bad input is a 400 naming the field', async () => {
    for (const [query, field] of [
      ['?from=2026-13-40', 'from'],
      ['?from=2026-11-10&to=2026-11-01', 'from'],
      ['?coderId=casey', 'coderId'],
      ['?from=2020-01-01&to=2026-11-01', 'from'],
    ] as const) {
      const response = await api<{ error: { code: string; message: string } }>(
        server.url,
        cookies.supervisor,
        'GET',
        `/api/quality/agreement${query}`,
      );
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toContain(field);
    }
  });
});
