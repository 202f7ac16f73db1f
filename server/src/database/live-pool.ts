import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';

/**
 * What a repository function needs to run its statements: TypeORM's EntityManager satisfies it,
 * and so does a LiveTransaction.
 */
export interface SqlRunner {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

/** A transaction on the live pool: statements sent in one tick leave in one write. */
export interface LiveTransaction extends SqlRunner {
  /**
   * Sends COMMIT right behind `last`, a statement sent in this same tick (so both leave in one
   * write and come back in one round trip), and resolves with its result once committed. When
   * `last` fails, Postgres answers the COMMIT of the aborted transaction with a rollback.
   */
  commitAfter<T>(last: Promise<T>): Promise<T>;
}

/** Statement texts given a name so far, and the names. */
const statementNames = new Map<string, string>();
/** Beyond this many texts, new ones run unnamed: a bound on what each connection keeps prepared. */
const MAX_NAMED_STATEMENTS = 200;

/**
 * The name a statement is prepared under on each connection of the live pool, or null for the
 * transaction's BEGIN, COMMIT and ROLLBACK (simple statements). A named statement is parsed and
 * planned once per connection; afterwards each run sends only its parameters, and Postgres
 * reuses the plan (a generic one once it is no worse than custom ones) rather than parsing and
 * planning the lock's and the append's subqueries and CTEs on every edit. Names come from the
 * text, so one text always has one name.
 */
function statementName(sql: string): string | null {
  if (/^(BEGIN|COMMIT|ROLLBACK)$/.test(sql)) return null;
  let name = statementNames.get(sql);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `live_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
    statementNames.set(sql, name);
  }
  return name ?? null;
}

/** The pg internals the batching reaches: the client's socket, corked while one tick's statements are sent. */
interface CorkableClient {
  connection?: { stream?: { cork?: () => void; uncork?: () => void } };
}

/**
 * A pg pool in pipeline mode for the live edit path, beside TypeORM's (same database, role and
 * limits, read from the DataSource's options). A statement goes out as soon as it is sent, not
 * after the previous one's answer, and the statements sent in one tick leave in one write: the
 * transaction's BEGIN travels with its first statement, its COMMIT with its last. A line command
 * is then two round trips to Postgres (lock and reads; write and commit) instead of four, and
 * two wake-ups of the backend. Answers still come back in order, each statement has its own
 * Sync, so a failed statement fails alone and the transaction it was in rolls back as usual.
 */
@Injectable()
export class LivePool implements OnModuleDestroy {
  readonly pool: pg.Pool;
  private readonly logger = new Logger(LivePool.name);

  constructor(@Inject(DataSource) dataSource: DataSource) {
    const options = dataSource.options as {
      url?: string;
      poolSize?: number;
      extra?: Record<string, unknown>;
    };
    const extra = options.extra ?? {};
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      ...extra,
      // Prepared statements keep one generic plan: planning the lock (about 0.7 ms, against
      // 0.15 ms to run it) was most of its cost, and a custom plan per run would plan it again.
      // Every live statement is a lookup by key, which a generic plan serves as well.
      options: [extra.options, '-c plan_cache_mode=force_generic_plan'].filter(Boolean).join(' '),
      pipeline: true,
    } as pg.PoolConfig);
    // An idle client whose connection dropped (a database restart) is removed by the pool; the
    // next transaction opens a new one.
    this.pool.on('error', (error) => this.logger.warn(`idle live connection: ${error.message}`));
  }

  /** Runs `work` in a transaction: committed by `commitAfter`, or when `work` returns. */
  async transaction<T>(work: (tx: LiveTransaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let corked = false;
    const stream = (client as unknown as CorkableClient).connection?.stream;
    const send = <R>(sql: string, parameters?: unknown[]): Promise<R> => {
      if (!corked && stream?.cork && stream.uncork) {
        corked = true;
        stream.cork();
        process.nextTick(() => {
          corked = false;
          stream.uncork?.();
        });
      }
      return new Promise<R>((resolve, reject) => {
        // A Query built from the text (not from a config object, which pg copies property by
        // property on every statement: a tenth of the edit's pg work in the profile), then named.
        const query = new pg.Query(sql, parameters, (error, result) =>
          error ? reject(error) : resolve(result.rows as R),
        );
        const name = statementName(sql);
        if (name) (query as unknown as { name: string }).name = name;
        client.query(query);
      });
    };
    let committed = false;
    let broken: Error | undefined;
    const tx: LiveTransaction = {
      query: send,
      commitAfter: async <R>(last: Promise<R>) => {
        const commit = send('COMMIT');
        committed = true;
        const [outcome] = await Promise.allSettled([last, commit]);
        await commit.catch((error: unknown) => {
          // The connection itself failed: it leaves the pool.
          broken = error instanceof Error ? error : new Error(String(error));
          throw error;
        });
        if (outcome.status === 'rejected') throw outcome.reason;
        return outcome.value;
      },
    };
    // Not awaited: BEGIN leaves with the first statement; a failed BEGIN fails that one too.
    const begin = send('BEGIN');
    begin.catch(() => undefined);
    try {
      const result = await work(tx);
      await begin;
      if (!committed) await send('COMMIT');
      return result;
    } catch (error) {
      if (!committed)
        await send('ROLLBACK').catch((rollbackError: unknown) => {
          broken =
            rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end();
  }
}
