import { randomUUID } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import type { ClientToServerEvents, Role, ServerToClientEvents } from '@countersign/shared';
import { io, type Socket } from 'socket.io-client';
import type { DataSource } from 'typeorm';
import { startServer, type RunningServer } from '../bootstrap.js';
import { hashPassword } from '../auth/password.js';
import { loadConfig } from '../config/config.js';

export type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestUser {
  id: string;
  email: string;
  password: string;
  name: string;
  role: Role;
}

export interface TestOrganization {
  id: string;
  users: Record<Role, TestUser>;
}

/**
 * Limits high enough that tests which drive the protocol hard (convergence, fuzzing) are not
 * refused; the limit tests (test/limits) set their own.
 */
export const GENEROUS_LIMITS: Record<string, string> = {
  SOCKET_COMMANDS_PER_SECOND: '10000',
  SOCKET_MAX_IN_FLIGHT: '1000',
  USER_COMMANDS_PER_MINUTE: '1000000',
  REST_REQUESTS_PER_MINUTE: '1000000',
  REST_ANONYMOUS_REQUESTS_PER_MINUTE: '1000000',
  LOGIN_FREE_FAILURES: '1000',
};

/** A real server (HTTP + sockets) on a free port against `databaseUrl`; silent unless given a logger. */
export async function startLocalApp(
  databaseUrl: string,
  env: Record<string, string> = {},
  logger: LoggerService | false = false,
): Promise<RunningServer> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    SESSION_SECRET: 'integration-test-secret-0123456789abcdef',
    SEED_DEMO: 'false',
    LOAD_PUBLIC_CODESETS: 'false',
    CLIENT_DIST: '/nonexistent',
    ...GENEROUS_LIMITS,
    ...env,
  });
  return startServer(config, logger as never);
}

let passwordHash: Promise<string> | null = null;
const PASSWORD = 'correct horse battery staple';

/** A new organization with one user per role; names and emails are unique to it. */
export async function createOrganization(
  dataSource: DataSource,
  label = 'Clinic',
): Promise<TestOrganization> {
  const suffix = randomUUID().slice(0, 8);
  const hash = await (passwordHash ??= hashPassword(PASSWORD));
  const [org] = await dataSource.query<[{ id: string }]>(
    'INSERT INTO organizations (name, slug) VALUES ($1, $2) RETURNING id',
    [`${label} ${suffix}`, `${label.toLowerCase().replace(/\W+/g, '-')}-${suffix}`],
  );
  const users = {} as Record<Role, TestUser>;
  for (const role of ['coder', 'reviewer', 'supervisor', 'admin', 'operator'] as const) {
    const email = `${role}.${suffix}@${label.toLowerCase().replace(/\W+/g, '')}.example`;
    const name = `${role[0]!.toUpperCase()}${role.slice(1)} ${suffix}`;
    const [row] = await dataSource.query<[{ id: string }]>(
      'INSERT INTO users (organization_id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [org.id, email, name, role, hash],
    );
    users[role] = { id: row.id, email, password: PASSWORD, name, role };
  }
  return { id: org.id, users };
}

/** Signs in over HTTP and returns the session cookie (`name=value`). */
export async function login(
  baseUrl: string,
  user: Pick<TestUser, 'email' | 'password'>,
): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  if (response.status !== 200)
    throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const setCookie = response.headers.get('set-cookie') ?? '';
  return setCookie.split(';')[0]!;
}

/** A JSON API call with the session cookie. */
export async function api<T = unknown>(
  baseUrl: string,
  cookie: string | null,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(cookie ? { cookie } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

/** A socket.io client that authenticates with the session cookie; resolves once connected. */
export function connectSocket(
  baseUrl: string,
  cookie: string | null,
  options: { reconnection?: boolean } = {},
): Promise<LiveClient> {
  const socket: LiveClient = io(baseUrl, {
    transports: ['websocket'],
    extraHeaders: cookie ? { cookie } : {},
    reconnection: options.reconnection ?? false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

type AckedEvent = Exclude<keyof ClientToServerEvents, 'presence:focus'>;

/** Emits a command and waits for its ack. */
export function emitAck<E extends AckedEvent>(
  socket: LiveClient,
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0],
): Promise<Parameters<Parameters<ClientToServerEvents[E]>[1]>[0]> {
  return new Promise((resolve) => {
    (socket.emit as (e: string, p: unknown, ack: (r: unknown) => void) => void)(
      event,
      payload,
      (response) => resolve(response as Parameters<Parameters<ClientToServerEvents[E]>[1]>[0]),
    );
  });
}

/** Resolves when `predicate` holds, polling every 20 ms, or rejects after `ms`. */
export async function eventually(
  predicate: () => boolean,
  ms = 5000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The `If-Match` header every REST change to an encounter carries. */
export function ifMatch(version: number): Record<string, string> {
  return { 'if-match': `"${version}"` };
}

/** The version and a fresh operation id every command carries. */
export function meta(version: number): { baseVersion: number; opId: string } {
  return { baseVersion: version, opId: randomUUID() };
}

/** A valid encounter body for POST /api/encounters. */
export function encounterBody(overrides: Record<string, unknown> = {}) {
  return {
    patient: {
      mrn: `MRN-${randomUUID().slice(0, 6)}`,
      name: 'Jordan Example',
      dateOfBirth: '1968-04-12',
    },
    dateOfService: '2026-03-02',
    provider: { name: 'Dana Whitfield, MD', npi: '1234567893' },
    placeOfService: '11',
    clinicalNote: 'Established patient seen for knee pain.',
    diagnoses: ['M17.11', 'E11.9'],
    ...overrides,
  };
}
