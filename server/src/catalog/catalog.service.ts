import { Inject, Injectable } from '@nestjs/common';
import type { CatalogCode } from '@countersign/shared';
import type { CatalogCodeEntity } from './catalog-code.entity.js';
import { CatalogRepository } from './catalog.repository.js';

/** Reads the code catalogue. The catalogue is shared reference data, not tenant data. */
@Injectable()
export class CatalogService {
  constructor(@Inject(CatalogRepository) private readonly catalog: CatalogRepository) {}

  /**
   * The newest edition of each of `codes`, in any system. An imported (official or licensed)
   * row always wins over the demo catalogue's own summary: the demo only fills what no file lists.
   */
  async lookup(codes: readonly string[]): Promise<CatalogCode[]> {
    if (codes.length === 0) return [];
    const rows = await this.catalog.codes(codes);
    const newest = new Map<string, CatalogCodeEntity>();
    for (const row of rows) {
      const key = `${row.system}:${row.code}`;
      const kept = newest.get(key);
      if (!kept || (kept.importKind === 'demo' && row.importKind !== 'demo')) newest.set(key, row);
    }
    return [...newest.values()].map((row) => ({
      system: row.system,
      code: row.code,
      shortDescription: row.shortDescription,
      longDescription: row.longDescription,
      edition: row.edition,
      effectiveDate: row.effectiveDate,
      terminationDate: row.terminationDate,
      billable: row.billable,
    }));
  }
}
