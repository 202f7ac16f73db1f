import type { Encounter, LiveEdits } from '@countersign/shared';
import type { Pool, PoolClient } from 'pg';
import type { RunningServer } from '../../src/bootstrap.js';
import { LivePool } from '../../src/database/live-pool.js';
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

const COUNTED = Symbol('counted');

/**
 * The statements one live edit sends to Postgres, counted on the DataSource's pool and the live
 * pool, and the round trips they take (statements sent in one tick on the live pool leave in one
 * write): the live edit path is measured in both (ARCHITECTURE.md, "How one edit travels"), so a
 * change that adds one fails here and has to say why.
 */
describe('statements per live edit', () => {
  let server: RunningServer;
  let socket: LiveClient;
  let org: TestOrganization;
  let cookie: string;
  const sent: string[] = [];
  /** Per statement, the tick it was sent in: statements of one tick on the live pool share a write. */
  const ticks: number[] = [];
  let tick = 0;
  let tickOpen = false;

  beforeAll(async () => {
    // The session sweep would add its own statement at random moments.
    server = await startTestApp({ SESSION_SWEEP_MS: '60000' });
    const pools = [
      (server.dataSource.driver as unknown as { master: Pool }).master,
      server.app.get(LivePool).pool,
    ];
    for (const pool of pools)
      pool.on('acquire', (client: PoolClient & { [COUNTED]?: true }) => {
        if (client[COUNTED]) return;
        client[COUNTED] = true;
        const query = client.query.bind(client) as (...args: unknown[]) => unknown;
        (client as unknown as { query: (...args: unknown[]) => unknown }).query = (
          ...args: unknown[]
        ) => {
          const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text;
          sent.push(text.replace(/\s+/g, ' ').trim().slice(0, 60));
          if (!tickOpen) {
            tickOpen = true;
            tick += 1;
            process.nextTick(() => (tickOpen = false));
          }
          ticks.push(tick);
          return query(...args);
        };
      });
    org = await createOrganization(server.dataSource, 'Counted Clinic');
    cookie = await login(server.url, org.users.coder);
    socket = await connectSocket(server.url, cookie);
  });
  afterAll(async () => {
    socket.close();
    await server.stop();
  });

  /** A new one-line chart of the coder's, with the coder's socket in its room. */
  const openChart = async () => {
    const response = await api<Encounter>(
      server.url,
      cookie,
      'POST',
      '/api/encounters',
      encounterBody({ coderId: org.users.coder.id, lines: [{ code: '99213', pointers: ['A'] }] }),
    );
    expect(response.status).toBe(201);
    const chart = response.body;
    return { chart, room: await RoomWatcher.join(socket, chart.id) };
  };

  it('a line:update costs 5 statements in 2 round trips before its ack (begin + session + lock and checks; line, event and version + commit) and none after it on a draft chart', async () => {
    const { chart, room } = await openChart();
    const edits: LiveEdits[] = [];
    socket.on('encounter:edits', (e) => edits.push(e));
    const lineId = room.state.lines[0]!.id;

    /** Sends one update; resolves with the statements sent until its ack and after it, until its edits came. */
    const update = async (units: number) => {
      sent.length = 0;
      ticks.length = 0;
      const ack = await emitAck(socket, 'line:update', {
        encounterId: chart.id,
        lineId,
        patch: { units },
        ...meta(room.state.version),
      });
      if (!ack.ok) throw new Error(ack.error.message);
      const beforeAck = [...sent];
      const roundTrips = new Set(ticks).size;
      await eventually(
        () => edits.some((e) => e.version === ack.data.seq),
        5000,
        'the edits of the update',
      );
      return { beforeAck, roundTrips, afterAck: sent.slice(beforeAck.length) };
    };
    // The first edit of a chart may warm caches (the edits reference data).
    await update(2);

    const { beforeAck, roundTrips, afterAck } = await update(3);
    expect(beforeAck).toHaveLength(5);
    expect(beforeAck[0]).toBe('BEGIN');
    expect(beforeAck[1]).toMatch(/^SELECT s.id, s.expires_at/);
    expect(beforeAck[4]).toBe('COMMIT');
    expect(roundTrips).toBe(2);
    expect(afterAck).toEqual([]);
  });

  it('a stale line:update is refused with the chart as it stands, taken from the chart the instance keeps: 4 statements (begin + session + lock and checks; rollback), no chart read', async () => {
    const { chart, room } = await openChart();
    const lineId = room.state.lines[0]!.id;
    const seen = room.state.version;
    const first = await emitAck(socket, 'line:update', {
      encounterId: chart.id,
      lineId,
      patch: { units: 2 },
      ...meta(seen),
    });
    expect(first.ok).toBe(true);

    sent.length = 0;
    // Made against the version before the first update changed the line: stale.
    const stale = await emitAck(socket, 'line:update', {
      encounterId: chart.id,
      lineId,
      patch: { units: 4 },
      ...meta(seen),
    });
    const statements = [...sent];
    expect(stale.ok).toBe(false);
    if (stale.ok) return;
    expect(stale.error.code).toBe('conflict');
    expect(statements).toHaveLength(4);
    expect(statements[3]).toBe('ROLLBACK');
    // The chart the refusal carries is the chart as Postgres has it.
    const now = await api<Encounter>(server.url, cookie, 'GET', `/api/encounters/${chart.id}`);
    const carried = (stale.error.details as { encounter: Encounter }).encounter;
    expect(carried.version).toBe(now.body.version);
    expect(carried).toEqual(now.body);
  });
});
