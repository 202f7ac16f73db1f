import { randomUUID } from 'node:crypto';
import type { AssignmentResponse, Encounter, EncounterEvent, UserRef } from '@countersign/shared';
import type { RunningServer } from '../../src/bootstrap.js';
import { hashPassword } from '../../src/auth/password.js';
import {
  api,
  connectSocket,
  createOrganization,
  emitAck,
  encounterBody,
  login,
  startTestApp,
  type LiveClient,
  type TestOrganization,
} from '../support/test-app.js';

const PASSWORD = 'another person password';

/**
 * Claiming, assigning and reviewer routing against the real server and Postgres: races decided
 * by the chart's row lock, the rotation shared by two instances, and every change in the
 * chart's history.
 */
describe('assignment', () => {
  let first: RunningServer;
  let second: RunningServer;
  let org: TestOrganization;
  let other: TestOrganization;
  const cookies: Record<string, string> = {};
  const people: Record<string, UserRef> = {};

  /** Adds a person to `organizationId` and signs them in (cookie under `key`). */
  async function addPerson(key: string, role: string, organizationId = org.id): Promise<void> {
    const email = `${key}-${randomUUID().slice(0, 6)}@assign.example`;
    const [row] = await first.dataSource.query<[{ id: string }]>(
      'INSERT INTO users (organization_id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [organizationId, email, `Person ${key}`, role, await hashPassword(PASSWORD)],
    );
    people[key] = { id: row.id, name: `Person ${key}` };
    cookies[key] = await login(first.url, { email, password: PASSWORD });
  }

  beforeAll(async () => {
    first = await startTestApp();
    second = await startTestApp();
    org = await createOrganization(first.dataSource, 'Assign Clinic');
    other = await createOrganization(first.dataSource, 'Elsewhere');
    for (const role of ['coder', 'reviewer', 'supervisor', 'admin'] as const) {
      cookies[role] = await login(first.url, org.users[role]);
      people[role] = { id: org.users[role].id, name: org.users[role].name };
    }
    await addPerson('coder2', 'coder');
    await addPerson('reviewer2', 'reviewer');
    await addPerson('reviewer3', 'reviewer');
    cookies.outsider = await login(first.url, other.users.supervisor);
  });
  afterAll(async () => {
    await second.stop();
    await first.stop();
  });

  async function unassignedDraft(overrides: Record<string, unknown> = {}): Promise<Encounter> {
    const response = await api<Encounter>(
      first.url,
      cookies.supervisor!,
      'POST',
      '/api/encounters',
      encounterBody(overrides),
    );
    expect(response.status).toBe(201);
    return response.body;
  }

  async function chart(id: string): Promise<Encounter> {
    return (await api<Encounter>(first.url, cookies.supervisor!, 'GET', `/api/encounters/${id}`))
      .body;
  }

  async function history(id: string): Promise<EncounterEvent[]> {
    return (
      await api<{ items: EncounterEvent[] }>(
        first.url,
        cookies.supervisor!,
        'GET',
        `/api/encounters/${id}/events`,
      )
    ).body.items;
  }

  function claim(id: string, who: string, server = first) {
    return api<Encounter & { code: string; message: string }>(
      server.url,
      cookies[who]!,
      'POST',
      `/api/encounters/${id}/claim`,
    );
  }

  function assign(body: unknown, who = 'supervisor') {
    return api<AssignmentResponse & { code: string; message: string }>(
      first.url,
      cookies[who]!,
      'POST',
      '/api/assignments',
      body,
    );
  }

  describe('claiming', () => {
    it('gives the chart to exactly one of two coders claiming at once, on two instances', async () => {
      for (let round = 0; round < 5; round++) {
        const draft = await unassignedDraft();
        const answers = await Promise.all([
          claim(draft.id, 'coder', first),
          claim(draft.id, 'coder2', second),
        ]);
        const won = answers.filter((a) => a.status === 200);
        const lost = answers.filter((a) => a.status !== 200);
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        const winner = won[0]!.body.coder!;
        expect(lost[0]!.status).toBe(403);
        expect(lost[0]!.body).toEqual({
          code: 'forbidden',
          message: `${winner.name} has already claimed this chart`,
        });
        expect((await chart(draft.id)).coder).toEqual(winner);
        const claims = (await history(draft.id)).filter((e) => e.type === 'assignment.changed');
        expect(claims).toEqual([
          expect.objectContaining({
            actor: winner,
            payload: { how: 'claimed', coder: winner },
          }),
        ]);
      }
    });

    it('refuses a reviewer, a supervisor and a chart that has a coder, with clear words', async () => {
      const draft = await unassignedDraft();
      expect((await claim(draft.id, 'reviewer')).body).toEqual({
        code: 'forbidden',
        message: 'Only a coder can claim the chart',
      });
      expect((await claim(draft.id, 'supervisor')).status).toBe(403);
      expect((await claim(draft.id, 'coder')).status).toBe(200);
      expect((await claim(draft.id, 'coder')).body.message).toBe('The chart is already yours');
    });

    it('does not let another organization see the chart', async () => {
      const draft = await unassignedDraft();
      expect((await claim(draft.id, 'outsider')).status).toBe(404);
    });
  });

  describe('assigning', () => {
    it('assigns coder and reviewer on many charts at once, each with its own event', async () => {
      const drafts = await Promise.all([unassignedDraft(), unassignedDraft(), unassignedDraft()]);
      const response = await assign({
        encounterIds: drafts.map((d) => d.id),
        coderId: people.coder2!.id,
        reviewerId: people.reviewer2!.id,
      });
      expect(response.status).toBe(200);
      expect(response.body.assigned).toBe(3);
      expect(response.body.failed).toBe(0);
      for (const draft of drafts) {
        const now = await chart(draft.id);
        expect(now.coder).toEqual(people.coder2);
        expect(now.reviewer).toEqual(people.reviewer2);
        const last = (await history(draft.id)).at(-1)!;
        expect(last).toMatchObject({
          type: 'assignment.changed',
          seq: now.version,
          actor: people.supervisor,
          payload: { how: 'assigned', coder: people.coder2, reviewer: people.reviewer2 },
        });
      }
    });

    it('reassigns the coder only, keeping the reviewer, and unassigns with null (an admin too)', async () => {
      const draft = await unassignedDraft();
      await assign({
        encounterIds: [draft.id],
        coderId: people.coder!.id,
        reviewerId: people.reviewer!.id,
      });
      const reassigned = await assign({ encounterIds: [draft.id], coderId: people.coder2!.id });
      expect(reassigned.body.results).toEqual([
        expect.objectContaining({ ok: true, coder: people.coder2, reviewer: people.reviewer }),
      ]);
      const cleared = await assign({ encounterIds: [draft.id], reviewerId: null }, 'admin');
      expect(cleared.body.results[0]).toMatchObject({ ok: true, reviewer: null });
      const payloads = (await history(draft.id))
        .filter((e) => e.type === 'assignment.changed')
        .map((e) => e.payload);
      expect(payloads).toEqual([
        { how: 'assigned', coder: people.coder, reviewer: people.reviewer },
        { how: 'assigned', coder: people.coder2 },
        { how: 'assigned', reviewer: null },
      ]);
    });

    it('answers chart by chart: a chart of another organization fails, the others are assigned', async () => {
      const good = await unassignedDraft();
      const foreign = (
        await api<Encounter>(
          first.url,
          cookies.outsider!,
          'POST',
          '/api/encounters',
          encounterBody(),
        )
      ).body;
      const response = await assign({
        encounterIds: [good.id, foreign.id],
        reviewerId: people.reviewer3!.id,
      });
      expect(response.body.assigned).toBe(1);
      expect(response.body.results).toEqual([
        expect.objectContaining({ encounterId: good.id, ok: true }),
        {
          encounterId: foreign.id,
          ok: false,
          error: { code: 'not_found', message: 'The encounter was not found' },
        },
      ]);
    });

    it('refuses the wrong role, a deactivated person and someone of another organization, changing nothing', async () => {
      const draft = await unassignedDraft();
      const before = (await chart(draft.id)).version;
      const wrongRole = await assign({ encounterIds: [draft.id], reviewerId: people.coder!.id });
      expect(wrongRole.status).toBe(400);
      expect(wrongRole.body.message).toBe(
        `${people.coder!.name} is a coder, not a reviewer: only a reviewer can be a chart’s reviewer`,
      );
      const foreign = await assign({ encounterIds: [draft.id], coderId: other.users.coder.id });
      expect(foreign.status).toBe(400);
      expect(foreign.body.message).toBe('The coder is not a member of your organization');
      await addPerson('gone', 'reviewer');
      await first.dataSource.query('UPDATE users SET deactivated_at = now() WHERE id = $1', [
        people.gone!.id,
      ]);
      const gone = await assign({ encounterIds: [draft.id], reviewerId: people.gone!.id });
      expect(gone.status).toBe(400);
      expect(gone.body.message).toContain('is deactivated');
      expect((await chart(draft.id)).version).toBe(before);
    });

    it('refuses coders and reviewers as assigners, and a malformed request by field', async () => {
      const draft = await unassignedDraft();
      const byCoder = await assign(
        { encounterIds: [draft.id], coderId: people.coder!.id },
        'coder',
      );
      expect(byCoder.body.results[0]).toMatchObject({
        ok: false,
        error: { code: 'forbidden', message: 'Only a supervisor or an admin can assign the chart' },
      });
      const empty = await assign({ encounterIds: [draft.id] });
      expect(empty.status).toBe(400);
      expect(empty.body.code).toBe('validation_failed');
      expect((await assign({ encounterIds: [], coderId: null })).status).toBe(400);
    });

    it('never makes an author of the lines the reviewer', async () => {
      const coded = await unassignedDraft({ lines: [{ code: '99214', pointers: ['A'] }] });
      await first.dataSource.query(
        'UPDATE encounters SET coded_by = array_append(coded_by, $2) WHERE id = $1',
        [coded.id, people.reviewer2!.id],
      );
      const response = await assign({ encounterIds: [coded.id], reviewerId: people.reviewer2!.id });
      expect(response.body.results[0]).toEqual({
        encounterId: coded.id,
        ok: false,
        error: {
          code: 'forbidden',
          message: `${people.reviewer2!.name} coded this chart, so another reviewer must review it`,
        },
      });
      expect((await chart(coded.id)).reviewer).toBeNull();
    });
  });

  describe('reviewer routing', () => {
    let routeOrg: TestOrganization;
    const routeCookies: Record<string, string> = {};
    let reviewers: string[] = [];
    let coderSocket: { first: LiveClient; second: LiveClient };

    beforeAll(async () => {
      routeOrg = await createOrganization(first.dataSource, 'Routing Clinic');
      routeCookies.supervisor = await login(first.url, routeOrg.users.supervisor);
      routeCookies.coder = await login(first.url, routeOrg.users.coder);
      reviewers = [routeOrg.users.reviewer.id];
      for (const n of [2, 3]) {
        const [row] = await first.dataSource.query<[{ id: string }]>(
          'INSERT INTO users (organization_id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id',
          [
            routeOrg.id,
            `r${n}-${randomUUID().slice(0, 6)}@route.example`,
            `Reviewer ${n}`,
            'reviewer',
            await hashPassword(PASSWORD),
          ],
        );
        reviewers.push(row.id);
      }
      coderSocket = {
        first: await connectSocket(first.url, routeCookies.coder),
        second: await connectSocket(second.url, routeCookies.coder),
      };
    });
    afterAll(() => {
      coderSocket.first.close();
      coderSocket.second.close();
    });

    async function codedDraft(): Promise<Encounter> {
      const response = await api<Encounter>(
        first.url,
        routeCookies.coder!,
        'POST',
        '/api/encounters',
        encounterBody({
          coderId: routeOrg.users.coder.id,
          lines: [{ code: '99214', pointers: ['A'] }],
        }),
      );
      expect(response.status).toBe(201);
      return response.body;
    }

    it('routes submitted charts round-robin across two instances, evenly, never to the coder', async () => {
      const drafts = await Promise.all(Array.from({ length: 9 }, () => codedDraft()));
      const acks = await Promise.all(
        drafts.map((d, i) =>
          emitAck(i % 2 ? coderSocket.second : coderSocket.first, 'encounter:transition', {
            encounterId: d.id,
            baseVersion: d.version,
            opId: randomUUID(),
            transition: 'submit',
            reason: '',
          }),
        ),
      );
      expect(acks.every((a) => a.ok)).toBe(true);
      const counts = new Map<string, number>();
      for (const d of drafts) {
        const now = (
          await api<Encounter>(
            first.url,
            routeCookies.supervisor!,
            'GET',
            `/api/encounters/${d.id}`,
          )
        ).body;
        expect(now.status).toBe('submitted');
        expect(now.reviewer).not.toBeNull();
        expect(now.reviewer!.id).not.toBe(routeOrg.users.coder.id);
        counts.set(now.reviewer!.id, (counts.get(now.reviewer!.id) ?? 0) + 1);
        const submitted = (
          await api<{ items: EncounterEvent[] }>(
            first.url,
            routeCookies.supervisor!,
            'GET',
            `/api/encounters/${d.id}/events`,
          )
        ).body.items.at(-1)!;
        expect(submitted).toMatchObject({
          type: 'status.changed',
          payload: { to: 'submitted', reviewer: now.reviewer },
        });
      }
      expect([...counts.keys()].sort()).toEqual([...reviewers].sort());
      expect([...counts.values()]).toEqual([3, 3, 3]);
    });

    it('routes "auto" in turn and skips a reviewer who wrote lines on the chart', async () => {
      const [author] = reviewers;
      const draft = await codedDraft();
      await first.dataSource.query(
        'UPDATE encounters SET coded_by = array_append(coded_by, $2) WHERE id = $1',
        [draft.id, author],
      );
      const picked = new Set<string>();
      for (let i = 0; i < 4; i++) {
        const response = await api<AssignmentResponse>(
          first.url,
          routeCookies.supervisor!,
          'POST',
          '/api/assignments',
          { encounterIds: [draft.id], reviewerId: 'auto' },
        );
        const result = response.body.results[0]!;
        expect(result.ok).toBe(true);
        if (result.ok) picked.add(result.reviewer!.id);
      }
      expect([...picked].sort()).toEqual(reviewers.filter((r) => r !== author).sort());
      const routed = (
        await api<{ items: EncounterEvent[] }>(
          first.url,
          routeCookies.supervisor!,
          'GET',
          `/api/encounters/${draft.id}/events`,
        )
      ).body.items.filter((e) => e.type === 'assignment.changed');
      expect(routed).toHaveLength(4);
    });

    it('leaves a chart unassigned when nobody is eligible, and says so for "auto"', async () => {
      const lonely = await createOrganization(first.dataSource, 'Lonely Clinic');
      const coder = await login(first.url, lonely.users.coder);
      const supervisor = await login(first.url, lonely.users.supervisor);
      // The only reviewer also wrote the chart.
      const draft = (
        await api<Encounter>(
          first.url,
          coder,
          'POST',
          '/api/encounters',
          encounterBody({
            coderId: lonely.users.coder.id,
            lines: [{ code: '99214', pointers: ['A'] }],
          }),
        )
      ).body;
      await first.dataSource.query(
        'UPDATE encounters SET coded_by = array_append(coded_by, $2) WHERE id = $1',
        [draft.id, lonely.users.reviewer.id],
      );
      const socket = await connectSocket(first.url, coder);
      const ack = await emitAck(socket, 'encounter:transition', {
        encounterId: draft.id,
        baseVersion: draft.version,
        opId: randomUUID(),
        transition: 'submit',
        reason: '',
      });
      socket.close();
      expect(ack.ok).toBe(true);
      const now = (
        await api<Encounter>(first.url, supervisor, 'GET', `/api/encounters/${draft.id}`)
      ).body;
      expect(now.status).toBe('submitted');
      expect(now.reviewer).toBeNull();
      const auto = await api<AssignmentResponse>(
        first.url,
        supervisor,
        'POST',
        '/api/assignments',
        {
          encounterIds: [draft.id],
          reviewerId: 'auto',
        },
      );
      expect(auto.body.results[0]).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
    });
  });
});
