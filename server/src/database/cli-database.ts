import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { openDatabase } from './data-source.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres.js';

/** A command-line tool's database and how to close it (the pool, then an embedded Postgres it started). */
export interface CliDatabase {
  dataSource: DataSource;
  close: () => Promise<void>;
}

/**
 * The database the server uses, opened for a command-line tool: `DATABASE_URL`, else the
 * embedded Postgres under `DATA_DIR` (started here, so stop a server that runs it first).
 */
export async function openCliDatabase(
  config: AppConfig,
  name: string,
  poolSize: number,
): Promise<CliDatabase> {
  const logger = new Logger(name);
  let embedded: EmbeddedDatabase | null = null;
  let url: string;
  if (config.database.mode === 'embedded') {
    embedded = await startEmbeddedPostgres({
      dataDir: config.database.dataDir,
      preferredPort: config.database.port,
      logger: {
        log: (m: string) => logger.log(m),
        warn: (m: string) => logger.warn(m),
        debug: () => undefined,
      },
    });
    url = embedded.url;
  } else {
    url = config.database.url;
  }
  const dataSource = await openDatabase(url, { poolSize }).catch(async (error: unknown) => {
    await embedded?.stop();
    throw error;
  });
  return {
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
