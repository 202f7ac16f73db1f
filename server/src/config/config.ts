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
  SESSION_TTL_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  /** Secure cookies need HTTPS; on by default in production. */
  COOKIE_SECURE: booleanish.optional(),
  SEED_DEMO: booleanish.default(true),
  /** Load the public code sets shipped in codesets/ on first start; off for an organization that loads its own editions. */
  LOAD_PUBLIC_CODESETS: booleanish.default(true),
  CLIENT_DIST: z.string().default(join(REPO_ROOT, 'client', 'dist', 'client', 'browser')),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
});

export type DatabaseConfig = { mode: 'url'; url: string } | { mode: 'embedded'; dataDir: string; port: number };

/** Configuration, validated once at start. */
export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  database: DatabaseConfig;
  redisUrl: string | null;
  session: { secret: string; ttlMinutes: number; secureCookie: boolean };
  seedDemo: boolean;
  /** Load the shipped public code sets (codesets/) at start when they are not loaded yet. */
  loadPublicCodeSets: boolean;
  clientDist: string;
  dataDir: string;
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
}

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
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
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
      secureCookie: e.COOKIE_SECURE ?? e.NODE_ENV === 'production',
    },
    seedDemo: e.SEED_DEMO,
    loadPublicCodeSets: e.LOAD_PUBLIC_CODESETS,
    clientDist: resolve(e.CLIENT_DIST),
    dataDir,
    logLevel: e.LOG_LEVEL,
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
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]));
}

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'migrations'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(start, '..', '..', '..');
    dir = parent;
  }
}

/** Injection token of the AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
