import { Injectable, inject, signal } from '@angular/core';
import { normalizeCode, type CatalogCode, type CodeSystem } from '@countersign/shared';
import { ApiClient } from '../api/api-client';

/** The lookup endpoint answers at most this many codes per request. */
const LOOKUP_BATCH = 200;

/**
 * Descriptions of the codes on screen, fetched once per code and kept for the session. One
 * code string can exist in two systems (J1100 is a HCPCS drug and an ICD-10-CM influenza
 * code), so a reader names the systems it wants.
 */
@Injectable({ providedIn: 'root' })
export class CatalogLookup {
  private readonly api = inject(ApiClient);
  private readonly known = signal<ReadonlyMap<string, readonly CatalogCode[]>>(new Map());
  /** Codes asked for, answered or not; a failed request forgets its codes so a later call retries. */
  private readonly requested = new Set<string>();

  /** Fetches the codes not asked for yet, in one request. */
  async ensure(codes: Iterable<string>): Promise<void> {
    const missing = [...new Set([...codes].map(normalizeCode))].filter(
      (code) => code && !this.requested.has(code),
    );
    if (missing.length === 0) return;
    missing.forEach((code) => this.requested.add(code));
    try {
      const batches = [];
      for (let i = 0; i < missing.length; i += LOOKUP_BATCH)
        batches.push(this.api.lookup(missing.slice(i, i + LOOKUP_BATCH)));
      const items = (await Promise.all(batches)).flat();
      this.known.update((current) => {
        const next = new Map(current);
        for (const code of missing) next.set(code, next.get(code) ?? []);
        for (const item of items)
          next.set(item.code, [
            ...(next.get(item.code) ?? []).filter((c) => c.system !== item.system),
            item,
          ]);
        return next;
      });
    } catch {
      missing.forEach((code) => this.requested.delete(code));
    }
  }

  /** The catalogue entry of `code` in the first of `systems` that has it; reactive. */
  find(code: string, systems: readonly CodeSystem[]): CatalogCode | undefined {
    const entries = this.known().get(normalizeCode(code)) ?? [];
    for (const system of systems) {
      const entry = entries.find((e) => e.system === system);
      if (entry) return entry;
    }
    return undefined;
  }
}
