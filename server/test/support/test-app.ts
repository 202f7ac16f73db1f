import type { LoggerService } from '@nestjs/common';
import type { RunningServer } from '../../src/bootstrap.js';
import { startLocalApp } from '../../src/testing/test-app.js';

export * from '../../src/testing/test-app.js';

/** A real server (HTTP + sockets) on a free port against the file's own database; silent unless given a logger. */
export async function startTestApp(
  env: Record<string, string> = {},
  logger: LoggerService | false = false,
): Promise<RunningServer> {
  const url = process.env.COUNTERSIGN_TEST_DB_URL;
  if (!url) throw new Error('COUNTERSIGN_TEST_DB_URL is not set: run through jest.int.config.js');
  return startLocalApp(url, env, logger);
}
