import { jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EmbeddedPostgresAccessError,
  freePort,
  recoverFromKilledRun,
  unreachableFolder,
} from './embedded-postgres.js';

describe(recoverFromKilledRun.name, () => {
  const logger = { warn: jest.fn() };

  it('removes a pid file whose process is gone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'countersign-pg-'));
    // A pid far above the default pid_max: no such process.
    writeFileSync(join(dir, 'postmaster.pid'), '4194000\n/data\n');
    recoverFromKilledRun(dir, logger);
    expect(existsSync(join(dir, 'postmaster.pid'))).toBe(false);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('stale'));
  });

  it('removes a pid file that names a live process which is not postgres', () => {
    const dir = mkdtempSync(join(tmpdir(), 'countersign-pg-'));
    const sleeper = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, 'postmaster.pid'), `${sleeper.pid}\n/data\n`);
      recoverFromKilledRun(dir, logger);
      expect(existsSync(join(dir, 'postmaster.pid'))).toBe(false);
      expect(sleeper.exitCode).toBeNull();
    } finally {
      sleeper.kill();
    }
  });

  it('leaves a data folder without a pid file alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'countersign-pg-'));
    expect(() => recoverFromKilledRun(dir, logger)).not.toThrow();
  });
});

describe(freePort.name, () => {
  it('finds a port that can be listened on, and gives it back closed', async () => {
    const port = await freePort();
    // Listening on exactly that port succeeds (0 would mean "any port" and get another one).
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    try {
      expect(server.address()).toMatchObject({ port });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe(unreachableFolder.name, () => {
  const postgres = { uid: 999, gid: 999 };
  const tree: Record<string, { mode: number; uid: number; gid: number }> = {
    '/': { mode: 0o40755, uid: 0, gid: 0 },
    '/root': { mode: 0o40700, uid: 0, gid: 0 },
    '/root/countersign': { mode: 0o40755, uid: 0, gid: 0 },
    '/srv': { mode: 0o40755, uid: 0, gid: 0 },
    '/srv/countersign': { mode: 0o40750, uid: 0, gid: 999 },
    '/srv/private': { mode: 0o40750, uid: 0, gid: 0 },
  };
  const stat = (path: string) => {
    const info = tree[path];
    if (!info) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    return info;
  };

  it('names the folder the postgres user cannot enter (a clone under /root)', () => {
    expect(unreachableFolder('/root/countersign/.data/postgres', postgres, stat)).toBe('/root');
  });

  it('lets the user through a folder of its group and into folders not created yet', () => {
    expect(unreachableFolder('/srv/countersign/.data/postgres', postgres, stat)).toBeNull();
  });

  it('refuses a folder open only to its owner and group when the user is neither', () => {
    expect(unreachableFolder('/srv/private/data', postgres, stat)).toBe('/srv/private');
    expect(unreachableFolder('/srv/private/data', { uid: null, gid: null }, stat)).toBe(
      '/srv/private',
    );
  });

  it('explains the fix in one line', () => {
    const message = new EmbeddedPostgresAccessError('/root').message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(/cannot enter \/root/);
    expect(message).toMatch(/DATA_DIR/);
    expect(message).toMatch(/DATABASE_URL/);
  });
});
