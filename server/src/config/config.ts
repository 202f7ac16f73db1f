import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Root of the repository (server/src/config -> ../../..; dist adds two levels, found by walking up). */
export const REPO_ROOT = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

const booleanish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** Where the embedded Postgres keeps its data and the generated session secret lives. */
  DATA_DIR: z.string().min(1).default(join(REPO_ROOT, '.data')),
  /** Port of the embedded Postgres; a free port is chosen when it is taken. */
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Longest a sign-in lasts, however active the person is. */
  SESSION_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(12 * 60),
  /** Automatic logoff after this long without keyboard or mouse activity (HIPAA 164.312(a)(2)(iii)). */
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  /** How often each instance looks for ended sessions among its sockets (expiry, idle, deleted users). */
  SESSION_SWEEP_MS: z.coerce.number().int().min(100).max(60_000).default(500),
  /**
   * Commands one socket may send per second, and how many may wait for their answer at once
   * (per socket, and per user on each instance: keep it well under DB_POOL_SIZE).
   */
  SOCKET_COMMANDS_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(20),
  SOCKET_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(1000).default(4),
  /** Refusals within ten seconds after which a socket that keeps flooding is disconnected. */
  SOCKET_REFUSALS_BEFORE_DISCONNECT: z.coerce.number().int().min(1).max(100_000).default(50),
  /** Commands one user may send per minute across all sockets and instances. */
  USER_COMMANDS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** REST requests per minute: per signed-in user, and per source address without a session. */
  REST_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  REST_ANONYMOUS_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(120),
  /** Wrong passwords for one account from one address before each further one adds a growing delay. */
  LOGIN_FREE_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  /** Database pool: size, how long a request waits for a connection, and the longest a statement may run. */
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /** Secure cookies need HTTPS; on by default outside local development (NODE_ENV=development or test). */
  COOKIE_SECURE: booleanish.optional(),
  /**
   * Web origins, besides the server's own, whose pages may write (REST POST/PUT/PATCH/DELETE)
   * and open sockets: comma-separated `https://host[:port]`. Development adds the ng serve origin.
   */
  ALLOWED_ORIGINS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ protocol: /^https?$/ }).transform((origin) => new URL(origin).origin)))
    .optional(),
  /** Largest JSON request body, e.g. `1mb`, `256kb`. */
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'a size such as 1mb or 256kb')
    .default('1mb'),
  SEED_DEMO: booleanish.default(true),
  /** Load the public code sets shipped in codesets/ on first start; off for an organization that loads its own editions. */
  LOAD_PUBLIC_CODESETS: booleanish.default(true),
  CLIENT_DIST: z.string().default(join(REPO_ROOT, 'client', 'dist', 'client', 'browser')),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
});

export type DatabaseConfig =
  { mode: 'url'; url: string } | { mode: 'embedded'; dataDir: string; port: number };

/** Rates and caps that keep one user or one socket from starving the others. */
export interface LimitsConfig {
  socketCommandsPerSecond: number;
  socketMaxInFlight: number;
  socketRefusalsBeforeDisconnect: number;
  userCommandsPerMinute: number;
  restRequestsPerMinute: number;
  restAnonymousRequestsPerMinute: number;
  loginFreeFailures: number;
}

/** Configuration, validated once at start. */
export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  database: DatabaseConfig;
  redisUrl: string | null;
  session: {
    secret: string;
    ttlMinutes: number;
    idleMinutes: number;
    sweepMs: number;
    secureCookie: boolean;
  };
  limits: LimitsConfig;
  pool: { size: number; connectTimeoutMs: number; statementTimeoutMs: number };
  seedDemo: boolean;
  /** Load the shipped public code sets (codesets/) at start when they are not loaded yet. */
  loadPublicCodeSets: boolean;
  clientDist: string;
  dataDir: string;
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  /** The web edge: who may write from a browser, and how large a body may be. */
  web: { allowedOrigins: string[]; bodyLimit: string };
}

/** `ng serve` of the client (client/proxy.conf.json forwards /api and /socket.io to the server). */
const DEV_CLIENT_ORIGINS = ['http://localhost:4200', 'http://127.0.0.1:4200'];

/** Thrown with every problem at once, so a person can fix the environment in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the environment. With no DATABASE_URL the server runs an embedded
 * Postgres under DATA_DIR, and a session secret is generated there once and kept; in
 * production a SESSION_SECRET must be given.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(stripEmpty(env));
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      problems.push(`${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.SESSION_SECRET) {
    problems.push('SESSION_SECRET: required in production (32 characters or more)');
  }
  if (problems.length) throw new ConfigError(problems);

  const dataDir = resolve(e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? { mode: 'url', url: e.DATABASE_URL }
      : { mode: 'embedded', dataDir: join(dataDir, 'postgres'), port: e.EMBEDDED_PG_PORT },
    redisUrl: e.REDIS_URL ?? null,
    session: {
      secret: e.SESSION_SECRET ?? persistedSecret(dataDir),
      ttlMinutes: e.SESSION_TTL_MINUTES,
      idleMinutes: e.SESSION_IDLE_MINUTES,
      sweepMs: e.SESSION_SWEEP_MS,
      secureCookie: e.COOKIE_SECURE ?? e.NODE_ENV === 'production',
    },
    limits: {
      socketCommandsPerSecond: e.SOCKET_COMMANDS_PER_SECOND,
      socketMaxInFlight: e.SOCKET_MAX_IN_FLIGHT,
      socketRefusalsBeforeDisconnect: e.SOCKET_REFUSALS_BEFORE_DISCONNECT,
      userCommandsPerMinute: e.USER_COMMANDS_PER_MINUTE,
      restRequestsPerMinute: e.REST_REQUESTS_PER_MINUTE,
      restAnonymousRequestsPerMinute: e.REST_ANONYMOUS_REQUESTS_PER_MINUTE,
      loginFreeFailures: e.LOGIN_FREE_FAILURES,
    },
    pool: {
      size: e.DB_POOL_SIZE,
      connectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
    },
    seedDemo: e.SEED_DEMO,
    loadPublicCodeSets: e.LOAD_PUBLIC_CODESETS,
    clientDist: resolve(e.CLIENT_DIST),
    dataDir,
    logLevel: e.LOG_LEVEL,
    web: {
      allowedOrigins: e.ALLOWED_ORIGINS ?? (e.NODE_ENV === 'development' ? DEV_CLIENT_ORIGINS : []),
      bodyLimit: e.BODY_LIMIT,
    },
  };
}

/** A random secret kept in the data folder, so sessions survive a restart of a local server. */
function persistedSecret(dataDir: string): string {
  const file = join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

function stripEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]),
  );
}

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'server', 'package.json')))
      return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(start, '..', '..', '..');
    dir = parent;
  }
}

/** Injection token of the AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
