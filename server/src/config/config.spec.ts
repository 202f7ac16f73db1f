import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config.js';

describe(loadConfig.name, () => {
  const dataDir = () => mkdtempSync(join(tmpdir(), 'countersign-config-'));

  it('uses DATABASE_URL when it is set', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db:5432/app',
      SESSION_SECRET: 'x'.repeat(32),
    });
    expect(config.database).toEqual({ mode: 'url', url: 'postgres://u@db:5432/app' });
  });

  it('falls back to the embedded database and keeps one generated session secret in the data folder', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(first.database).toEqual({
      mode: 'embedded',
      dataDir: join(dir, 'postgres'),
      port: 54329,
    });
    expect(first.session.secret).toHaveLength(64);
    expect(second.session.secret).toBe(first.session.secret);
    expect(readFileSync(join(dir, 'session-secret'), 'utf8').trim()).toBe(first.session.secret);
  });

  it('loads the shipped public code sets unless LOAD_PUBLIC_CODESETS says false, and refuses another value', () => {
    const base = { DATABASE_URL: 'postgres://u@db:5432/app', SESSION_SECRET: 'x'.repeat(32) };
    expect(loadConfig(base).loadPublicCodeSets).toBe(true);
    expect(loadConfig({ ...base, LOAD_PUBLIC_CODESETS: 'false' }).loadPublicCodeSets).toBe(false);
    expect(loadConfig({ ...base, LOAD_PUBLIC_CODESETS: '1' }).loadPublicCodeSets).toBe(true);
    expect(() => loadConfig({ ...base, LOAD_PUBLIC_CODESETS: 'sometimes' })).toThrow(
      /LOAD_PUBLIC_CODESETS/,
    );
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        REDIS_URL: 'http://r',
        SESSION_SECRET: 'short',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/PORT/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL: must be a postgres/);
    expect(problems.join('\n')).toMatch(/REDIS_URL: must be a redis/);
    expect(problems.join('\n')).toMatch(/SESSION_SECRET: must be at least 32 characters/);
  });

  it('requires a session secret in production and secures cookies there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir() })).toThrow(
      'SESSION_SECRET: required in production',
    );
    const config = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 's'.repeat(40),
      DATABASE_URL: 'postgres://db/app',
    });
    expect(config.session.secureCookie).toBe(true);
  });

  it('secures cookies by default outside local development, and lets an explicit value win', () => {
    const base = { SESSION_SECRET: 's'.repeat(40), DATABASE_URL: 'postgres://db/app' };
    expect(loadConfig({ ...base, NODE_ENV: 'development' }).session.secureCookie).toBe(false);
    expect(loadConfig({ ...base, NODE_ENV: 'test' }).session.secureCookie).toBe(false);
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).session.secureCookie).toBe(true);
    expect(
      loadConfig({ ...base, NODE_ENV: 'production', COOKIE_SECURE: 'false' }).session.secureCookie,
    ).toBe(false);
    expect(
      loadConfig({ ...base, NODE_ENV: 'development', COOKIE_SECURE: 'true' }).session.secureCookie,
    ).toBe(true);
  });

  it('reads the Origin allow-list, adding the ng serve origin only in development', () => {
    const base = { SESSION_SECRET: 's'.repeat(40), DATABASE_URL: 'postgres://db/app' };
    expect(loadConfig({ ...base, NODE_ENV: 'development' }).web.allowedOrigins).toEqual([
      'http://localhost:4200',
      'http://127.0.0.1:4200',
    ]);
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).web.allowedOrigins).toEqual([]);
    expect(
      loadConfig({
        ...base,
        NODE_ENV: 'production',
        ALLOWED_ORIGINS: 'https://cs.example.org/, https://cs2.example.org:8443',
      }).web.allowedOrigins,
    ).toEqual(['https://cs.example.org', 'https://cs2.example.org:8443']);
    expect(() => loadConfig({ ...base, ALLOWED_ORIGINS: 'javascript:alert(1)' })).toThrow(
      /ALLOWED_ORIGINS/,
    );
    expect(() => loadConfig({ ...base, BODY_LIMIT: 'lots' })).toThrow(/BODY_LIMIT/);
  });
});
