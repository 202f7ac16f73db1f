import { Injectable } from '@nestjs/common';
import type { Encounter } from '@countersign/shared';

/** Where kept charts come from: the live room's chart states (LiveCharts), once the gateway is up. */
export type KeptChartSource = (encounterId: string) => Encounter | null;

/**
 * The charts this instance holds in memory, kept current by folding their committed events
 * (LiveCharts, server/src/realtime/live-charts.ts), offered to the writer at an exact version.
 * A command refused as stale answers with the chart as it stands; under the row lock the
 * chart's version is known, and a kept chart at that version is that chart (the fold is the
 * reducer every browser uses, which the convergence tests hold to a fresh read), so the
 * refusal need not read it again: under overload, when refusals pile up, each one costs no
 * more than the lock that found it stale.
 */
@Injectable()
export class KeptCharts {
  private source: KeptChartSource | null = null;

  /** Registers the source (the gateway, when it starts). */
  serveFrom(source: KeptChartSource | null): void {
    this.source = source;
  }

  /** The chart of `organizationId` at exactly `version`, or null when none is kept at that version. */
  at(organizationId: string, encounterId: string, version: number): Encounter | null {
    const chart = this.source?.(encounterId) ?? null;
    return chart && chart.organizationId === organizationId && chart.version === version
      ? chart
      : null;
  }
}
