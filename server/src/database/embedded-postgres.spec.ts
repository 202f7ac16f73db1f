import { jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, recoverFromKilledRun } from './embedded-postgres.js';

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
  it('finds a port that can be listened on', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(1023);
  });
});
