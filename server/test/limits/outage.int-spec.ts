import { randomUUID } from 'node:crypto';
import type { Ack, CommandResult, Encounter } from '@countersign/shared';
import pg from 'pg';
import type { RunningServer } from '../../src/bootstrap.js';
import {
  api,
  connectSocket,
  createOrganization,
  emitAck,
  encounterBody,
  login,
  startTestApp,
  type LiveClient,
} from '../support/test-app.js';

/** The run's database, and a connection to the cluster's `postgres` database to switch it off and on. */
const testUrl = new URL(process.env.COUNTERSIGN_TEST_DB_URL ?? 'postgres://invalid/none');
const databaseName = testUrl.pathname.slice(1);
const adminUrl = new URL(testUrl);
adminUrl.pathname = '/postgres';

describe('a database outage mid-burst', () => {
  let server: RunningServer;
  let admin: pg.Client;
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    server = await startTestApp({ DB_CONNECT_TIMEOUT_MS: '1000', DB_STATEMENT_TIMEOUT_MS: '5000' });
    admin = new pg.Client({ connectionString: adminUrl.toString() });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.query(`ALTER DATABASE "${databaseName}" ALLOW_CONNECTIONS true`);
    await admin.end();
    sockets.forEach((s) => s.close());
    await server.stop();
  });

  async function databaseDown(): Promise<void> {
    await admin.query(`ALTER DATABASE "${databaseName}" ALLOW_CONNECTIONS false`);
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [databaseName],
    );
  }
  const databaseUp = () => admin.query(`ALTER DATABASE "${databaseName}" ALLOW_CONNECTIONS true`);

  it('answers unavailable with a retry hint, recovers by itself, and loses nothing acknowledged', async () => {
    const org = await createOrganization(server.dataSource, 'Outage Clinic');
    const supervisor = await login(server.url, org.users.supervisor);
    const chart = (
      await api<Encounter>(
        server.url,
        supervisor,
        'POST',
        '/api/encounters',
        encounterBody({ coderId: org.users.coder.id }),
      )
    ).body;
    const cookie = await login(server.url, org.users.coder);
    const socket = await connectSocket(server.url, cookie);
    sockets.push(socket);
    expect((await emitAck(socket, 'room:join', { encounterId: chart.id })).ok).toBe(true);

    const acknowledged = new Set<string>();
    const answers = new Map<string, number>();
    let version = 1;
    /** One comment command; remembers what the server acknowledged. */
    const send = async (): Promise<Ack<CommandResult>> => {
      const opId = randomUUID();
      const ack = await emitAck(socket, 'comment:add', {
        encounterId: chart.id,
        baseVersion: version,
        opId,
        lineId: null,
        body: 'during the burst',
        mentions: [],
      });
      const code = ack.ok ? 'ok' : ack.error.code;
      answers.set(code, (answers.get(code) ?? 0) + 1);
      if (ack.ok) {
        acknowledged.add(opId);
        version = ack.data.seq;
      }
      return ack;
    };

    for (let i = 0; i < 10; i++) expect((await send()).ok).toBe(true);

    await databaseDown();
    const refused = await send();
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'unavailable', details: { retryAfter: expect.any(Number) } },
    });
    const rest = await fetch(`${server.url}/api/encounters/${chart.id}`, { headers: { cookie } });
    expect(rest.status).toBe(503);
    expect(Number(rest.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await rest.json()) as { code: string }).code).toBe('unavailable');
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(503);
    // The socket is kept (the session could not be checked, so nobody is signed out).
    expect(socket.connected).toBe(true);
    for (let i = 0; i < 5; i++) expect((await send()).ok).toBe(false);

    await databaseUp();
    // The server recovers by itself: the pool opens new connections on the next command.
    const deadline = Date.now() + 15_000;
    while (!(await send()).ok) {
      if (Date.now() > deadline) throw new Error('the server did not recover');
      await new Promise((r) => setTimeout(r, 200));
    }
    for (let i = 0; i < 10; i++) expect((await send()).ok).toBe(true);
    expect((await api(server.url, cookie, 'GET', `/api/encounters/${chart.id}`)).status).toBe(200);

    const rows: Array<{ op_id: string }> = await server.dataSource.query(
      'SELECT op_id FROM encounter_events WHERE encounter_id = $1 AND op_id IS NOT NULL',
      [chart.id],
    );
    const stored = new Set(rows.map((r) => r.op_id));
    const lost = [...acknowledged].filter((opId) => !stored.has(opId));
    console.log(
      `outage: answers ${JSON.stringify(Object.fromEntries(answers))}; ${acknowledged.size} acknowledged, ${lost.length} lost`,
    );
    expect(answers.get('internal') ?? 0).toBe(0);
    expect(acknowledged.size).toBeGreaterThanOrEqual(21);
    expect(lost).toEqual([]);
  });

  it('shuts down in under two seconds while the database is away', async () => {
    const doomed = await startTestApp({ DB_CONNECT_TIMEOUT_MS: '5000' });
    const org = await createOrganization(doomed.dataSource, 'Shutdown Clinic');
    const cookie = await login(doomed.url, org.users.coder);
    const socket = await connectSocket(doomed.url, cookie);
    sockets.push(socket);
    await databaseDown();
    try {
      // A request waiting on the dead database while the server stops.
      const pending = fetch(`${doomed.url}/api/encounters`, { headers: { cookie } }).catch(
        () => null,
      );
      await new Promise((r) => setTimeout(r, 100));
      const started = performance.now();
      await doomed.stop();
      const stopMs = performance.now() - started;
      console.log(`shutdown with the database away: ${stopMs.toFixed(0)} ms`);
      expect(stopMs).toBeLessThan(2000);
      await pending;
    } finally {
      await databaseUp();
    }
  });
});
