import {
  applyEncounterEvent,
  type Ack,
  type Encounter,
  type EncounterEvent,
} from '@countersign/shared';
import { RoomWatcher } from '../support/room-watcher.js';
import type { RunningServer } from '../../src/bootstrap.js';
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

describe('live room over Socket.IO', () => {
  let server: RunningServer;
  let org: TestOrganization;
  let coderCookie: string;
  let reviewerCookie: string;
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    server = await startTestApp();
    org = await createOrganization(server.dataSource, 'Live Clinic');
    coderCookie = await login(server.url, org.users.coder);
    reviewerCookie = await login(server.url, org.users.reviewer);
  });
  afterEach(() => sockets.splice(0).forEach((s) => s.close()));
  afterAll(() => server.stop());

  async function open(cookie: string): Promise<LiveClient> {
    const socket = await connectSocket(server.url, cookie);
    sockets.push(socket);
    return socket;
  }

  async function newEncounter(): Promise<Encounter> {
    const response = await api<Encounter>(
      server.url,
      coderCookie,
      'POST',
      '/api/encounters',
      encounterBody({ coderId: org.users.coder.id }),
    );
    return response.body;
  }

  it('refuses a handshake without a session cookie, or with a forged one', async () => {
    await expect(connectSocket(server.url, null)).rejects.toThrow('unauthenticated');
    await expect(connectSocket(server.url, `${coderCookie.slice(0, -3)}abc`)).rejects.toThrow(
      'unauthenticated',
    );
  });

  it('shows one coder’s new line in the reviewer’s room without a reload, and both people in presence', async () => {
    const encounter = await newEncounter();
    const coder = await RoomWatcher.join(await open(coderCookie), encounter.id);
    const reviewer = await RoomWatcher.join(await open(reviewerCookie), encounter.id);
    expect(reviewer.state).toEqual(encounter);
    await eventually(() => coder.presence.length === 2, 5000, 'coder to see the reviewer');
    expect(coder.presence.map((m) => m.name).sort()).toEqual(
      [org.users.coder.name, org.users.reviewer.name].sort(),
    );

    const ack = await emitAck(coder.socket, 'line:add', {
      encounterId: encounter.id,
      ...meta(coder.state.version),
      line: { code: '99214', modifiers: ['25'], pointers: ['A'] },
    });
    expect(ack).toEqual({ ok: true, data: { seq: 2, duplicate: false } });
    await eventually(() => reviewer.state.version === 2, 5000, 'the reviewer to receive the line');
    expect(reviewer.received).toEqual([
      expect.objectContaining({
        seq: 2,
        type: 'line.added',
        actor: { id: org.users.coder.id, name: org.users.coder.name },
      }),
    ]);
    expect(reviewer.state.lines).toEqual([
      expect.objectContaining({ code: '99214', modifiers: ['25'], units: 1, pointers: ['A'] }),
    ]);

    const lineId = reviewer.state.lines[0]!.id;
    expect(
      (
        await emitAck(coder.socket, 'line:update', {
          encounterId: encounter.id,
          ...meta(2),
          lineId,
          patch: { units: 2 },
        })
      ).ok,
    ).toBe(true);
    await eventually(() => reviewer.state.version === 3, 5000, 'the reviewer to receive the edit');
    const fresh = await api<Encounter>(
      server.url,
      coderCookie,
      'GET',
      `/api/encounters/${encounter.id}`,
    );
    expect(coder.state).toEqual(fresh.body);
    expect(reviewer.state).toEqual(fresh.body);

    reviewer.socket.close();
    await eventually(() => coder.presence.length === 1, 5000, 'the reviewer to leave presence');
    expect(coder.presence[0]?.userId).toBe(org.users.coder.id);
  });

  it('answers a bad command with a validation error and appends nothing', async () => {
    const encounter = await newEncounter();
    const coder = await RoomWatcher.join(await open(coderCookie), encounter.id);
    const ack = (await emitAck(coder.socket, 'line:add', {
      encounterId: encounter.id,
      ...meta(1),
      line: { code: 'ABC', units: 0, pointers: [] },
    })) as Ack<unknown>;
    expect(ack.ok).toBe(false);
    if (ack.ok) return;
    expect(ack.error.code).toBe('validation_failed');
    expect(ack.error.message).toContain('Not a CPT or HCPCS Level II code');
    expect(ack.error.message).toContain('Units are at least 1');
    const log = await api<{ items: EncounterEvent[] }>(
      server.url,
      coderCookie,
      'GET',
      `/api/encounters/${encounter.id}/events`,
    );
    expect(log.body.items).toHaveLength(1);
  });

  it('keeps another organization out of the room and its events', async () => {
    const encounter = await newEncounter();
    const other = await createOrganization(server.dataSource, 'Outside Clinic');
    const outsider = await open(await login(server.url, other.users.reviewer));
    const received: EncounterEvent[] = [];
    outsider.on('encounter:event', (event) => received.push(event));

    expect(await emitAck(outsider, 'room:join', { encounterId: encounter.id })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'The encounter was not found' },
    });
    const attempt = await emitAck(outsider, 'line:add', {
      encounterId: encounter.id,
      ...meta(1),
      line: { code: '99213', pointers: ['A'] },
    });
    expect(attempt.ok).toBe(false);

    const coder = await RoomWatcher.join(await open(coderCookie), encounter.id);
    await emitAck(coder.socket, 'line:add', {
      encounterId: encounter.id,
      ...meta(1),
      line: { code: '99213', pointers: ['A'] },
    });
    await eventually(() => coder.state.version === 2);

    // A barrier rather than a wait: an event of the outsider's own chart, emitted after the one
    // above, reaches the outsider's socket in order; had the other chart's event been sent to it,
    // it would have arrived first.
    const otherCoder = await login(server.url, other.users.coder);
    const own = (
      await api<Encounter>(
        server.url,
        otherCoder,
        'POST',
        '/api/encounters',
        encounterBody({ coderId: other.users.coder.id }),
      )
    ).body;
    expect((await emitAck(outsider, 'room:join', { encounterId: own.id })).ok).toBe(true);
    const ownCoder = await open(otherCoder);
    expect(
      (
        await emitAck(ownCoder, 'line:add', {
          encounterId: own.id,
          ...meta(own.version),
          line: { code: '99213', pointers: ['A'] },
        })
      ).ok,
    ).toBe(true);
    await eventually(() => received.length > 0);
    expect(received.map((event) => event.encounterId)).toEqual([own.id]);
  });

  it('lets a client that missed events catch up from the event log by sequence number', async () => {
    const encounter = await newEncounter();
    const coder = await RoomWatcher.join(await open(coderCookie), encounter.id);
    for (const code of ['99213', '20610', 'J3301']) {
      await emitAck(coder.socket, 'line:add', {
        encounterId: encounter.id,
        ...meta(coder.state.version),
        line: { code, pointers: ['A'] },
      });
    }
    const late = await open(reviewerCookie);
    const ack = await emitAck(late, 'room:catch-up', { encounterId: encounter.id, afterSeq: 1 });
    if (!ack.ok) throw new Error(ack.error.message);
    expect(ack.data.events.map((e) => e.seq)).toEqual([2, 3, 4]);
    const folded = ack.data.events.reduce(applyEncounterEvent, encounter);
    const fresh = await api<Encounter>(
      server.url,
      coderCookie,
      'GET',
      `/api/encounters/${encounter.id}`,
    );
    expect(folded).toEqual(fresh.body);
  });

  it('orders 20 clients’ simultaneous commands into one gapless sequence that every client converges on', async () => {
    const encounter = await newEncounter();
    const watchers = await Promise.all(
      Array.from({ length: 20 }, async () =>
        RoomWatcher.join(await open(coderCookie), encounter.id),
      ),
    );
    const acks = await Promise.all(
      watchers.map((w, i) =>
        emitAck(w.socket, 'line:add', {
          encounterId: encounter.id,
          ...meta(1),
          line: { code: '99213', units: i + 1, pointers: ['A'] },
        }),
      ),
    );
    const seqs = acks.map((a) => (a.ok ? a.data.seq : -1)).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));

    await eventually(
      () => watchers.every((w) => w.state.version === 21),
      10_000,
      'every client to reach version 21',
    );
    const fresh = await api<Encounter>(
      server.url,
      coderCookie,
      'GET',
      `/api/encounters/${encounter.id}`,
    );
    // Every writer's line is there once.
    expect(fresh.body.lines.map((l) => l.units).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    for (const watcher of watchers) expect(watcher.state).toEqual(fresh.body);
    const log = await api<{ items: EncounterEvent[] }>(
      server.url,
      coderCookie,
      'GET',
      `/api/encounters/${encounter.id}/events`,
    );
    expect(log.body.items.map((e) => e.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
  });
});
