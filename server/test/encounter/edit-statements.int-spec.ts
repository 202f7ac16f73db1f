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
    const room = await RoomWatcher.join(socket, chart.id);
    await errorCountWritten(chart.id, chart.version);
    return { chart, room };
  };

  /**
   * Waits until the chart's error count for `version` is written (a statement that follows a
   * chart's findings, not its command, so that none lands among a command's statements).
   */
  const errorCountWritten = async (chartId: string, version: number) => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const [row] = await server.dataSource.query<Array<{ error_count_seq: number | null }>>(
        'SELECT error_count_seq FROM encounters WHERE id = $1',
        [chartId],
      );
      if ((row?.error_count_seq ?? 0) >= version) return;
      if (Date.now() > deadline)
        throw new Error(`Timed out waiting for the error count of ${version}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  /** Waits until the room's folded state satisfies `ready`. */
  const caughtUp = (room: RoomWatcher, ready: (state: Encounter) => boolean) =>
    eventually(() => ready(room.state), 5000, 'the room to catch up');

  /** Sends one update made against `version`; resolves with the statements until its ack and their round trips. */
  const counted = async (
    chartId: string,
    lineId: string,
    patch: Record<string, unknown>,
    version: number,
  ) => {
    sent.length = 0;
    ticks.length = 0;
    const ack = await emitAck(socket, 'line:update', {
      encounterId: chartId,
      lineId,
      patch,
      ...meta(version),
    });
    return { ack, statements: [...sent], roundTrips: new Set(ticks).size };
  };

  it('a line:update reads under the lock in 5 statements and 2 round trips (begin + session + lock and checks; line, event and version + commit) when this instance did not write the chart last, then takes 3 statements in 1 round trip (begin, the append made from the kept chart, commit), and none after the ack', async () => {
    const { chart, room } = await openChart();
    const edits: LiveEdits[] = [];
    socket.on('encounter:edits', (e) => edits.push(e));
    const lineId = room.state.lines[0]!.id;

    /** Sends one update; resolves with the statements sent until its ack and after it, until its edits came. */
    const update = async (units: number) => {
      const {
        ack,
        statements: beforeAck,
        roundTrips,
      } = await counted(chart.id, lineId, { units }, room.state.version);
      if (!ack.ok) throw new Error(ack.error.message);
      await eventually(
        () => edits.some((e) => e.version === ack.data.seq),
        5000,
        'the edits of the update',
      );
      await caughtUp(room, (state) => state.version === ack.data.seq);
      return { beforeAck, roundTrips, afterAck: sent.slice(beforeAck.length) };
    };
    // The chart was created over REST: this instance has appended none of its events yet.
    const first = await update(2);
    expect(first.beforeAck).toHaveLength(5);
    expect(first.beforeAck[0]).toBe('BEGIN');
    expect(first.beforeAck[1]).toMatch(/^SELECT s.id, s.expires_at/);
    expect(first.beforeAck[2]).toMatch(/^WITH locked AS/);
    expect(first.beforeAck[4]).toBe('COMMIT');
    expect(first.roundTrips).toBe(2);

    const { beforeAck, roundTrips, afterAck } = await update(3);
    expect(beforeAck).toHaveLength(3);
    expect(beforeAck[0]).toBe('BEGIN');
    expect(beforeAck[1]).toMatch(/^WITH ok AS/);
    expect(beforeAck[2]).toBe('COMMIT');
    expect(roundTrips).toBe(1);
    expect(afterAck).toEqual([]);
    // Written as the lock-reading path writes it.
    const now = await api<Encounter>(server.url, cookie, 'GET', `/api/encounters/${chart.id}`);
    expect(now.body.lines[0]!.units).toBe(3);
    expect(now.body).toEqual(room.state);
  });

  it('an append made from the kept chart writes nothing when the database no longer matches it, and the command then reads under the lock: a line changed behind the instance keeps its change', async () => {
    const { chart, room } = await openChart();
    const lineId = room.state.lines[0]!.id;
    const first = await counted(chart.id, lineId, { units: 2 }, room.state.version);
    expect(first.ack.ok).toBe(true);
    await caughtUp(room, (state) => state.lines[0]!.units === 2);
    // A change the instance never saw: its kept chart now differs from the database.
    await server.dataSource.query(
      `UPDATE claim_lines SET rationale = 'changed behind' WHERE id = $1`,
      [lineId],
    );

    const { ack, statements, roundTrips } = await counted(
      chart.id,
      lineId,
      { units: 5 },
      room.state.version,
    );
    expect(ack.ok).toBe(true);
    // The append from the kept chart (nothing written, committed), then the path that reads;
    // the first update's error count may be written meanwhile (it follows its findings).
    const command = statements.filter(
      (text) => !text.startsWith('UPDATE encounters SET error_count'),
    );
    expect(command).toHaveLength(8);
    expect(command.slice(0, 3)).toEqual(['BEGIN', expect.stringMatching(/^WITH ok AS/), 'COMMIT']);
    expect(command[5]).toMatch(/^WITH locked AS/);
    expect(roundTrips).toBe(3);
    const [line] = await server.dataSource.query<Array<{ units: number; rationale: string }>>(
      'SELECT units, rationale FROM claim_lines WHERE id = $1',
      [lineId],
    );
    expect(line).toEqual({ units: 5, rationale: 'changed behind' });
    const events = await server.dataSource.query<Array<{ seq: number }>>(
      'SELECT seq FROM encounter_events WHERE encounter_id = $1 ORDER BY seq',
      [chart.id],
    );
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('a line:update from a session that ended is refused as unauthenticated and changes nothing, though the chart is kept', async () => {
    const { chart, room } = await openChart();
    const lineId = room.state.lines[0]!.id;
    const ownCookie = await login(server.url, org.users.coder);
    const own = await connectSocket(server.url, ownCookie);
    try {
      await RoomWatcher.join(own, chart.id);
      const first = await emitAck(own, 'line:update', {
        encounterId: chart.id,
        lineId,
        patch: { units: 2 },
        ...meta(room.state.version),
      });
      expect(first.ok).toBe(true);
      await caughtUp(room, (state) => state.version === (first.ok ? first.data.seq : -1));
      await server.dataSource.query(
        `UPDATE sessions SET ended_at = now(), end_reason = 'logout' WHERE ended_at IS NULL AND id IN (SELECT id FROM sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1)`,
        [org.users.coder.id],
      );
      const refused = await emitAck(own, 'line:update', {
        encounterId: chart.id,
        lineId,
        patch: { units: 7 },
        ...meta(room.state.version),
      });
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.error.code).toBe('unauthenticated');
      const [row] = await server.dataSource.query<Array<{ version: number }>>(
        'SELECT version FROM encounters WHERE id = $1',
        [chart.id],
      );
      expect(row!.version).toBe(room.state.version);
    } finally {
      own.close();
    }
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
