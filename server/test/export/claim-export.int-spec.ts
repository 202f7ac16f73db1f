import { randomUUID } from 'node:crypto';
import type { Ack, ApiErrorBody, ChartAudit, CommandResult, Encounter } from '@countersign/shared';
import type { Bundle, Claim } from '@medplum/fhirtypes';
import { parse } from 'csv-parse/sync';
import type { RunningServer } from '../../src/bootstrap.js';
import { eventHash } from '../../src/audit/event-chain.js';
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

/** A raw GET with the session cookie: status, content type, disposition and the body as text. */
async function download(baseUrl: string, cookie: string, path: string) {
  const response = await fetch(`${baseUrl}${path}`, { headers: { cookie } });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    disposition: response.headers.get('content-disposition') ?? '',
    text: await response.text(),
  };
}

describe('claims out', () => {
  let server: RunningServer;
  let org: TestOrganization;
  let other: TestOrganization;
  const cookies: Record<string, string> = {};
  let otherSupervisor: string;
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    server = await startTestApp();
    org = await createOrganization(server.dataSource, 'Export Clinic');
    other = await createOrganization(server.dataSource, 'Other Clinic');
    for (const role of ['coder', 'reviewer', 'supervisor', 'admin'] as const)
      cookies[role] = await login(server.url, org.users[role]);
    otherSupervisor = await login(server.url, other.users.supervisor);
  });
  afterEach(() => sockets.splice(0).forEach((s) => s.close()));
  afterAll(() => server.stop());

  async function room(role: 'coder' | 'reviewer' | 'supervisor', id: string) {
    const socket = await connectSocket(server.url, cookies[role]!);
    sockets.push(socket);
    return RoomWatcher.join(socket, id);
  }

  async function send(
    who: RoomWatcher,
    event: Parameters<typeof emitAck>[1],
    payload: Record<string, unknown>,
    everyone: RoomWatcher[],
  ): Promise<CommandResult> {
    const result = ok(
      await emitAck(
        who.socket,
        event as 'line:add',
        { encounterId: who.state.id, ...meta(who.state.version), ...payload } as never,
      ),
    );
    await eventually(() => everyone.every((w) => w.state.version >= result.seq), 5000, 'seq');
    return result;
  }

  /**
   * A chart taken through the real review: three lines (one with modifier 25 and pointers B,A,
   * one with 3 units), the third rejected, approved and signed off.
   */
  async function reviewedChart(dateOfService = '2026-03-02'): Promise<Encounter> {
    const created = await api<Encounter>(
      server.url,
      cookies.coder!,
      'POST',
      '/api/encounters',
      encounterBody({ coderId: org.users.coder.id, dateOfService }),
    );
    expect(created.status).toBe(201);
    const coder = await room('coder', created.body.id);
    const reviewer = await room('reviewer', created.body.id);
    const supervisor = await room('supervisor', created.body.id);
    const all = [coder, reviewer, supervisor];
    const lines = [
      { code: '99214', modifiers: ['25'], pointers: ['B', 'A'] },
      { code: 'J1100', units: 3, pointers: ['A'] },
      { code: '73562', pointers: ['A'] },
    ];
    for (const line of lines) await send(coder, 'line:add', { line }, all);
    const [visit, drug, xray] = coder.state.lines.map((l) => l.id);
    await send(coder, 'encounter:transition', { transition: 'submit' }, all);
    await send(reviewer, 'encounter:transition', { transition: 'review.start' }, all);
    await send(reviewer, 'review:accept', { lineId: visit }, all);
    await send(reviewer, 'review:accept', { lineId: drug }, all);
    await send(
      reviewer,
      'review:reject',
      { lineId: xray, category: 'unsupported', comment: 'No imaging in the note' },
      all,
    );
    await send(reviewer, 'encounter:transition', { transition: 'approve' }, all);
    await send(supervisor, 'encounter:transition', { transition: 'sign-off' }, all);
    expect(coder.state.status).toBe('signed_off');
    return coder.state;
  }

  /**
   * A signed-off chart written with SQL, its sign-off event at `signedOffAt`: for ranges by
   * sign-off date, which the real flow can only put at now. The event chain is kept valid.
   */
  async function signedOffAt(
    organization: TestOrganization,
    at: string,
    dateOfService = '2026-02-10',
  ): Promise<string> {
    const { supervisor } = organization.users;
    return server.dataSource.transaction(async (tx) => {
      const [row] = await tx.query<[{ id: string }]>(
        `INSERT INTO encounters (organization_id, patient_mrn, patient_name, patient_dob, date_of_service, provider_name,
                                 provider_npi, place_of_service, clinical_note, diagnoses, status, version)
         VALUES ($1, $2, 'Range Patient', '1970-05-05', $3, 'Dr Range', '1234567893', '11', 'Note', '{E119}', 'signed_off', 2)
         RETURNING id`,
        [organization.id, `RG-${randomUUID().slice(0, 8)}`, dateOfService],
      );
      const events = [
        {
          seq: 1,
          type: 'encounter.created',
          payload: {},
          createdAt: new Date(Date.parse(at) - 1000),
        },
        {
          seq: 2,
          type: 'status.changed',
          payload: { from: 'approved', to: 'signed_off', reason: null, reviewer: null },
          createdAt: new Date(at),
        },
      ];
      let previous: string | null = null;
      for (const event of events) {
        const hash = eventHash(
          { encounterId: row.id, actorId: supervisor.id, actorName: supervisor.name, ...event },
          previous,
        );
        await tx.query(
          `INSERT INTO encounter_events (encounter_id, seq, type, actor_id, actor_name, payload, created_at, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            row.id,
            event.seq,
            event.type,
            supervisor.id,
            supervisor.name,
            event.payload,
            event.createdAt,
            hash,
          ],
        );
        previous = hash;
      }
      await tx.query(
        `INSERT INTO claim_lines (encounter_id, position, code, modifiers, units, pointers, last_seq)
         VALUES ($1, 0, '99213', '{}', 1, '{A}', 1)`,
        [row.id],
      );
      return row.id;
    });
  }

  async function reads(encounterId: string) {
    const audit = await api<ChartAudit>(
      server.url,
      cookies.admin!,
      'GET',
      `/api/audit/encounters/${encounterId}`,
    );
    return audit.body.reads;
  }

  describe('one chart', () => {
    let chart: Encounter;
    beforeAll(async () => {
      chart = await reviewedChart();
    });

    it('exports a signed-off chart as a FHIR Claim of its billed lines, and audits it', async () => {
      const before = (await reads(chart.id)).length;
      const response = await download(
        server.url,
        cookies.coder!,
        `/api/encounters/${chart.id}/claim`,
      );
      expect(response.status).toBe(200);
      expect(response.type).toMatch(/^application\/fhir\+json/);
      expect(response.disposition).toContain(`claim-${chart.id}.json`);
      const claim = JSON.parse(response.text) as Claim;
      expect(claim).toMatchObject({
        resourceType: 'Claim',
        id: chart.id,
        status: 'active',
        use: 'claim',
      });
      expect(claim.diagnosis?.map((d) => d.diagnosisCodeableConcept?.coding?.[0]?.code)).toEqual([
        'M17.11',
        'E11.9',
      ]);
      expect(
        claim.item?.map((i) => ({
          code: i.productOrService.coding?.[0]?.code,
          modifiers: i.modifier?.map((m) => m.coding?.[0]?.code) ?? [],
          quantity: i.quantity?.value,
          pointers: i.diagnosisSequence,
        })),
      ).toEqual([
        { code: '99214', modifiers: ['25'], quantity: 1, pointers: [2, 1] },
        { code: 'J1100', modifiers: [], quantity: 3, pointers: [1] },
      ]);
      const after = await reads(chart.id);
      expect(after).toHaveLength(before + 1);
      expect(after[0]).toMatchObject({
        userId: org.users.coder.id,
        via: 'GET /api/encounters/:id/claim?format=fhir',
      });
    });

    it('exports it as CSV, one row per billed line', async () => {
      const response = await download(
        server.url,
        cookies.reviewer!,
        `/api/encounters/${chart.id}/claim?format=csv`,
      );
      expect(response.status).toBe(200);
      expect(response.type).toMatch(/^text\/csv/);
      const rows = parse<Record<string, string>>(response.text, { columns: true });
      expect(
        rows.map((r) => [r.line_number, r.code, r.modifiers, r.units, r.diagnosis_codes]),
      ).toEqual([
        ['1', '99214', '25', '1', 'E11.9;M17.11'],
        ['2', 'J1100', '', '3', 'M17.11'],
      ]);
      expect(rows[0]).toMatchObject({
        chart_id: chart.id,
        npi: '1234567893',
        place_of_service: '11',
      });
    });

    it('exports a chart not signed off only on request, as a draft', async () => {
      const body = encounterBody({ coderId: org.users.coder.id });
      const draft = await api<Encounter>(server.url, cookies.coder!, 'POST', '/api/encounters', {
        ...body,
        patient: { ...body.patient, name: '=HYPERLINK("http://x.example","Open")' },
        lines: [{ code: '99213', pointers: ['A'] }],
      });
      expect(draft.status).toBe(201);
      const refused = await api<ApiErrorBody>(
        server.url,
        cookies.coder!,
        'GET',
        `/api/encounters/${draft.body.id}/claim`,
      );
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('invalid_state');
      const requested = await api<Claim>(
        server.url,
        cookies.coder!,
        'GET',
        `/api/encounters/${draft.body.id}/claim?onRequest=true`,
      );
      expect(requested.status).toBe(200);
      expect(requested.body.status).toBe('draft');
      const csv = await download(
        server.url,
        cookies.coder!,
        `/api/encounters/${draft.body.id}/claim?format=csv&onRequest=true`,
      );
      const [row] = parse<Record<string, string>>(csv.text, { columns: true });
      // A spreadsheet shows the name as text instead of running it as a formula.
      expect(row?.patient_name).toBe(`'=HYPERLINK("http://x.example","Open")`);
      expect(row?.status).toBe('draft');
    });

    it("refuses another organization's chart as not found, and bad parameters by field", async () => {
      const foreign = await api<ApiErrorBody>(
        server.url,
        otherSupervisor,
        'GET',
        `/api/encounters/${chart.id}/claim`,
      );
      expect(foreign.status).toBe(404);
      const bad = await api<ApiErrorBody>(
        server.url,
        cookies.coder!,
        'GET',
        `/api/encounters/${chart.id}/claim?format=xml`,
      );
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body.details)).toContain('format');
    });
  });

  describe('in bulk', () => {
    let january: string;
    let february: string;
    let lateFebruaryUtc: string;
    let foreign: string;

    beforeAll(async () => {
      january = await signedOffAt(org, '2025-01-31T23:59:59.000Z');
      february = await signedOffAt(org, '2025-02-01T00:00:00.000Z');
      lateFebruaryUtc = await signedOffAt(org, '2025-02-28T23:30:00.000Z');
      foreign = await signedOffAt(other, '2025-02-10T12:00:00.000Z');
    });

    const path = (query: string) => `/api/exports/claims?${query}`;

    it('streams the signed-off charts of a range as a FHIR Bundle, audited chart by chart', async () => {
      const response = await download(
        server.url,
        cookies.supervisor!,
        path('from=2025-02-01&to=2025-02-28&format=fhir-bundle'),
      );
      expect(response.status).toBe(200);
      expect(response.type).toMatch(/^application\/fhir\+json/);
      expect(response.disposition).toContain('claims-signed-off-2025-02-01-to-2025-02-28.json');
      const bundle = JSON.parse(response.text) as Bundle<Claim>;
      expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
      const ids = bundle.entry?.map((e) => e.resource?.id);
      expect(ids).toEqual([february, lateFebruaryUtc]);
      expect(bundle.entry?.[0]?.fullUrl).toBe(`urn:uuid:${february}`);
      expect(ids).not.toContain(january);
      expect(ids).not.toContain(foreign);
      expect((await reads(february))[0]).toMatchObject({
        userId: org.users.supervisor.id,
        via: 'GET /api/exports/claims?format=fhir-bundle',
      });
      expect(await reads(january)).toEqual([]);
    });

    it('writes NDJSON, one Claim a line', async () => {
      const response = await download(
        server.url,
        cookies.admin!,
        path('from=2025-01-01&to=2025-01-31&format=ndjson'),
      );
      expect(response.status).toBe(200);
      expect(response.type).toMatch(/^application\/fhir\+ndjson/);
      const claims = response.text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Claim);
      expect(claims.map((c) => c.id)).toEqual([january]);
      expect(claims[0]?.created).toBe('2025-01-31T23:59:59.000Z');
    });

    it('writes CSV with its header even when no chart is in the range', async () => {
      const some = await download(
        server.url,
        cookies.supervisor!,
        path('from=2025-01-01&to=2025-03-31&format=csv'),
      );
      const rows = parse<Record<string, string>>(some.text, { columns: true });
      expect(rows.map((r) => r.chart_id)).toEqual([january, february, lateFebruaryUtc]);
      const none = await download(
        server.url,
        cookies.supervisor!,
        path('from=2024-01-01&to=2024-01-31&format=csv'),
      );
      expect(none.status).toBe(200);
      expect(none.text.trim().split('\r\n')).toEqual([
        expect.stringMatching(/^chart_id,source_id,/),
      ]);
    });

    it('ranges by date of service on request', async () => {
      const chart = await reviewedChart('2024-07-04');
      const response = await download(
        server.url,
        cookies.supervisor!,
        path('from=2024-07-04&to=2024-07-04&format=ndjson&basis=service'),
      );
      const ids = response.text
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as Claim).id);
      expect(ids).toEqual([chart.id]);
    });

    it('answers a bad range with 400 by field, and a coder with 403', async () => {
      const backwards = await api<ApiErrorBody>(
        server.url,
        cookies.supervisor!,
        'GET',
        path('from=2025-03-01&to=2025-02-01&format=csv'),
      );
      expect(backwards.status).toBe(400);
      expect(backwards.body.code).toBe('validation_failed');
      expect(JSON.stringify(backwards.body.details)).toContain('to');
      const notADate = await api<ApiErrorBody>(
        server.url,
        cookies.supervisor!,
        'GET',
        path('from=2025-02-30&to=2025-03-01&format=csv'),
      );
      expect(notADate.status).toBe(400);
      expect(JSON.stringify(notADate.body.details)).toContain('from');
      const coder = await api<ApiErrorBody>(
        server.url,
        cookies.coder!,
        'GET',
        path('from=2025-01-01&to=2025-03-31&format=csv'),
      );
      expect(coder.status).toBe(403);
    });

    it('frees the export for the next one when a download is abandoned', async () => {
      // More abandoned downloads than exports may run at once: each must give its slot back.
      for (let i = 0; i < 3; i++) {
        const controller = new AbortController();
        const response = await fetch(
          `${server.url}${path('from=2025-01-01&to=2025-03-31&format=ndjson')}`,
          {
            headers: { cookie: cookies.supervisor! },
            signal: controller.signal,
          },
        );
        expect(response.status).toBe(200);
        controller.abort();
      }
      // The server notices each abandoned socket on its own time: ask until it answers, 5 s at most.
      const deadline = Date.now() + 5000;
      let status = 0;
      while (status !== 200 && Date.now() < deadline) {
        const next = await download(
          server.url,
          cookies.supervisor!,
          path('from=2025-01-01&to=2025-03-31&format=csv'),
        );
        status = next.status;
        if (status !== 200) {
          expect(status).toBe(429);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      expect(status).toBe(200);
    });

    it("gives another organization's supervisor only their own charts", async () => {
      const response = await download(
        server.url,
        otherSupervisor,
        path('from=2025-01-01&to=2025-03-31&format=ndjson'),
      );
      const ids = response.text
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as Claim).id);
      expect(ids).toEqual([foreign]);
    });
  });
});
