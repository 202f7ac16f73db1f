import type { Encounter, EncounterEvent, WorklistResponse } from '@countersign/shared';
import type { RunningServer } from '../../src/bootstrap.js';
import {
  api,
  createOrganization,
  encounterBody,
  ifMatch,
  login,
  startTestApp,
  type TestOrganization,
} from '../support/test-app.js';

describe('encounters over REST', () => {
  let server: RunningServer;
  let org: TestOrganization;
  let other: TestOrganization;
  let coder: string;
  let reviewer: string;
  let outsider: string;
  let supervisor: string;

  beforeAll(async () => {
    server = await startTestApp();
    org = await createOrganization(server.dataSource, 'Main Clinic');
    other = await createOrganization(server.dataSource, 'Other Clinic');
    coder = await login(server.url, org.users.coder);
    reviewer = await login(server.url, org.users.reviewer);
    outsider = await login(server.url, other.users.coder);
    supervisor = await login(server.url, org.users.supervisor);
  });
  afterAll(() => server.stop());

  async function create(
    overrides: Record<string, unknown> = {},
    cookie = coder,
  ): Promise<Encounter> {
    const response = await api<Encounter>(
      server.url,
      cookie,
      'POST',
      '/api/encounters',
      encounterBody({ coderId: org.users.coder.id, ...overrides }),
    );
    expect(response.status).toBe(201);
    return response.body;
  }

  async function events(id: string, after = 0): Promise<EncounterEvent[]> {
    const response = await api<{ items: EncounterEvent[] }>(
      server.url,
      coder,
      'GET',
      `/api/encounters/${id}/events?after=${after}`,
    );
    expect(response.status).toBe(200);
    return response.body.items;
  }

  it('creates an encounter in draft with diagnoses stored without dots and a first event', async () => {
    const encounter = await create({
      coderId: org.users.coder.id,
      lines: [
        { code: '99213', modifiers: ['25'], pointers: ['A'] },
        { code: '20610', modifiers: ['rt'], pointers: ['A'] },
      ],
    });
    expect(encounter).toMatchObject({
      status: 'draft',
      diagnoses: ['M1711', 'E119'],
      version: 1,
      coder: { id: org.users.coder.id, name: org.users.coder.name },
      reviewer: null,
      organizationId: org.id,
    });
    expect(encounter.lines.map((l) => [l.code, l.modifiers, l.units, l.pointers])).toEqual([
      ['99213', ['25'], 1, ['A']],
      ['20610', ['RT'], 1, ['A']],
    ]);
    const log = await events(encounter.id);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      seq: 1,
      type: 'encounter.created',
      actor: { id: org.users.coder.id },
    });

    const fetched = await api<Encounter>(
      server.url,
      reviewer,
      'GET',
      `/api/encounters/${encounter.id}`,
    );
    expect(fetched.body).toEqual(encounter);
  });

  it('refuses a bad encounter with every problem listed and creates nothing', async () => {
    const before = await api<WorklistResponse>(server.url, coder, 'GET', '/api/encounters');
    const response = await api<{
      code: string;
      message: string;
      details: { issues: Array<{ path: string }> };
    }>(
      server.url,
      coder,
      'POST',
      '/api/encounters',
      encounterBody({
        dateOfService: '2026-02-30',
        placeOfService: '99',
        diagnoses: ['E11.9', 'NOPE'],
      }),
    );
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    expect(response.body.details.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['dateOfService', 'placeOfService', 'diagnoses.1']),
    );
    const after = await api<WorklistResponse>(server.url, coder, 'GET', '/api/encounters');
    expect(after.body.items).toHaveLength(before.body.items.length);
  });

  it('refuses to assign a user of another organization', async () => {
    const response = await api<{ code: string }>(
      server.url,
      supervisor,
      'POST',
      '/api/encounters',
      encounterBody({ coderId: other.users.coder.id }),
    );
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
  });

  it('lets a coder create a chart only for themselves: picking the reviewer or another coder is a supervisor’s', async () => {
    const before = await server.dataSource.query(
      'SELECT count(*)::int AS n FROM encounters WHERE organization_id = $1',
      [org.id],
    );
    for (const assignment of [
      { reviewerId: org.users.reviewer.id },
      { coderId: org.users.reviewer.id },
    ]) {
      const response = await api<{ code: string; message: string }>(
        server.url,
        coder,
        'POST',
        '/api/encounters',
        encounterBody({ coderId: org.users.coder.id, ...assignment }),
      );
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({
        code: 'forbidden',
        message: expect.stringContaining('Only a supervisor or an admin'),
      });
    }
    const after = await server.dataSource.query(
      'SELECT count(*)::int AS n FROM encounters WHERE organization_id = $1',
      [org.id],
    );
    expect(after).toEqual(before);
  });

  it('filters the worklist by status and assignee', async () => {
    const mine = await create({
      coderId: org.users.coder.id,
      patient: { mrn: 'W-1', name: 'Mine Patient', dateOfBirth: '1950-01-01' },
    });
    const unassigned = await create({
      coderId: null,
      patient: { mrn: 'W-2', name: 'Nobody Patient', dateOfBirth: '1950-01-01' },
    });
    const reviewing = await create(
      {
        coderId: null,
        reviewerId: org.users.reviewer.id,
        patient: { mrn: 'W-3', name: 'Review Patient', dateOfBirth: '1950-01-01' },
      },
      supervisor,
    );

    const ids = async (query: string, cookie = coder) =>
      (
        await api<WorklistResponse>(server.url, cookie, 'GET', `/api/encounters${query}`)
      ).body.items.map((i) => i.id);

    expect(await ids('?assignee=me')).toContain(mine.id);
    expect(await ids('?assignee=me')).not.toContain(unassigned.id);
    expect(await ids('?assignee=unassigned')).toEqual(
      expect.arrayContaining([unassigned.id, reviewing.id]),
    );
    expect(await ids('?assignee=unassigned')).not.toContain(mine.id);
    expect(await ids('?assignee=me', reviewer)).toEqual([reviewing.id]);
    expect(await ids('?status=draft')).toEqual(
      expect.arrayContaining([mine.id, unassigned.id, reviewing.id]),
    );
    expect(await ids('?status=submitted,approved')).toEqual([]);
    const bad = await api<{ code: string }>(
      server.url,
      coder,
      'GET',
      '/api/encounters?status=lost',
    );
    expect(bad.status).toBe(400);

    const row = (
      await api<WorklistResponse>(server.url, coder, 'GET', '/api/encounters?assignee=me')
    ).body.items.find((i) => i.id === mine.id);
    expect(row).toMatchObject({ patient: { name: 'Mine Patient' }, lineCount: 0, status: 'draft' });
    expect(row).not.toHaveProperty('clinicalNote');
  });

  it('updates header fields and diagnoses, each change one event', async () => {
    const encounter = await create();
    const patched = await api<Encounter>(
      server.url,
      coder,
      'PATCH',
      `/api/encounters/${encounter.id}`,
      {
        diagnoses: ['S83.241A', 'M17.11', 'E11.9'],
        placeOfService: '22',
      },
      ifMatch(1),
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      diagnoses: ['S83241A', 'M1711', 'E119'],
      placeOfService: '22',
      version: 2,
    });
    const [event] = await events(encounter.id, 1);
    expect(event).toMatchObject({
      seq: 2,
      type: 'encounter.updated',
      payload: { changes: { diagnoses: ['S83241A', 'M1711', 'E119'], placeOfService: '22' } },
    });

    // Assignment is a supervisor's; the coder may not assign a reviewer.
    const byCoder = await api<{ code: string }>(
      server.url,
      coder,
      'PATCH',
      `/api/encounters/${encounter.id}`,
      { reviewerId: org.users.reviewer.id },
      ifMatch(2),
    );
    expect(byCoder.status).toBe(403);
    const assigned = await api<Encounter>(
      server.url,
      supervisor,
      'PATCH',
      `/api/encounters/${encounter.id}`,
      { reviewerId: org.users.reviewer.id },
      ifMatch(2),
    );
    expect(assigned.body.reviewer).toEqual({
      id: org.users.reviewer.id,
      name: org.users.reviewer.name,
    });
    expect(assigned.body.version).toBe(3);
  });

  it('adds, edits and removes lines over REST, refusing dangling pointers without changing anything', async () => {
    const encounter = await create();
    const added = await api<Encounter>(
      server.url,
      coder,
      'POST',
      `/api/encounters/${encounter.id}/lines`,
      {
        code: '99214',
        pointers: ['A', 'B'],
      },
      ifMatch(1),
    );
    expect(added.status).toBe(201);
    const line = added.body.lines[0]!;
    expect(line).toMatchObject({ code: '99214', modifiers: [], units: 1, pointers: ['A', 'B'] });

    const edited = await api<Encounter>(
      server.url,
      coder,
      'PATCH',
      `/api/encounters/${encounter.id}/lines/${line.id}`,
      { modifiers: ['25'] },
      ifMatch(2),
    );
    expect(edited.body.lines[0]).toEqual({ ...line, modifiers: ['25'] });

    const dangling = await api<{ code: string; message: string }>(
      server.url,
      coder,
      'PATCH',
      `/api/encounters/${encounter.id}/lines/${line.id}`,
      {
        pointers: ['C'],
      },
      ifMatch(3),
    );
    expect(dangling.status).toBe(400);
    expect(dangling.body.message).toBe(
      'Diagnosis pointer C points at no diagnosis: pointers go from A to B',
    );
    const unchanged = await api<Encounter>(
      server.url,
      coder,
      'GET',
      `/api/encounters/${encounter.id}`,
    );
    expect(unchanged.body.version).toBe(3);
    expect(unchanged.body.lines[0]?.pointers).toEqual(['A', 'B']);

    // Removing diagnosis A moves the line's pointer B (E11.9) to A and drops the pointer to M17.11.
    const shrink = await api<Encounter>(
      server.url,
      coder,
      'PATCH',
      `/api/encounters/${encounter.id}`,
      { diagnoses: ['E11.9'] },
      ifMatch(3),
    );
    expect(shrink.status).toBe(200);
    expect(shrink.body.lines[0]?.pointers).toEqual(['A']);

    const removed = await api(
      server.url,
      coder,
      'DELETE',
      `/api/encounters/${encounter.id}/lines/${line.id}`,
      undefined,
      ifMatch(4),
    );
    expect(removed.status).toBe(204);
    const log = await events(encounter.id);
    expect(log.map((e) => [e.seq, e.type])).toEqual([
      [1, 'encounter.created'],
      [2, 'line.added'],
      [3, 'line.updated'],
      [4, 'encounter.updated'],
      [5, 'line.removed'],
    ]);
    expect(log[3]?.payload).toEqual({
      changes: { diagnoses: ['E119'], lines: [{ ...line, modifiers: ['25'], pointers: ['A'] }] },
    });
  });

  it('answers 404 for another organization’s encounter, on every route, and changes nothing', async () => {
    const encounter = await create({ lines: [{ code: '99213', pointers: ['A'] }] });
    const lineId = encounter.lines[0]!.id;
    const attempts = [
      api(server.url, outsider, 'GET', `/api/encounters/${encounter.id}`),
      api(
        server.url,
        outsider,
        'PATCH',
        `/api/encounters/${encounter.id}`,
        { clinicalNote: 'overwritten' },
        ifMatch(1),
      ),
      api(server.url, outsider, 'GET', `/api/encounters/${encounter.id}/events`),
      api(
        server.url,
        outsider,
        'POST',
        `/api/encounters/${encounter.id}/lines`,
        { code: '99215', pointers: ['A'] },
        ifMatch(1),
      ),
      api(
        server.url,
        outsider,
        'PATCH',
        `/api/encounters/${encounter.id}/lines/${lineId}`,
        { units: 3 },
        ifMatch(1),
      ),
      api(
        server.url,
        outsider,
        'DELETE',
        `/api/encounters/${encounter.id}/lines/${lineId}`,
        undefined,
        ifMatch(1),
      ),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response).toEqual({
        status: 404,
        body: { code: 'not_found', message: 'The encounter was not found' },
      });
    }
    const theirs = await api<WorklistResponse>(server.url, outsider, 'GET', '/api/encounters');
    expect(theirs.body.items.map((i) => i.id)).not.toContain(encounter.id);
    const after = await api<Encounter>(server.url, coder, 'GET', `/api/encounters/${encounter.id}`);
    expect(after.body).toEqual(encounter);
  });
});
