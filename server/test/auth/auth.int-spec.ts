import { SESSION_COOKIE } from '@countersign/shared';
import type { RunningServer } from '../../src/bootstrap.js';
import {
  api,
  createOrganization,
  login,
  startTestApp,
  type TestOrganization,
} from '../support/test-app.js';

describe('auth', () => {
  let server: RunningServer;
  let org: TestOrganization;

  beforeAll(async () => {
    server = await startTestApp();
    org = await createOrganization(server.dataSource, 'Auth Clinic');
  });
  afterAll(() => server.stop());

  it('signs in with the right password and sets an httpOnly, SameSite session cookie', async () => {
    const response = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: org.users.coder.email.toUpperCase(),
        password: org.users.coder.password,
      }),
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const body = (await response.json()) as { user: Record<string, unknown> };
    expect(body.user).toMatchObject({
      id: org.users.coder.id,
      role: 'coder',
      organizationId: org.id,
    });
    expect(body.user.passwordHash).toBeUndefined();
  });

  it('refuses a wrong password and an unknown email with the same answer', async () => {
    const wrong = await api(server.url, null, 'POST', '/api/auth/login', {
      email: org.users.coder.email,
      password: 'nope',
    });
    const unknown = await api(server.url, null, 'POST', '/api/auth/login', {
      email: 'nobody@nowhere.example',
      password: 'nope',
    });
    expect(wrong).toEqual({
      status: 401,
      body: { code: 'invalid_credentials', message: 'Email or password is not right' },
    });
    expect(unknown).toEqual(wrong);
  });

  it('explains a malformed login body field by field', async () => {
    const response = await api<{ code: string; message: string }>(
      server.url,
      null,
      'POST',
      '/api/auth/login',
      { email: 'not-an-email' },
    );
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    expect(response.body.message).toContain('email');
    expect(response.body.message).toContain('password');
  });

  it('answers the session for a valid cookie and 401 without one or with a forged one', async () => {
    const cookie = await login(server.url, org.users.reviewer);
    const session = await api<{ user: { id: string } }>(
      server.url,
      cookie,
      'GET',
      '/api/auth/session',
    );
    expect(session.status).toBe(200);
    expect(session.body.user.id).toBe(org.users.reviewer.id);

    expect((await api(server.url, null, 'GET', '/api/auth/session')).status).toBe(401);
    const [name, value] = cookie.split('=');
    const forged = `${name}=${value!.slice(0, -2)}xx`;
    expect(await api(server.url, forged, 'GET', '/api/encounters')).toEqual({
      status: 401,
      body: { code: 'unauthenticated', message: 'Your session has ended; sign in again' },
    });
  });

  it('logs out by ending the session on the server and clearing the cookie', async () => {
    const cookie = await login(server.url, org.users.supervisor);
    const response = await fetch(`${server.url}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('set-cookie')).toMatch(
      new RegExp(`${SESSION_COOKIE}=;.*Expires=Thu, 01 Jan 1970`, 'i'),
    );
    // The old cookie, kept by someone, no longer works.
    expect((await api(server.url, cookie, 'GET', '/api/auth/session')).status).toBe(401);
    expect((await fetch(`${server.url}/api/auth/logout`, { method: 'POST' })).status).toBe(204);
  });

  it('serves health without a session and the OpenAPI document', async () => {
    expect(await api(server.url, null, 'GET', '/api/health')).toMatchObject({
      status: 200,
      body: { status: 'ok', database: 'up' },
    });
    const docs = await api<{ openapi: string; paths: Record<string, unknown> }>(
      server.url,
      null,
      'GET',
      '/api/docs-json',
    );
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/api/auth/login', '/api/encounters', '/api/encounters/{id}']),
    );
    const ui = await fetch(`${server.url}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });
});
