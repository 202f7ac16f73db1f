import { errorSummary } from '../logging/redact.js';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { EncounterEdits } from '@countersign/shared';
import { DataSource } from 'typeorm';
import { CatalogGeneration } from '../catalog/catalog-generation.js';
import { EncounterService } from '../encounter/encounter.service.js';
import { ChartEditsService } from '../review/chart-edits.service.js';
import { WorklistRepository } from './worklist.repository.js';

/** Charts whose count is recomputed per batch; how often a catalogue import is looked for. */
const BATCH = 100;
const SWEEP_MS = 5 * 60_000;
/** At start-up, charts changed this recently are checked again (a flush a crash cut short). */
const RECENT_MS = 15 * 60_000;
/** Charts whose last stored count this instance remembers, so an unchanged one is not written. */
const REMEMBERED = 20_000;

/** The error findings among a chart's edits: what "has errors" filters on. */
export function errorCount(edits: Pick<EncounterEdits, 'findings'>): number {
  return edits.findings.filter((finding) => finding.severity === 'error').length;
}

/**
 * Keeps `encounters.error_count` true, so the worklist can filter on "has errors" without
 * computing findings for thousands of charts:
 * - whenever a chart's findings are computed for its room (once per burst of events, after the
 *   commands were acknowledged), `record` stores the count, tagged with the chart's version and
 *   the catalogue generation read before the findings were computed. A count this instance
 *   already stored for the chart is not written again, so an edit that changes no error costs
 *   no statement (the live path is counted in statements: edit-statements.int-spec.ts);
 * - a sweep recomputes the counts never computed (charts created before this migration or by
 *   the demo seed) and those computed under an older catalogue generation (an import changed
 *   what fires): at start-up, when a burst sees the generation move, and every five minutes.
 *   At start-up it also recomputes charts changed in the 15 minutes before, whose last flush a
 *   crash may have cut short (a count that was right stays right; the next edit of a chart
 *   recomputes it in any case). Several instances may sweep at once: the writes are idempotent
 *   and an older computation never overwrites a newer one.
 */
@Injectable()
export class ErrorCountsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ErrorCountsService.name);
  private timer: ReturnType<typeof setInterval> | null = null;
  private sweeping: Promise<number> | null = null;
  private sweptGeneration: number | null = null;
  /** encounter id → `generation:count` last stored by this instance. */
  private readonly stored = new Map<string, string>();

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(WorklistRepository) private readonly repository: WorklistRepository,
    @Inject(CatalogGeneration) private readonly generation: CatalogGeneration,
    @Inject(ChartEditsService) private readonly chartEdits: ChartEditsService,
    @Inject(EncounterService) private readonly encounters: EncounterService,
  ) {}

  onApplicationBootstrap(): void {
    void this.sweep(new Date(Date.now() - RECENT_MS));
    this.timer = setInterval(() => void this.sweep(), SWEEP_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The catalogue generation to tag a computation with: read before computing. */
  currentGeneration(): Promise<number> {
    return this.generation.current();
  }

  /**
   * Stores the count of edits computed for a chart's room, unless this instance stored the same
   * count under the same generation already; never delays or fails the caller.
   */
  record(
    edits: Pick<EncounterEdits, 'findings'> & { encounterId: string; version: number },
    generation: number,
  ): void {
    if (this.sweptGeneration !== null && generation !== this.sweptGeneration) void this.sweep();
    const count = errorCount(edits);
    const key = `${generation}:${count}`;
    if (this.stored.get(edits.encounterId) === key) return;
    this.remember(edits.encounterId, key);
    this.repository
      .recordErrorCount(
        this.dataSource.manager,
        edits.encounterId,
        edits.version,
        generation,
        count,
      )
      .catch((error: unknown) => {
        this.stored.delete(edits.encounterId);
        this.failed(`the error count of ${edits.encounterId}`, error);
      });
  }

  /**
   * Recomputes every stale count, a batch at a time; answers how many were recomputed. A sweep
   * already running is joined rather than doubled.
   */
  sweep(changedSince: Date | null = null): Promise<number> {
    this.sweeping ??= this.recomputeStale(changedSince).finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  private async recomputeStale(changedSince: Date | null): Promise<number> {
    let done = 0;
    let after: string | null = null;
    try {
      for (;;) {
        const generation = await this.generation.current();
        this.sweptGeneration = generation;
        const batch = await this.repository.staleErrorCounts(
          this.dataSource.manager,
          generation,
          changedSince,
          after,
          BATCH,
        );
        for (const chart of batch) {
          const encounter = await this.encounters.chart(chart.organization_id, chart.id);
          const count = errorCount({ findings: await this.chartEdits.findings(encounter) });
          await this.repository.recordErrorCount(
            this.dataSource.manager,
            chart.id,
            encounter.version,
            generation,
            count,
          );
          this.remember(chart.id, `${generation}:${count}`);
          done++;
        }
        if (batch.length < BATCH) return done;
        after = batch[batch.length - 1]!.id;
      }
    } catch (error) {
      this.failed('the error count sweep', error);
      return done;
    }
  }

  private remember(encounterId: string, key: string): void {
    this.stored.delete(encounterId);
    this.stored.set(encounterId, key);
    // The map's order is least recently stored first.
    if (this.stored.size > REMEMBERED) this.stored.delete(this.stored.keys().next().value!);
  }

  private failed(what: string, error: unknown): void {
    this.logger.warn(`${what} failed: ${errorSummary(error)}`);
  }
}
