import type { Encounter, SessionEndReason } from '@countersign/shared';
import type { RunningServer } from '../../src/bootstrap.js';
import { SessionsService } from '../../src/auth/sessions.service.js';
import {
  api,
  connectSocket,
  createOrganization,
  emitAck,
  encounterBody,
  login,
  meta,
  startTestApp,
  type LiveClient,
  type TestOrganization,
  type TestUser,
} from '../support/test-app.js';

/** Needs Redis: TEST_REDIS_URL, else REDIS_URL, else the default local port. */
const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** How fast an ended session must stop working everywhere. */
const BOUND_MS = 1000;

interface Ending {
  reason: SessionEndReason | null;
  disconnectedAfterMs: number;
}

/** Resolves when the server disconnects `socket`, with the `session:ended` reason it sent first and the time since `from`. */
function ended(socket: LiveClient, from: () => number): Promise<Ending> {
  let reason: SessionEndReason | null = null;
  socket.on('session:ended', (e) => (reason = e.reason));
  return new Promise((resolve) =>
    socket.once('disconnect', (why) => {
      if (why === 'io server disconnect')
        resolve({ reason, disconnectedAfterMs: performance.now() - from() });
    }),
  );
}

describe('revocable sessions across two instances sharing Postgres and Redis', () => {
  let first: RunningServer;
  let second: RunningServer;
  let org: TestOrganization;
  let encounter: Encounter;
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    first = await startTestApp({ REDIS_URL: redisUrl });
    second = await startTestApp({ REDIS_URL: redisUrl });
    org = await createOrganization(first.dataSource, 'Session Clinic');
    const supervisor = await login(first.url, org.users.supervisor);
    encounter = (
      await api<Encounter>(
        first.url,
        supervisor,
        'POST',
        '/api/encounters',
        encounterBody({ coderId: org.users.coder.id }),
      )
    ).body;
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await Promise.all([first.stop(), second.stop()]);
  });

  /** A person signed in on the first instance, with a socket in the chart's room on the second. */
  async function signedInOnBoth(user: Pick<TestUser, 'email' | 'password'>) {
    const cookie = await login(first.url, user);
    const socket = await connectSocket(second.url, cookie);
    sockets.push(socket);
    const joined = await emitAck(socket, 'room:join', { encounterId: encounter.id });
    expect(joined.ok).toBe(true);
    return { cookie, socket };
  }

  /** After `end`, REST on both instances answers 401 and the socket on the other instance is gone, all within the bound. */
  async function expectEndedEverywhere(
    cookie: string,
    socket: LiveClient,
    end: () => Promise<unknown>,
    reason: SessionEndReason,
  ) {
    let startedAt = 0;
    const gone = ended(socket, () => startedAt);
    startedAt = performance.now();
    await end();
    const [restFirst, restSecond, ending] = await Promise.all([
      api(first.url, cookie, 'GET', '/api/encounters'),
      api(second.url, cookie, 'GET', `/api/encounters/${encounter.id}`),
      gone,
    ]);
    const restMs = performance.now() - startedAt;
    console.log(
      `session ended (${reason}): socket on the other instance disconnected after ${ending.disconnectedAfterMs.toFixed(0)} ms`,
    );
    expect(restFirst.status).toBe(401);
    expect(restSecond.status).toBe(401);
    expect(ending.reason).toBe(reason);
    expect(ending.disconnectedAfterMs).toBeLessThan(BOUND_MS);
    expect(restMs).toBeLessThan(BOUND_MS + 500);
    await expect(connectSocket(second.url, cookie)).rejects.toThrow('unauthenticated');
  }

  it('logout on one instance ends REST and socket access on both within a second', async () => {
    const { cookie, socket } = await signedInOnBoth(org.users.coder);
    expect((await api(second.url, cookie, 'GET', '/api/encounters')).status).toBe(200);
    await expectEndedEverywhere(
      cookie,
      socket,
      () => api(first.url, cookie, 'POST', '/api/auth/logout'),
      'logout',
    );
  });

  it('a session past its lifetime ends within a second, unattended socket included', async () => {
    const { cookie, socket } = await signedInOnBoth(org.users.coder);
    await expectEndedEverywhere(
      cookie,
      socket,
      () =>
        first.dataSource.query(
          'UPDATE sessions SET expires_at = now() WHERE user_id = $1 AND ended_at IS NULL',
          [org.users.coder.id],
        ),
      'expired',
    );
    const [row] = await first.dataSource.query(
      `SELECT end_reason FROM sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1`,
      [org.users.coder.id],
    );
    expect(row.end_reason).toBe('expired');
  });

  it('a session idle longer than the idle period ends within a second and is recorded as idle', async () => {
    const { cookie, socket } = await signedInOnBoth(org.users.coder);
    await expectEndedEverywhere(
      cookie,
      socket,
      () =>
        first.dataSource.query(
          `UPDATE sessions SET last_activity_at = now() - interval '16 minutes' WHERE user_id = $1 AND ended_at IS NULL`,
          [org.users.coder.id],
        ),
      'idle',
    );
    const [row] = await first.dataSource.query(
      `SELECT end_reason FROM sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1`,
      [org.users.coder.id],
    );
    expect(row.end_reason).toBe('idle');
  });

  it('a role change by an admin ends the person’s sessions everywhere; the new role applies from the next sign-in', async () => {
    const other = await createOrganization(first.dataSource, 'Role Clinic');
    const admin = await login(first.url, other.users.admin);
    const reviewer = other.users.reviewer;
    const cookie = await login(first.url, reviewer);
    const socket = await connectSocket(second.url, cookie);
    sockets.push(socket);
    await expectEndedEverywhere(
      cookie,
      socket,
      async () =>
        expect(
          (await api(first.url, admin, 'PATCH', `/api/users/${reviewer.id}`, { role: 'coder' }))
            .status,
        ).toBe(200),
      'role_changed',
    );
    const again = await login(second.url, reviewer);
    expect(
      (await api<{ user: { role: string } }>(second.url, again, 'GET', '/api/auth/session')).body
        .user.role,
    ).toBe('coder');
  });

  it('deactivation ends the sessions everywhere and refuses the next sign-in; reactivation allows it again', async () => {
    const other = await createOrganization(first.dataSource, 'Deactivation Clinic');
    const admin = await login(second.url, other.users.admin);
    const coder = other.users.coder;
    const cookie = await login(first.url, coder);
    const socket = await connectSocket(first.url, cookie);
    sockets.push(socket);
    await expectEndedEverywhere(
      cookie,
      socket,
      async () =>
        expect(
          (await api(second.url, admin, 'PATCH', `/api/users/${coder.id}`, { active: false }))
            .status,
        ).toBe(200),
      'deactivated',
    );
    expect(
      (
        await api(first.url, null, 'POST', '/api/auth/login', {
          email: coder.email,
          password: coder.password,
        })
      ).status,
    ).toBe(401);
    expect(
      (await api(first.url, admin, 'PATCH', `/api/users/${coder.id}`, { active: true })).status,
    ).toBe(200);
    expect(
      (
        await api(first.url, null, 'POST', '/api/auth/login', {
          email: coder.email,
          password: coder.password,
        })
      ).status,
    ).toBe(200);
  });

  it('deleting the user ends the sessions everywhere within a second', async () => {
    const other = await createOrganization(first.dataSource, 'Deletion Clinic');
    const cookie = await login(first.url, other.users.coder);
    const socket = await connectSocket(second.url, cookie);
    sockets.push(socket);
    await expectEndedEverywhere(
      cookie,
      socket,
      () => first.dataSource.query('DELETE FROM users WHERE id = $1', [other.users.coder.id]),
      'expired',
    );
  });

  it('only an admin changes roles, never their own, and only in their organization', async () => {
    const supervisor = await login(first.url, org.users.supervisor);
    expect(
      (
        await api<{ code: string }>(
          first.url,
          supervisor,
          'PATCH',
          `/api/users/${org.users.coder.id}`,
          { role: 'admin' },
        )
      ).body.code,
    ).toBe('forbidden');
    const admin = await login(first.url, org.users.admin);
    expect(
      (
        await api<{ code: string }>(first.url, admin, 'PATCH', `/api/users/${org.users.admin.id}`, {
          active: false,
        })
      ).body.code,
    ).toBe('forbidden');
    const stranger = await createOrganization(first.dataSource, 'Stranger Clinic');
    expect(
      (
        await api(first.url, admin, 'PATCH', `/api/users/${stranger.users.coder.id}`, {
          role: 'admin',
        })
      ).status,
    ).toBe(404);
    expect(
      (await api(first.url, admin, 'PATCH', `/api/users/${org.users.coder.id}`, { role: 'owner' }))
        .status,
    ).toBe(400);
    expect(
      (await api(first.url, admin, 'PATCH', `/api/users/${org.users.coder.id}`, {})).status,
    ).toBe(400);
    expect(
      (await api(first.url, admin, 'PATCH', '/api/users/not-a-uuid', { role: 'coder' })).status,
    ).toBe(404);
  });
});

