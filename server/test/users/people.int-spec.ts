import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PeopleAudit, Person, PersonWithLink, TeamMember } from '@countersign/shared';
import type { RunningServer } from '../../src/bootstrap.js';
import {
  api,
  connectSocket,
  createOrganization,
  encounterBody,
  login,
  startTestApp,
  type LiveClient,
  type TestOrganization,
} from '../support/test-app.js';

/** Needs Redis (two instances): TEST_REDIS_URL, else REDIS_URL, else the default local port. */
const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const PASSWORD = 'a brand new passphrase';

describe('people: adding, links, roles, deactivation, audited', () => {
  let first: RunningServer;
  let second: RunningServer;
  let org: TestOrganization;
  let admin: string;
  const sockets: LiveClient[] = [];
  let counter = 0;

  beforeAll(async () => {
    first = await startTestApp({ REDIS_URL: redisUrl });
    second = await startTestApp({ REDIS_URL: redisUrl });
    org = await createOrganization(first.dataSource, 'People Clinic');
    admin = await login(first.url, org.users.admin);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await Promise.all([first.stop(), second.stop()]);
  });

  /** The admin adds a person with a fresh email; answers the person and the link. */
  async function add(role = 'coder', cookie = admin): Promise<PersonWithLink> {
    counter += 1;
    const response = await api<PersonWithLink>(first.url, cookie, 'POST', '/api/users', {
      name: `  New Person ${counter} `,
      email: `New.Person.${counter}.${org.id.slice(0, 8)}@People.example`,
      role,
    });
    expect(response.status).toBe(201);
    return response.body;
  }

  function setPassword(token: string, password = PASSWORD, url = first.url) {
    return api<{ email?: string; code?: string }>(url, null, 'POST', '/api/auth/set-password', {
      token,
      password,
    });
  }

  function signIn(email: string, password = PASSWORD, url = first.url) {
    return api<{ code?: string }>(url, null, 'POST', '/api/auth/login', { email, password });
  }

  async function people(): Promise<Person[]> {
    const response = await api<{ items: Person[] }>(
      first.url,
      admin,
      'GET',
      '/api/users?include=inactive',
    );
    expect(response.status).toBe(200);
    return response.body.items;
  }

  async function trail(): Promise<PeopleAudit> {
    const response = await api<PeopleAudit>(first.url, admin, 'GET', '/api/audit/people');
    expect(response.status).toBe(200);
    return response.body;
  }

  it('adds a person who opens the link, chooses a password and signs in', async () => {
    const { person, link } = await add();
    expect(person).toMatchObject({
      name: 'New Person 1',
      email: `new.person.1.${org.id.slice(0, 8)}@people.example`,
      role: 'coder',
      status: 'invited',
      lastLoginAt: null,
    });
    expect(link.path).toBe(`/set-password/${link.token}`);
    const hours = (Date.parse(link.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(71.9);
    expect(hours).toBeLessThanOrEqual(72);
    // Not yet: no password, so no sign-in with anything.
    expect((await signIn(person.email, '')).status).toBe(400);
    expect((await signIn(person.email, 'anything at all')).body.code).toBe('invalid_credentials');

    const info = await api<{ name: string; purpose: string }>(
      second.url,
      null,
      'GET',
      `/api/auth/password-links/${link.token}`,
    );
    expect(info).toMatchObject({ status: 200, body: { name: 'New Person 1', purpose: 'invite' } });

    expect((await setPassword(link.token, 'short')).body.code).toBe('validation_failed');
    const set = await setPassword(link.token);
    expect(set).toEqual({ status: 200, body: { email: person.email } });
    expect((await signIn(person.email)).status).toBe(200);
    const listed = (await people()).find((p) => p.id === person.id);
    expect(listed).toMatchObject({ status: 'active', linkExpiresAt: null });
    expect(listed?.lastLoginAt).not.toBeNull();
    // The hash only: the token is nowhere in the database.
    const stored = await first.dataSource.query<Array<{ token_hash: string }>>(
      'SELECT token_hash FROM password_links WHERE user_id = $1',
      [person.id],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).not.toContain(link.token);
    expect(stored[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a link works once, not after it expires, and not once a newer one was issued', async () => {
    const { person, link } = await add();
    expect((await setPassword(link.token)).status).toBe(200);
    const again = await setPassword(link.token, 'another long passphrase');
    expect(again).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect((await signIn(person.email, 'another long passphrase')).status).toBe(401);

    const replaced = await add();
    const newer = await api<PersonWithLink>(
      first.url,
      admin,
      'POST',
      `/api/users/${replaced.person.id}/password-link`,
    );
    expect(newer.status).toBe(201);
    expect(newer.body.person.status).toBe('invited');
    expect((await setPassword(replaced.link.token)).status).toBe(404);
    expect(
      (await api(first.url, null, 'GET', `/api/auth/password-links/${replaced.link.token}`)).status,
    ).toBe(404);

    await first.dataSource.query(
      `UPDATE password_links SET expires_at = now() - interval '1 second' WHERE user_id = $1`,
      [replaced.person.id],
    );
    expect((await setPassword(newer.body.link.token)).status).toBe(404);
    expect((await people()).find((p) => p.id === replaced.person.id)).toMatchObject({
      status: 'invited',
      linkExpiresAt: null,
    });
    // The unknown, the used, the replaced and the expired link all answer the same.
    const unknown = await setPassword('x'.repeat(43));
    expect(unknown.body).toEqual(again.body);
  });

  it('reset clears the password, ends the sessions on every instance, and the new link signs in', async () => {
    const { person, link } = await add();
    await setPassword(link.token);
    const cookie = await login(second.url, { email: person.email, password: PASSWORD });
    const socket = await connectSocket(second.url, cookie);
    sockets.push(socket);
    const ended = new Promise<string>((resolve) =>
      socket.on('session:ended', (e) => resolve(e.reason)),
    );
    const reset = await api<PersonWithLink>(
      first.url,
      admin,
      'POST',
      `/api/users/${person.id}/password-link`,
    );
    expect(reset.status).toBe(201);
    expect(reset.body.person.status).toBe('invited');
    expect(await ended).toBe('password_reset');
    expect((await api(second.url, cookie, 'GET', '/api/auth/session')).status).toBe(401);
    expect((await signIn(person.email)).status).toBe(401);
    expect((await setPassword(reset.body.link.token, 'the reset passphrase')).status).toBe(200);
    expect((await signIn(person.email, 'the reset passphrase', second.url)).status).toBe(200);
  });

  it('a deactivated person is signed out on the other instance and cannot sign in; their name stays on history', async () => {
    const { person, link } = await add('supervisor');
    await setPassword(link.token);
    const cookie = await login(second.url, { email: person.email, password: PASSWORD });
    const created = await api<{ id: string }>(
      second.url,
      cookie,
      'POST',
      '/api/encounters',
      encounterBody(),
    );
    expect(created.status).toBe(201);
    const deactivated = await api<Person>(first.url, admin, 'PATCH', `/api/users/${person.id}`, {
      active: false,
    });
    expect(deactivated.body.status).toBe('deactivated');
    expect((await api(second.url, cookie, 'GET', '/api/auth/session')).status).toBe(401);
    expect((await signIn(person.email, PASSWORD, second.url)).body.code).toBe(
      'invalid_credentials',
    );
    // A link cannot be issued to (nor used by) a deactivated person.
    expect(
      (await api(first.url, admin, 'POST', `/api/users/${person.id}/password-link`)).status,
    ).toBe(409);
    const [event] = await first.dataSource.query<Array<{ actor_name: string }>>(
      `SELECT actor_name FROM encounter_events WHERE encounter_id = $1 ORDER BY seq LIMIT 1`,
      [created.body.id],
    );
    expect(event?.actor_name).toBe(person.name);
    expect((await people()).find((p) => p.id === person.id)?.name).toBe(person.name);
    await api(first.url, admin, 'PATCH', `/api/users/${person.id}`, { active: true });
    expect((await signIn(person.email, PASSWORD, second.url)).status).toBe(200);
  });

  it('deactivating an invited person revokes their link for good', async () => {
    const { person, link } = await add();
    await api(first.url, admin, 'PATCH', `/api/users/${person.id}`, { active: false });
    expect((await setPassword(link.token)).status).toBe(404);
    await api(first.url, admin, 'PATCH', `/api/users/${person.id}`, { active: true });
    expect((await setPassword(link.token)).status).toBe(404);
    expect((await people()).find((p) => p.id === person.id)).toMatchObject({
      status: 'invited',
      linkExpiresAt: null,
    });
  });

  it('refuses non-admins, self lock-out, and operator changes by an organization admin', async () => {
    const supervisor = await login(first.url, org.users.supervisor);
    const body = { name: 'Nobody', email: 'nobody@people.example', role: 'coder' };
    expect(
      (await api<{ code: string }>(first.url, supervisor, 'POST', '/api/users', body)).body.code,
    ).toBe('forbidden');
    expect((await api(first.url, supervisor, 'GET', '/api/users?include=inactive')).status).toBe(
      403,
    );
    expect(
      (await api(first.url, supervisor, 'POST', `/api/users/${org.users.coder.id}/password-link`))
        .status,
    ).toBe(403);
    expect((await api(first.url, supervisor, 'GET', '/api/audit/people')).status).toBe(403);
    // The team list without include stays open to everyone.
    expect(
      (await api<{ items: TeamMember[] }>(first.url, supervisor, 'GET', '/api/users')).status,
    ).toBe(200);

    expect(
      (await api(first.url, admin, 'POST', `/api/users/${org.users.admin.id}/password-link`))
        .status,
    ).toBe(403);
    expect(
      (await api(first.url, admin, 'POST', '/api/users', { ...body, role: 'operator' })).status,
    ).toBe(403);
    expect(
      (await api(first.url, admin, 'POST', `/api/users/${org.users.operator.id}/password-link`))
        .status,
    ).toBe(403);
    const operator = await login(first.url, org.users.operator);
    const added = await add('operator', operator);
    expect(added.person.role).toBe('operator');
    const stranger = await createOrganization(first.dataSource, 'Stranger People');
    expect(
      (await api(first.url, admin, 'POST', `/api/users/${stranger.users.coder.id}/password-link`))
        .status,
    ).toBe(404);
  });

  it('refuses a taken email with a field error and bad input by field, changing nothing', async () => {
    const before = (await people()).length;
    const taken = await api<{ code: string; details: { issues: Array<{ path: string }> } }>(
      first.url,
      admin,
      'POST',
      '/api/users',
      { name: 'Copy', email: org.users.coder.email.toUpperCase(), role: 'coder' },
    );
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('conflict');
    expect(taken.body.details.issues).toEqual([{ path: 'email', message: expect.any(String) }]);
    const bad = await api<{ details: { issues: Array<{ path: string }> } }>(
      first.url,
      admin,
      'POST',
      '/api/users',
      { name: ' ', email: 'not an email', role: 'owner' },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.details.issues.map((i) => i.path).sort()).toEqual(['email', 'name', 'role']);
    expect((await people()).length).toBe(before);
  });

  it('audits every action, naming who and whom, never the token or password, and the chain verifies', async () => {
    const before = (await trail()).chain.events;
    const { person, link } = await add('reviewer');
    await setPassword(link.token);
    await api(first.url, admin, 'PATCH', `/api/users/${person.id}`, { role: 'supervisor' });
    await api(first.url, admin, 'PATCH', `/api/users/${person.id}`, { active: false });
    await api(first.url, admin, 'PATCH', `/api/users/${person.id}`, { active: true });
    const reset = await api<PersonWithLink>(
      first.url,
      admin,
      'POST',
      `/api/users/${person.id}/password-link`,
    );
    const audit = await trail();
    expect(audit.chain).toMatchObject({ ok: true, brokenAt: null, events: before + 7 });
    const mine = audit.events.filter((e) => e.subjectId === person.id).reverse();
    expect(mine.map((e) => [e.type, e.actorName])).toEqual([
      ['person.added', org.users.admin.name],
      ['person.password_link_issued', org.users.admin.name],
      ['person.password_set', person.name],
      ['person.role_changed', org.users.admin.name],
      ['person.deactivated', org.users.admin.name],
      ['person.reactivated', org.users.admin.name],
      ['person.password_link_issued', org.users.admin.name],
    ]);
    expect(mine[3]!.payload).toEqual({ from: 'reviewer', to: 'supervisor' });
    expect(mine[6]!.payload).toMatchObject({ purpose: 'reset' });
    const stored = JSON.stringify(
      await first.dataSource.query('SELECT * FROM people_events WHERE subject_id = $1', [
        person.id,
      ]),
    );
    for (const secret of [link.token, reset.body.link.token, PASSWORD])
      expect(stored).not.toContain(secret);

    // Append-only: not even the owner deletes an entry.
    await expect(
      first.dataSource.query(`DELETE FROM people_events WHERE subject_id = $1`, [person.id]),
    ).rejects.toThrow(/append-only|permission denied/);
  });
});

/** Runs `npm run people:add-admin`'s built entry point against this file's database. */
function runAddAdmin(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = join(
    dirname(fileURLToPath(import.meta.url)),
    ...['..', '..', 'dist', 'server', 'src', 'users', 'add-admin.cli.js'],
  );
  const child = spawn(process.execPath, [cli, ...args], {
    env: {
      ...process.env,
      DATABASE_URL: process.env.COUNTERSIGN_TEST_DB_URL,
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      SESSION_SECRET: 'integration-test-secret-0123456789abcdef',
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) =>
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr })),
  );
}

describe('a new team starts from the command line', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startTestApp();
  });
  afterAll(() => server.stop());

  it('adds the first admin of a new organization with a link that signs them in', async () => {
    const email = `first.${Date.now()}@newteam.example`;
    const args = ['--organization', 'New Team Coding', '--name', 'First Admin', '--email', email];
    const added = await runAddAdmin([...args, '--url', 'https://cs.newteam.example']);
    expect(added.code).toBe(0);
    const token = /https:\/\/cs\.newteam\.example\/set-password\/([A-Za-z0-9_-]{43})/.exec(
      added.stdout,
    )?.[1];
    expect(token).toBeDefined();
    expect((await signInAt(server.url, email)).status).toBe(401);
    expect(
      (await api(server.url, null, 'POST', '/api/auth/set-password', { token, password: PASSWORD }))
        .status,
    ).toBe(200);
    const cookie = await login(server.url, { email, password: PASSWORD });
    const session = await api<{ user: { role: string; organizationName: string } }>(
      server.url,
      cookie,
      'GET',
      '/api/auth/session',
    );
    expect(session.body.user).toMatchObject({ role: 'admin', organizationName: 'New Team Coding' });
    const again = await runAddAdmin(args);
    expect(again).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('already has this email'),
    });
  });
});

function signInAt(url: string, email: string) {
  return api(url, null, 'POST', '/api/auth/login', { email, password: PASSWORD });
}

describe('set-password links are braked like sign-in', () => {
  let server: RunningServer;

  beforeAll(async () => {
    // No Redis: the brake counts in this file's own database, braking no other test's address.
    server = await startTestApp({ LOGIN_FREE_FAILURES: '2' });
  });
  afterAll(() => server.stop());

  it('refuses rate_limited after a few wrong tokens from one address', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await api<{ code: string }>(
        server.url,
        null,
        'POST',
        '/api/auth/set-password',
        {
          token: `wrong-token-${i}`.padEnd(43, 'y'),
          password: PASSWORD,
        },
      );
      codes.push(response.body.code);
    }
    expect(codes.slice(0, 2)).toEqual(['not_found', 'not_found']);
    expect(codes).toContain('rate_limited');
  });
});
