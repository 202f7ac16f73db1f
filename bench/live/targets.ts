/**
 * The two servers under test, each on a throw-away database: the app as `npm run start:prod`
 * runs it (built server/dist), with real users signed in over REST and charts created through
 * the API, and the bare reference server with the same charts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createClient } from 'redis';
import { hashPassword } from '../../server/src/auth/password.js';
import { REPO_ROOT } from '../../server/src/config/config.js';
import { startEmbeddedPostgres } from '../../server/src/database/embedded-postgres.js';
import { DEMO_ORGANIZATION } from '../../server/src/demo/demo-users.js';
import { DEMO_ENCOUNTERS } from '../../server/src/demo/demo-encounters.js';
import type { LoadTarget, RoomPlan } from './load.js';
import { log, onCleanup, ServerProcess, waitForHttp } from './processes.js';

/** The app's port (a second instance takes the next one) and the bare server's; env overrides them. */
const APP_PORT = Number(process.env.BENCH_APP_PORT || 4310);
const BARE_PORT = Number(process.env.BENCH_BARE_PORT || 4330);
const EMBEDDED_PG_PORT = 55440;
const STAMP = `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${process.pid}`;
export const RUN_DIR = join(tmpdir(), `livebench-${STAMP}`);
const APP_MAIN = new URL('../../../../server/dist/server/src/main.js', import.meta.url).href;
const BARE_MAIN = new URL('./bare-server.js', import.meta.url).href;
const PASSWORD = 'livebench-password';

export interface Layout {
  rooms: number;
  watchersPerRoom: number;
}

/** A connection to an administrative database: BENCH_DATABASE_URL, the system Postgres, or embedded. */
export async function adminDatabase(): Promise<string> {
  const configured = process.env.BENCH_DATABASE_URL;
  const url = configured || 'postgres://postgres@127.0.0.1:5432/postgres';
  try {
    await withClient(url, (client) => client.query('SELECT 1'));
    return url;
  } catch (error) {
    if (configured) throw error;
  }
  log(`No Postgres at ${url}; starting an embedded one on port ${EMBEDDED_PG_PORT}`);
  const embedded = await startEmbeddedPostgres({
    dataDir: join(REPO_ROOT, '.data', 'livebench-postgres'),
    preferredPort: EMBEDDED_PG_PORT,
    logger: { log: () => undefined, debug: () => undefined, warn: (m: string) => log(m) },
  });
  onCleanup(() => embedded.stop());
  return embedded.url;
}

