import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** How long another instance's import may go unnoticed. */
const RECHECK_MS = 2000;

/**
 * A number that changes whenever an import changes the catalogue or the edit data: the id of
 * the last successful import. Caches built from Postgres (the search index, the editions in
 * force) rebuild when it moves. An import in this process says so at once; one in another
 * process (the CLI, a second instance) is seen within two seconds.
 */
@Injectable()
export class CatalogGeneration {
  private cached: { value: number; at: number } | null = null;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async current(): Promise<number> {
    if (this.cached && Date.now() - this.cached.at < RECHECK_MS) return this.cached.value;
    const [row] = (await this.dataSource.query(
      `SELECT coalesce(max(id), 0)::int AS value FROM catalog_imports WHERE status = 'succeeded'`,
    )) as Array<{ value: number }>;
    this.cached = { value: row!.value, at: Date.now() };
    return row!.value;
  }

  /** An import committed here: the next read goes to Postgres. */
  changed(): void {
    this.cached = null;
  }
}
