import type { Encounter, WorklistItem, WorklistResponse } from '@countersign/shared';
import type { RunningServer } from '../../src/bootstrap.js';
import { EncounterService } from '../../src/encounter/encounter.service.js';
import { ChartEditsService } from '../../src/review/chart-edits.service.js';
import { seededRandom } from '../../src/testing/seeded-random.js';
import { ErrorCountsService, errorCount } from '../../src/worklist/error-counts.service.js';
import {
  api,
  createOrganization,
  encounterBody,
  eventually,
  login,
  startTestApp,
  type TestOrganization,
} from '../support/test-app.js';

const STATUSES = [
  'draft',
  'submitted',
  'in_review',
  'changes_requested',
  'approved',
  'signed_off',
] as const;
const NAMES = ['Smith', 'Smithers', 'Okafor', 'García', 'Nguyen', 'Blacksmith', 'Neil_O'];
const PROVIDERS = ['Dana Whitfield, MD', 'Lee Park, DO', 'Ana Ruiz, NP'];

interface Seeded {
  id: string;
  name: string;
  mrn: string;
  dateOfService: string;
  provider: string;
  status: (typeof STATUSES)[number];
  coderId: string | null;
  reviewerId: string | null;
  errorCount: number | null;
}

describe('the worklist at scale (GET /api/encounters)', () => {
  let server: RunningServer;
  let org: TestOrganization;
  let other: TestOrganization;
  let coder: string;
  let supervisor: string;
  let outsider: string;
  const seeded: Seeded[] = [];

  beforeAll(async () => {
    server = await startTestApp();
    org = await createOrganization(server.dataSource, 'Scale Clinic');
    other = await createOrganization(server.dataSource, 'Other Clinic');
    coder = await login(server.url, org.users.coder);
    supervisor = await login(server.url, org.users.supervisor);
    outsider = await login(server.url, other.users.coder);
    // 120 charts with chosen fields, straight into the table: many ties on every sort key.
    const next = seededRandom(11);
    const random = {
      pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    };
    const people = [org.users.coder.id, org.users.reviewer.id, org.users.supervisor.id, null];
    for (let i = 0; i < 120; i++) {
      const chart = {
        name: `${random.pick(['Ana', 'Ben', 'Cy'])} ${random.pick(NAMES)}`,
        mrn: `M${String(100 + (i % 40)).padStart(4, '0')}-${i}`,
        dateOfService: `2026-0${1 + (i % 3)}-${String(1 + (i % 5)).padStart(2, '0')}`,
        provider: random.pick(PROVIDERS),
        status: random.pick(STATUSES),
        coderId: random.pick(people),
        reviewerId: random.pick(people),
        errorCount: random.pick([null, 0, 0, 1, 3]),
      };
      const [row] = await server.dataSource.query<[{ id: string }]>(
        `INSERT INTO encounters (organization_id, patient_mrn, patient_name, patient_dob,
           date_of_service, provider_name, place_of_service, status, coder_id, reviewer_id,
           version, error_count, updated_at)
         VALUES ($1, $2, $3, '1970-01-01', $4, $5, '11', $6, $7, $8, 1, $9,
                 '2026-04-01'::timestamptz + ($10 % 7) * interval '1 hour')
         RETURNING id`,
        [
          org.id,
          chart.mrn,
          chart.name,
          chart.dateOfService,
          chart.provider,
          chart.status,
          chart.coderId,
          chart.reviewerId,
          chart.errorCount,
          i,
        ],
      );
      seeded.push({ id: row.id, ...chart });
    }
    await server.dataSource.query(
      `INSERT INTO encounters (organization_id, patient_mrn, patient_name, patient_dob,
         date_of_service, provider_name, place_of_service, status, version)
       VALUES ($1, 'M0100-X', 'Ana Smith', '1970-01-01', '2026-01-01', 'Dana Whitfield, MD', '11', 'draft', 1)`,
      [other.id],
    );
  });
  afterAll(() => server.stop());

  async function get(query: string, cookie = coder): Promise<WorklistResponse> {
    const response = await api<WorklistResponse>(
      server.url,
      cookie,
      'GET',
      `/api/encounters${query}`,
    );
    expect(response.status).toBe(200);
    return response.body;
  }

  /** Every chart the query matches, page by page. */
  async function all(query: string, pageSize = 17): Promise<WorklistItem[]> {
    const items: WorklistItem[] = [];
    for (let page = 1; ; page++) {
      const body = await get(`${query}${query ? '&' : '?'}pageSize=${pageSize}&page=${page}`);
      items.push(...body.items);
      if (body.items.length < pageSize) {
        expect(items).toHaveLength(body.total);
        return items;
      }
    }
  }

  const ids = (rows: readonly { id: string }[]) => rows.map((row) => row.id).sort();

  it('searches patient names by any part in any case, and MRNs by their start', async () => {
    const smith = await all('?q=SMITH');
    expect(ids(smith)).toEqual(ids(seeded.filter((c) => c.name.toLowerCase().includes('smith'))));
    expect(smith.length).toBeGreaterThan(0);
    expect(ids(await all('?q=M0101'))).toEqual(
      ids(seeded.filter((c) => c.mrn.startsWith('M0101'))),
    );
    expect(ids(await all('?q=m0101'))).toEqual(
      ids(seeded.filter((c) => c.mrn.startsWith('M0101'))),
    );
    // Inside an MRN is no match: MRNs are found from their start.
    expect((await get('?q=0101-')).total).toBe(0);
    // A LIKE wildcard typed into the box is a character, not "anything".
    expect(ids(await all('?q=l_O'))).toEqual(ids(seeded.filter((c) => c.name.includes('l_O'))));
    expect((await get('?q=%25')).total).toBe(0);
  });

  it.each<[string, (chart: Seeded) => boolean]>([
    ['?status=draft,approved', (c) => c.status === 'draft' || c.status === 'approved'],
    [
      '?from=2026-02-01&to=2026-02-03',
      (c) => c.dateOfService >= '2026-02-01' && c.dateOfService <= '2026-02-03',
    ],
    ['?provider=park', (c) => c.provider.includes('Park')],
    ['?coder=none', (c) => c.coderId === null],
    ['?reviewer=none', (c) => c.reviewerId === null],
    ['?hasErrors=true', (c) => (c.errorCount ?? 0) > 0],
    ['?hasErrors=false', (c) => (c.errorCount ?? 0) === 0],
    ['?queue=unassigned', (c) => c.coderId === null && c.status !== 'signed_off'],
    ['?queue=review', (c) => c.status === 'submitted' || c.status === 'in_review'],
  ])('filters %s to exactly the matching charts', async (query, matches) => {
    const expected = seeded.filter(matches);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(await all(query))).toEqual(ids(expected));
  });

  it('filters by a coder and a reviewer', async () => {
    const coderId = org.users.coder.id;
    const reviewerId = org.users.reviewer.id;
    expect(ids(await all(`?coder=${coderId}&reviewer=${reviewerId}`))).toEqual(
      ids(seeded.filter((c) => c.coderId === coderId && c.reviewerId === reviewerId)),
    );
    expect(ids(await all('?queue=drafts'))).toEqual(
      ids(seeded.filter((c) => c.status === 'draft' && c.coderId === coderId)),
    );
  });

  it.each([
    ['patient', 'asc', (c: WorklistItem) => c.patient.name.toLowerCase()],
    ['dateOfService', 'desc', (c: WorklistItem) => c.dateOfService],
    ['mrn', 'asc', (c: WorklistItem) => c.patient.mrn],
    ['updated', 'asc', (c: WorklistItem) => c.updatedAt],
    ['provider', 'desc', (c: WorklistItem) => c.provider.name.toLowerCase()],
    ['status', 'asc', (c: WorklistItem) => String(STATUSES.indexOf(c.status))],
  ] as const)(
    'sorts by %s %s, ties broken by id, and pages neither skip nor repeat a chart',
    async (sort, dir, key) => {
      const rows = await all(`?sort=${sort}&dir=${dir}`);
      expect(ids(rows)).toEqual(ids(seeded));
      const sign = dir === 'asc' ? 1 : -1;
      for (let i = 1; i < rows.length; i++) {
        const [a, b] = [rows[i - 1]!, rows[i]!];
        // 1 when the pair is in ascending order, the id deciding between equal keys.
        const ascending = key(a) !== key(b) ? (key(a) < key(b) ? 1 : -1) : a.id < b.id ? 1 : -1;
        expect(ascending).toBe(sign);
      }
    },
  );

  it('counts each queue as its filter returns, under the other filters', async () => {
    for (const filter of ['', '?q=smith', '?hasErrors=true&from=2026-02-01']) {
      const { queues, total } = await get(filter);
      expect(total).toBe(queues.all);
      for (const queue of Object.keys(queues) as Array<keyof typeof queues>) {
        const join = filter ? '&' : '?';
        const { total: inQueue } = await get(`${filter}${join}queue=${queue}&pageSize=1`);
        expect({ queue, count: queues[queue] }).toEqual({ queue, count: inQueue });
      }
    }
  });

  it('answers the rows with their line and error counts, not their notes', async () => {
    const { items } = await get('?sort=mrn&pageSize=200');
    const first = seeded.find((c) => c.id === items[0]!.id)!;
    expect(items[0]).toMatchObject({
      patient: { name: first.name, mrn: first.mrn },
      lineCount: 0,
      errorCount: first.errorCount,
    });
    expect(items[0]).not.toHaveProperty('clinicalNote');
  });

  it('shows each organization only its own charts, to every role', async () => {
    const mine = await get('?q=M0100&pageSize=200');
    const bySupervisor = await get('?q=M0100&pageSize=200', supervisor);
    expect(ids(mine.items)).toEqual(ids(bySupervisor.items));
    expect(ids(mine.items)).toEqual(ids(seeded.filter((c) => c.mrn.startsWith('M0100'))));
    const theirs = await get('?q=M0100', outsider);
    expect(theirs.total).toBe(1);
    expect(theirs.items[0]!.patient.mrn).toBe('M0100-X');
    expect(ids(theirs.items)).not.toEqual(expect.arrayContaining([seeded[0]!.id]));
  });

  it.each([
    ['?from=2026-13-01', 'from'],
    ['?from=2026-03-01&to=2026-02-01', 'to'],
    ['?sort=salary', 'sort'],
    ['?dir=sideways', 'dir'],
    ['?page=0', 'page'],
    ['?pageSize=201', 'pageSize'],
    ['?hasErrors=maybe', 'hasErrors'],
    ['?coder=bob', 'coder'],
    ['?colour=red', ''],
  ])('refuses %s with 400 naming the parameter %s', async (query, field) => {
    const response = await api<{ code: string; details?: { issues?: Array<{ path: string }> } }>(
      server.url,
      coder,
      'GET',
      `/api/encounters${query}`,
    );
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    expect(JSON.stringify(response.body)).toContain(field);
  });

  it('refuses the worklist to a visitor without a session', async () => {
    expect((await api(server.url, null, 'GET', '/api/encounters')).status).toBe(401);
  });

  it('stores a chart’s error count once its findings are computed, and the sweep mends a stale one', async () => {
    const created = await api<Encounter>(
      server.url,
      coder,
      'POST',
      '/api/encounters',
      encounterBody({
        coderId: org.users.coder.id,
        lines: [
          { code: '99213', pointers: ['A'] },
          { code: '99213', pointers: ['A'] },
        ],
      }),
    );
    expect(created.status).toBe(201);
    const id = created.body.id;
    const chartEdits = server.app.get(ChartEditsService);
    const encounters = server.app.get(EncounterService);
    const expected = errorCount({
      findings: await chartEdits.findings(await encounters.chart(org.id, id)),
    });
    const stored = async () =>
      (
        await server.dataSource.query<[{ error_count: number | null; error_count_seq: number }]>(
          'SELECT error_count, error_count_seq FROM encounters WHERE id = $1',
          [id],
        )
      )[0];
    // Written by the live flush of the chart's first event (no socket needs to watch it).
    let seen: Awaited<ReturnType<typeof stored>> | undefined;
    await eventually(
      () => {
        void stored().then((row) => (seen = row));
        return seen?.error_count !== null && seen?.error_count !== undefined;
      },
      5000,
      'the stored error count',
    );
    expect(seen).toEqual({ error_count: expected, error_count_seq: 1 });
    expect((await get(`?q=${created.body.patient.mrn}`)).items[0]!.errorCount).toBe(expected);

    // An instance stopped before its flush leaves a count older than the chart: the sweep mends it.
    await server.dataSource.query(
      'UPDATE encounters SET error_count = NULL, error_count_seq = 0 WHERE id = $1',
      [id],
    );
    await server.app.get(ErrorCountsService).sweep();
    expect(await stored()).toEqual({ error_count: expected, error_count_seq: 1 });

    // A count computed under another catalogue generation (an import since) is computed again.
    await server.dataSource.query(
      'UPDATE encounters SET error_count = $2, error_count_generation = -1 WHERE id = $1',
      [id, expected + 5],
    );
    expect(await server.app.get(ErrorCountsService).sweep()).toBeGreaterThanOrEqual(1);
    expect(await stored()).toEqual({ error_count: expected, error_count_seq: 1 });
  });
});
