import { Inject, Injectable } from '@nestjs/common';
import { CatalogRepository } from './catalog.repository.js';

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

  constructor(@Inject(CatalogRepository) private readonly catalog: CatalogRepository) {}

  async current(): Promise<number> {
    if (this.cached && Date.now() - this.cached.at < RECHECK_MS) return this.cached.value;
    const value = await this.catalog.lastSucceededImportId();
    this.cached = { value, at: Date.now() };
    return value;
  }

  /** An import committed here: the next read goes to Postgres. */
  changed(): void {
    this.cached = null;
  }
}
