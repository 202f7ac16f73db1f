/**
 * Issue 11's round trip: a FHIR Bundle in, the chart coded and reviewed, a FHIR Claim out, with
 * the imported diagnoses, the coded lines and their pointers preserved.
 * @database code-sets
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  Ack,
  CommandResult,
  Encounter,
  IntakePreview,
  IntakeRowsResponse,
  IntakeSummary,
} from '@countersign/shared';
import type { Claim } from '@medplum/fhirtypes';
import type { RunningServer } from '../../src/bootstrap.js';
import { RoomWatcher } from '../support/room-watcher.js';
import {
  api,
  connectSocket,
  createOrganization,
  emitAck,
  eventually,
  login,
  meta,
  startTestApp,
  type LiveClient,
} from '../support/test-app.js';

const BUNDLE = readFileSync(
  join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'good-bundle.json'),
  'utf8',
);

function ok<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

describe('a FHIR Bundle in, a FHIR Claim out', () => {
  let server: RunningServer;
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    server = await startTestApp();
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await server.stop();
  });

  it('keeps the imported diagnoses and the coded lines, modifiers, units and pointers', async () => {
    const org = await createOrganization(server.dataSource, 'Round Trip Clinic');
    const cookie = {
      coder: await login(server.url, org.users.coder),
      reviewer: await login(server.url, org.users.reviewer),
      supervisor: await login(server.url, org.users.supervisor),
    };

    // In: the Bundle's two encounters, through the same import the page uses.
    const uploaded = await fetch(`${server.url}/api/encounter-imports?fileName=bundle.json`, {
      method: 'POST',
      headers: { cookie: cookie.supervisor, 'content-type': 'application/fhir+json' },
      body: BUNDLE,
    });
    expect(uploaded.status).toBe(201);
    const preview = (await uploaded.json()) as IntakePreview;
    expect(preview).toMatchObject({ format: 'fhir', toCreate: 2, invalid: 0 });
    const started = await api<IntakeSummary>(
      server.url,
      cookie.supervisor,
      'POST',
      `/api/encounter-imports/${preview.id}/commit`,
      { mode: 'all' },
    );
    expect(started.status).toBe(202);
    for (let polls = 0; ; polls++) {
      const { body } = await api<IntakeSummary>(
        server.url,
        cookie.supervisor,
        'GET',
        `/api/encounter-imports/${preview.id}`,
      );
      if (body.status === 'done') break;
      if (body.status === 'failed' || polls === 400) throw new Error(`import ${body.status}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const rows = await api<IntakeRowsResponse>(
      server.url,
      cookie.supervisor,
      'GET',
      `/api/encounter-imports/${preview.id}/rows`,
    );
    const id = rows.body.items[0]!.encounterId!;

    // Coded: the coder claims it and codes two lines; the reviewer accepts both and approves;
    // the supervisor signs off.
    const claimed = await api(server.url, cookie.coder, 'POST', `/api/encounters/${id}/claim`);
    expect([claimed.status, claimed.body]).toEqual([200, expect.objectContaining({ id })]);
    const watchers: Record<'coder' | 'reviewer' | 'supervisor', RoomWatcher> = {} as never;
    for (const role of ['coder', 'reviewer', 'supervisor'] as const) {
      const socket = await connectSocket(server.url, cookie[role]);
      sockets.push(socket);
      watchers[role] = await RoomWatcher.join(socket, id);
    }
    const all = Object.values(watchers);
    const send = async (
      who: RoomWatcher,
      event: Parameters<typeof emitAck>[1],
      payload: Record<string, unknown>,
    ) => {
      const result: CommandResult = ok(
        await emitAck(
          who.socket,
          event as 'line:add',
          { encounterId: id, ...meta(who.state.version), ...payload } as never,
        ),
      );
      await eventually(() => all.every((w) => w.state.version >= result.seq), 5000, 'seq');
    };
    const imported = watchers.coder.state;
    expect(imported.diagnoses).toEqual(['M1711', 'E119']);
    await send(watchers.coder, 'line:add', {
      line: { code: '99213', modifiers: ['25'], pointers: ['B', 'A'] },
    });
    await send(watchers.coder, 'line:add', {
      line: { code: 'J1100', units: 3, pointers: ['A'] },
    });
    await send(watchers.coder, 'encounter:transition', { transition: 'submit' });
    await send(watchers.reviewer, 'encounter:transition', { transition: 'review.start' });
    for (const line of watchers.reviewer.state.lines)
      await send(watchers.reviewer, 'review:accept', { lineId: line.id });
    await send(watchers.reviewer, 'encounter:transition', { transition: 'approve' });
    await send(watchers.supervisor, 'encounter:transition', { transition: 'sign-off' });
    const final: Encounter = watchers.coder.state;
    expect(final.status).toBe('signed_off');

    // Out: the FHIR Claim keeps what came in and what was coded.
    const out = await api<Claim>(
      server.url,
      cookie.supervisor,
      'GET',
      `/api/encounters/${id}/claim?format=fhir`,
    );
    expect(out.status).toBe(200);
    const claim = out.body;
    expect(
      claim.diagnosis?.map((d) => [d.sequence, d.diagnosisCodeableConcept?.coding?.[0]?.code]),
    ).toEqual([
      [1, 'M17.11'],
      [2, 'E11.9'],
    ]);
    expect(
      claim.item?.map((item) => [
        item.productOrService.coding?.[0]?.code,
        item.modifier?.map((m) => m.coding?.[0]?.code) ?? [],
        item.quantity?.value,
        item.diagnosisSequence,
        item.servicedDate,
      ]),
    ).toEqual([
      ['99213', ['25'], 1, [2, 1], final.dateOfService],
      ['J1100', [], 3, [1], final.dateOfService],
    ]);
    const patient = claim.contained?.find((r) => r.resourceType === 'Patient');
    expect(JSON.stringify(patient)).toContain('MRN-80001');

    // The CSV for billing systems names the source system's id, one row per billed line.
    const csv = await fetch(`${server.url}/api/encounters/${id}/claim?format=csv`, {
      headers: { cookie: cookie.supervisor },
    });
    const [header, ...csvRows] = (await csv.text()).trim().split(/\r?\n/);
    const column = header!.split(',').indexOf('source_id');
    expect(column).toBeGreaterThanOrEqual(0);
    expect(csvRows.map((r) => r.split(',')[column])).toEqual(['FHIR-ENC-1', 'FHIR-ENC-1']);
  });
});