describe('every socket command checks the session row', () => {
  let server: RunningServer;
  let org: TestOrganization;
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    // No sweep during the test, so what refuses the command is the command's own check.
    server = await startTestApp({ SESSION_SWEEP_MS: '60000' });
    org = await createOrganization(server.dataSource, 'Check Clinic');
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await server.stop();
  });

  it('refuses a command once the session row has ended, and picks up a changed role on the next command', async () => {
    const supervisor = await login(server.url, org.users.supervisor);
    const encounter = (
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
    const line = { code: '99213', modifiers: [], pointers: ['A' as const] };
    expect(
      await emitAck(socket, 'line:add', { encounterId: encounter.id, ...meta(1), line }),
    ).toMatchObject({ ok: true });

    // The role changes in the database behind the server's back: the next handler runs as a reviewer.
    await server.dataSource.query(`UPDATE users SET role = 'reviewer' WHERE id = $1`, [
      org.users.coder.id,
    ]);
    const joined = await emitAck(socket, 'room:join', { encounterId: encounter.id });
    if (!joined.ok) throw new Error(joined.error.message);
    expect(joined.data.presence).toEqual([
      expect.objectContaining({ userId: org.users.coder.id, role: 'reviewer' }),
    ]);
    // A line command checks its session inside its own transaction and acts as the user found there.
    await server.dataSource.query(`UPDATE users SET name = 'Renamed Coder' WHERE id = $1`, [
      org.users.coder.id,
    ]);
    const renamed = await emitAck(socket, 'line:add', {
      encounterId: encounter.id,
      ...meta(2),
      line,
    });
    if (!renamed.ok) throw new Error(renamed.error.message);
    const [event] = await server.dataSource.query<Array<{ actor_name: string }>>(
      'SELECT actor_name FROM encounter_events WHERE encounter_id = $1 AND seq = $2',
      [encounter.id, renamed.data.seq],
    );
    expect(event?.actor_name).toBe('Renamed Coder');

    await server.dataSource.query(
      `UPDATE sessions SET ended_at = now(), end_reason = 'logout' WHERE user_id = $1`,
      [org.users.coder.id],
    );
    const refused = await emitAck(socket, 'line:add', {
      encounterId: encounter.id,
      ...meta(3),
      line,
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });

  it('costs one indexed query per command: prints the figure', async () => {
    const [row] = await server.dataSource.query(
      `INSERT INTO sessions (user_id, expires_at) VALUES ($1, now() + interval '1 hour') RETURNING id`,
      [org.users.admin.id],
    );
    const sessions = server.app.get(SessionsService);
    for (let i = 0; i < 50; i++) await sessions.find(row.id, org.users.admin.id);
    const rounds = 1000;
    const started = performance.now();
    for (let i = 0; i < rounds; i++)
      expect(await sessions.find(row.id, org.users.admin.id)).not.toBeNull();
    const perCheckUs = ((performance.now() - started) / rounds) * 1000;
    const baselineStarted = performance.now();
    for (let i = 0; i < rounds; i++) await server.dataSource.query('SELECT 1');
    const selectOneUs = ((performance.now() - baselineStarted) / rounds) * 1000;
    console.log(
      `session check: ${perCheckUs.toFixed(0)} µs per command vs ${selectOneUs.toFixed(0)} µs for a bare SELECT 1 round trip (means of ${rounds}, sequential)`,
    );
    expect(perCheckUs).toBeLessThan(20_000);
  });
});
