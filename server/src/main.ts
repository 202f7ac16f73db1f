/**
 * Entry point of `npm start`: validates the configuration, starts the database (embedded when
 * DATABASE_URL is unset) and the server, prints where to go and how to sign in, and shuts down
 * cleanly on SIGINT/SIGTERM.
 */
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from './config/config.js';
import { startServer, type RunningServer } from './bootstrap.js';
import { DEMO_PASSWORD, DEMO_QUALITY_TEAM, DEMO_USERS } from './demo/demo-users.js';
import { createJsonLogger, logProcessErrors } from './logging/json-logger.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const logger = createJsonLogger(config.logLevel);
  Logger.overrideLogger(logger);
  logProcessErrors(logger);
  let server: RunningServer | null = null;
  const shutdown = (signal: string) => {
    logger.log({ msg: 'shutting down', signal });
    const done = server ? server.stop() : Promise.resolve();
    done.then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(error instanceof Error ? error.message : String(error));
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGHUP', () => shutdown('SIGHUP'));

  server = await startServer(config, logger);
  const lines = [
    '',
    `  Countersign is running at ${server.url}`,
    `  API docs: ${server.url}/api/docs`,
    config.database.mode === 'embedded'
      ? `  Database: embedded Postgres, data in ${config.database.dataDir}`
      : '  Database: DATABASE_URL',
  ];
  if (config.seedDemo) {
    lines.push('', '  Demo logins (password for all: ' + DEMO_PASSWORD + '):');
    for (const user of [...DEMO_USERS, ...DEMO_QUALITY_TEAM])
      lines.push(`    ${user.role.padEnd(10)} ${user.email}`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch((error: unknown) => {
  // Problems a person fixes in their setup are one line; anything else keeps its stack.
  const oneLine = error instanceof Error && (error as { oneLine?: boolean }).oneLine === true;
  const text =
    error instanceof Error
      ? oneLine
        ? error.message
        : (error.stack ?? error.message)
      : String(error);
  process.stderr.write(`Countersign could not start: ${text}\n`);
  process.exit(1);
});
