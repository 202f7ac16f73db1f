import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { CatalogSearchHit, CatalogSearchQuery } from '@countersign/shared';
import { CatalogGeneration } from './catalog-generation.js';
import { CatalogRepository } from './catalog.repository.js';
import { CatalogSearchIndex } from './catalog-search-index.js';

/**
 * The typeahead: an in-memory index of the whole catalogue (a demo row only for a code no
 * imported file lists, so the demo never shadows official text), built from Postgres at start and
 * rebuilt in the background when an import changes the catalogue; searches keep using the
 * previous index until the new one is ready.
 */
@Injectable()
export class CatalogSearchService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('CatalogSearch');
  private index: { generation: number; index: CatalogSearchIndex } | null = null;
  private building: Promise<void> | null = null;

  constructor(
    @Inject(CatalogRepository) private readonly catalog: CatalogRepository,
    @Inject(CatalogGeneration) private readonly generation: CatalogGeneration,
  ) {}

  onModuleInit(): void {
    void this.ready().catch((error: unknown) =>
      this.logger.error(`Could not build the search index: ${String(error)}`),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.building?.catch(() => undefined);
  }

  /** Rebuilds now if an import (here or elsewhere) changed the catalogue, and waits for it. */
  async refreshed(): Promise<CatalogSearchIndex> {
    this.generation.changed();
    const generation = await this.generation.current();
    // A rebuild already under way may be for an older generation: wait for it, then build again.
    while (this.index?.generation !== generation) await this.rebuild(generation);
    return this.index.index;
  }

  async search(query: CatalogSearchQuery): Promise<CatalogSearchHit[]> {
    const index = await this.ready();
    return index.search(query.q, {
      systems: query.system,
      date: query.date,
      billable: query.billable,
      limit: query.limit,
    });
  }

  /** The current index; the first call waits for it, later calls get it at once and refresh it when stale. */
  async ready(): Promise<CatalogSearchIndex> {
    const generation = await this.generation.current();
    if (!this.index) {
      await this.rebuild(generation);
    } else if (this.index.generation !== generation) {
      void this.rebuild(generation).catch((error: unknown) =>
        this.logger.error(`Search index rebuild failed: ${String(error)}`),
      );
    }
    return this.index!.index;
  }

  private rebuild(generation: number): Promise<void> {
    this.building ??= (async () => {
      try {
        const started = Date.now();
        const rows = await this.catalog.searchRows();
        this.index = { generation, index: new CatalogSearchIndex(rows) };
        this.logger.log(`Search index: ${rows.length} codes in ${Date.now() - started} ms`);
      } finally {
        this.building = null;
      }
    })();
    return this.building;
  }
}
