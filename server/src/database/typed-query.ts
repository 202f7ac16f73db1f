import type { QueryRunner } from 'typeorm';

/**
 * A raw statement on a QueryRunner (whose `query()` is untyped, unlike the DataSource's and the
 * EntityManager's) answered as the row type its caller declares. Only for statements the
 * entities cannot express: advisory locks, staging tables, set-based diffs.
 */
export function typedQuery<T>(runner: QueryRunner, sql: string, params?: unknown[]): Promise<T> {
  return runner.query(sql, params) as Promise<T>;
}