/** Creates `cs_live_<stamp>_<suffix>` and drops it at clean-up; returns its URL. */
async function throwAwayDatabase(adminUrl: string, suffix: string): Promise<string> {
  const name = `cs_live_${STAMP}_${suffix}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  onCleanup(async () => {
    await withClient(adminUrl, (client) =>
      client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    );
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const CHART_LINES = 8;

/**
 * What every benchmark chart is a copy of: the demo chart with the most lines, topped up to
 * eight lines with codes of the other demo charts, so a writer at a few edits a second finds a
 * line whose last edit has come back and does not conflict with itself.
 */
const CHART = (() => {
  const base = [...DEMO_ENCOUNTERS].sort((a, b) => b.lines.length - a.lines.length)[0]!;
  const lines = [...base.lines];
  for (const line of DEMO_ENCOUNTERS.flatMap((encounter) => encounter.lines))
    if (lines.length < CHART_LINES && !lines.some((l) => l.code === line.code))
      lines.push({ ...line, pointers: ['A'] });
  return { ...base, lines };
})();

/**
 * The app on a fresh database: one instance, or two sharing a Redis (writers on the first,
 * watchers on the second). Limits are raised through their settings so they do not throttle the
 * load; the public code sets are loaded only with `codesets` (the demo catalogue and fee
 * schedule stand in, as in `SEED_DEMO` without them).
 */
/**
 * `--cpu-prof` for the servers' processes when BENCH_CPU_PROF_DIR names a directory: the profile
 * is written there when the process exits (the bench stops it with SIGTERM, which the app
 * handles). BENCH_NODE_ARGS adds other flags (`--trace-gc`; the output goes to the server's log).
 */
function cpuProfileArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  const extra = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  return [...(dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []), ...extra];
}

export async function startApp(
  adminUrl: string,
  layout: Layout,
  instances: number,
  codesets: boolean,
): Promise<LoadTarget> {
  const databaseUrl = await throwAwayDatabase(adminUrl, `app${instances}`);
  const redisUrl = instances > 1 ? await throwAwayRedis() : null;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    COOKIE_SECURE: 'false',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    SEED_DEMO: 'true',
    LOAD_PUBLIC_CODESETS: String(codesets),
    SOCKET_COMMANDS_PER_SECOND: '10000',
    SOCKET_MAX_IN_FLIGHT: '1000',
    SOCKET_REFUSALS_BEFORE_DISCONNECT: '100000',
    USER_COMMANDS_PER_MINUTE: '1000000',
    REST_REQUESTS_PER_MINUTE: '1000000',
    REST_ANONYMOUS_REQUESTS_PER_MINUTE: '1000000',
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
  };
  const servers: ServerProcess[] = [];
  const urls: string[] = [];
  // One after the other: the first runs the migrations and the seed.
  for (let i = 0; i < instances; i++) {
    const port = APP_PORT + i;
    const server = new ServerProcess(
      `app ${i + 1}`,
      APP_MAIN,
      { ...env, PORT: String(port) },
      join(RUN_DIR, `app${instances}-${i + 1}.log`),
      cpuProfileArgs(),
    );
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(server, `${url}/api/health`, codesets ? 600_000 : 120_000);
    servers.push(server);
    urls.push(url);
  }

  const people = await createPeople(databaseUrl, layout);
  const cookies = await signIn(urls[0]!, [...people.writers, ...people.watchers]);
  const rooms: RoomPlan[] = [];
  for (let r = 0; r < layout.rooms; r++) {
    const writer = people.writers[r]!;
    const writerCookie = cookies.get(writer.email)!;
    const encounterId = await createChart(urls[0]!, writerCookie, writer.id, r);
    // With several instances, as a load balancer would spread people: room r's writer on
    // instance r mod n, its watchers on the next one, so every edit crosses instances.
    rooms.push({
      encounterId,
      writerUrl: urls[r % urls.length]!,
      watcherUrl: urls[(r + 1) % urls.length]!,
      writerCookie,
      watcherCookies: people.watchers
        .slice(r * layout.watchersPerRoom, (r + 1) * layout.watchersPerRoom)
        .map((watcher) => cookies.get(watcher.email)!),
    });
  }
  return {
    name: instances > 1 ? `app (${instances} instances)` : 'app',
    databaseUrl,
    rooms,
    servers,
  };
}

interface Person {
  id: string;
  email: string;
}

/** A coder per room (its writer) and reviewers (its watchers), in the demo organization. */
async function createPeople(
  databaseUrl: string,
  layout: Layout,
): Promise<{ writers: Person[]; watchers: Person[] }> {
  const hash = await hashPassword(PASSWORD);
  return withClient(databaseUrl, async (client) => {
    const org = await client.query<{ id: string }>('SELECT id FROM organizations WHERE slug = $1', [
      DEMO_ORGANIZATION.slug,
    ]);
    const insert = async (kind: string, role: string, count: number) => {
      const { rows } = await client.query<Person>(
        `INSERT INTO users (organization_id, email, name, role, password_hash)
         SELECT $1, 'livebench-' || $2 || '-' || n || '@bench.example', 'Bench ' || $2 || ' ' || n, $3, $4
           FROM generate_series(1, $5::int) AS n ORDER BY n
         RETURNING id, email`,
        [org.rows[0]!.id, kind, role, hash, count],
      );
      return rows;
    };
    return {
      writers: await insert('writer', 'coder', layout.rooms),
      watchers: await insert('watcher', 'reviewer', layout.rooms * layout.watchersPerRoom),
    };
  });
}

/** Signs everyone in over REST (a few at a time: each is an argon2 verification). */
async function signIn(url: string, people: Person[]): Promise<Map<string, string>> {
  const cookies = new Map<string, string>();
  const queue = [...people];
  const worker = async () => {
    for (let person = queue.shift(); person; person = queue.shift()) {
      const response = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: person.email, password: PASSWORD }),
      });
      if (!response.ok) throw new Error(`sign-in ${response.status}: ${await response.text()}`);
      const session = response.headers
        .getSetCookie()
        .map((cookie) => cookie.split(';')[0]!)
        .find((cookie) => cookie.startsWith('cs_session='));
      if (!session) throw new Error('sign-in answered without a session cookie');
      cookies.set(person.email, session);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return cookies;
}

async function createChart(
  url: string,
  cookie: string,
  coderId: string,
  index: number,
): Promise<string> {
  const response = await fetch(`${url}/api/encounters`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({
      patient: {
        mrn: `LB-${index + 1}`,
        name: `Bench Patient ${index + 1}`,
        dateOfBirth: '1970-01-01',
      },
      dateOfService: CHART.dateOfService,
      provider: CHART.provider,
      placeOfService: CHART.placeOfService,
      clinicalNote: CHART.clinicalNote,
      diagnoses: CHART.diagnoses,
      lines: CHART.lines,
      coderId,
    }),
  });
  if (!response.ok) throw new Error(`create chart ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/**
 * A Redis database for the instances' stream and limits (BENCH_REDIS_URL, default db 14 of the
 * local Redis, which the app's tests do not use); the keys the app made are deleted at clean-up.
 */
async function throwAwayRedis(): Promise<string> {
  const url = process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379/14';
  onCleanup(async () => {
    const client = createClient({ url });
    await client.connect();
    try {
      const keys = ['socket.io'];
      for await (const batch of client.scanIterator({ MATCH: 'cs:*', COUNT: 1000 }))
        keys.push(...batch);
      await client.del(keys);
    } finally {
      await client.quit();
    }
  });
  return url;
}

/** The bare server on its own database, with as many charts and lines as the app's. */
export async function startBare(adminUrl: string, layout: Layout): Promise<LoadTarget> {
  const databaseUrl = await throwAwayDatabase(adminUrl, 'bare');
  const server = new ServerProcess(
    'bare server',
    BARE_MAIN,
    { PATH: process.env.PATH, DATABASE_URL: databaseUrl, PORT: String(BARE_PORT) },
    join(RUN_DIR, 'bare.log'),
    cpuProfileArgs(),
  );
  const url = `http://127.0.0.1:${BARE_PORT}`;
  await waitForHttp(server, `${url}/socket.io/?EIO=4&transport=polling`, 60_000);
  const rooms: RoomPlan[] = [];
  await withClient(databaseUrl, async (client) => {
    for (let r = 0; r < layout.rooms; r++) {
      const encounterId = randomUUID();
      const lines = CHART.lines.map(() => ({ id: randomUUID(), units: 1 }));
      await client.query('INSERT INTO bare_charts (id, version, lines) VALUES ($1, 1, $2)', [
        encounterId,
        JSON.stringify(lines),
      ]);
      rooms.push({
        encounterId,
        writerUrl: url,
        watcherUrl: url,
        writerCookie: null,
        watcherCookies: Array.from({ length: layout.watchersPerRoom }, () => null),
      });
    }
  });
  return { name: 'bare', databaseUrl, rooms, servers: [server] };
}

/**
 * The Postgres processes doing a target's work: the backends connected to its database (the
 * server's pools) and the cluster's shared WAL writer, checkpointer and background writer.
 * Autovacuum workers come and go and are not counted.
 */
export async function databaseProcesses(databaseUrl: string): Promise<number[]> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
        WHERE (datname = current_database() AND pid <> pg_backend_pid())
           OR backend_type IN ('walwriter', 'checkpointer', 'background writer')`,
    );
    return rows.map((row) => row.pid);
  });
}
