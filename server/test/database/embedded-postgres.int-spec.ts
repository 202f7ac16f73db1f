import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  EmbeddedPostgresAccessError,
  freePort,
  startEmbeddedPostgres,
  unreachableFolder,
  type EmbeddedDatabase,
} from '../../src/database/embedded-postgres.js';

const quiet = { log: () => undefined, warn: () => undefined, debug: () => undefined };

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('the embedded Postgres', () => {
  let database: EmbeddedDatabase | null = null;
  afterAll(() => database?.stop());

  it('finds a data folder another user cannot enter; as root, refuses to start there, in one line with the fix', async () => {
    const locked = mkdtempSync(join(tmpdir(), 'countersign-locked-')); // 0700, owned by whoever runs the tests
    expect(unreachableFolder(join(locked, 'postgres'), { uid: null, gid: null })).toBe(locked);
    if (process.getuid?.() !== 0) return; // Only root hands the cluster to the postgres user.
    const attempt = startEmbeddedPostgres({
      dataDir: join(locked, 'postgres'),
      preferredPort: await freePort(),
      logger: quiet,
    });
    await expect(attempt).rejects.toBeInstanceOf(EmbeddedPostgresAccessError);
    await expect(attempt).rejects.toThrow(
      new RegExp(`cannot enter ${locked}.*DATA_DIR.*DATABASE_URL`),
    );
  });

  it('is restarted by its supervisor when the postmaster dies, and stops quickly', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'countersign-supervised-'));
    chmodSync(parent, 0o755);
    database = await startEmbeddedPostgres({
      dataDir: join(parent, 'postgres'),
      preferredPort: await freePort(),
      logger: quiet,
    });
    expect(await answers(database.url)).toBe(true);

    const pid = database.pid()!;
    process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 30_000;
    while (!(database.restarts() === 1 && (await answers(database.url)))) {
      if (Date.now() > deadline) throw new Error('the embedded Postgres was not restarted');
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(database.pid()).not.toBe(pid);

    const started = performance.now();
    await database.stop();
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await answers(database.url)).toBe(false);
  });
});
