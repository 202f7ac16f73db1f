import { Logger } from '@nestjs/common';
import type { Logger as OrmLogger } from 'typeorm';
import { errorSummary } from './redact.js';

/**
 * TypeORM's logging through the one redacting logger: failed and slow queries are reported
 * by their SQLSTATE and the first words of the statement, never with their parameters (which
 * carry names, MRNs, dates of birth and notes). Successful queries are not logged.
 */
export class RedactingOrmLogger implements OrmLogger {
  private readonly logger = new Logger('Database');

  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    this.logger.error({
      msg: 'query failed',
      error: typeof error === 'string' ? 'QueryError' : errorSummary(error),
      statement: statementOf(query),
    });
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ msg: 'slow query', ms: time, statement: statementOf(query) });
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log({ msg: 'migration', detail: message.slice(0, 200) });
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn')
      this.logger.warn({
        msg: 'typeorm',
        detail: typeof message === 'string' ? message.slice(0, 200) : '(object)',
      });
  }
}

/** The statement's kind and table (`INSERT INTO encounters`), not its text. */
function statementOf(query: string): string {
  return query.replace(/\s+/g, ' ').trim().split(' ').slice(0, 3).join(' ');
}
