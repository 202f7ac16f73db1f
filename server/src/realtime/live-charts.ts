import type { Logger } from '@nestjs/common';
import {
  applyEncounterEvent,
  toWorklistRow,
  type Encounter,
  type LiveEdits,
  type WorklistRow,
} from '@countersign/shared';
import type { CommittedChange } from '../encounter/encounter-event-bus.js';

export interface LiveChartsTiming {
  /** A chart's edits go out this long after the first event of a burst, once for the burst. */
  editsMs: number;
  /**
   * About how many charts' edits this instance computes a second. While more charts than that
   * are being edited, a chart's edits go out at most every `1000 * charts / editsPerSecond` ms
   * (at most `editsMaxMs`), so the work stays bounded however fast the edits come.
   */
  editsPerSecond: number;
  editsMaxMs: number;
  /** An organization's worklist rows go out at most once per this period. */
  worklistMs: number;
  /** Charts whose state is kept between bursts (least recently changed ones leave first). */
  cacheSize: number;
}

export const LIVE_CHARTS_TIMING: LiveChartsTiming = {
  editsMs: 40,
  editsPerSecond: 40,
  editsMaxMs: 1000,
  worklistMs: 250,
  cacheSize: 1000,
};

/** Where the results go: the gateway, the only place that touches sockets. */
export interface LiveChartsOutput {
  edits(edits: LiveEdits): void;
  worklist(organizationId: string, rows: WorklistRow[]): void;
}

interface Chart {
  organizationId: string;
  /** The chart at some version, or null when events came that it could not be folded with. */
  state: Encounter | null;
  /** The highest seq committed through this instance. */
  latestSeq: number;
  reading: Promise<Encounter> | null;
  editsTimer: ReturnType<typeof setTimeout> | null;
  /** When its edits last went out (ms epoch), 0 for never. */
  editsSentAt: number;
}

/**
 * What follows a committed event besides the event itself: the chart's findings, fees and
 * review impact for its room, and its worklist row for the organization's watchers. Both run
 * after the command was acknowledged, coalesced: edits once per burst per chart (bursts
 * lengthen while more charts are edited than `editsPerSecond`), worklist rows at most every
 * `worklistMs` per organization.
 *
 * The chart they are computed from is kept here and moved forward by folding each event into
 * it with `applyEncounterEvent`, the reducer every browser uses, so a line command need not
 * read the whole chart and the edits are those of the chart every client holds. When an event
 * does not follow the kept state (another instance committed in between), the chart is read
 * again once, at the next flush.
 */
export class LiveCharts {
  private readonly charts = new Map<string, Chart>();
  private readonly worklistDirty = new Map<string, Set<string>>();
  private readonly worklistTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Charts with events in the current second, and how many had events in the one before. */
  private activeCharts = new Set<string>();
  private activeBefore = 0;
  private activeSince = 0;

  constructor(
    private readonly read: (organizationId: string, encounterId: string) => Promise<Encounter>,
    private readonly computeEdits: (encounter: Encounter) => Promise<LiveEdits>,
    private readonly output: LiveChartsOutput,
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly timing: LiveChartsTiming = LIVE_CHARTS_TIMING,
  ) {}

  /** A committed change: kept, then its edits and worklist row are scheduled. */
  committed({ event, organizationId, encounter }: CommittedChange): void {
    const chart = this.chart(event.encounterId, organizationId);
    chart.latestSeq = Math.max(chart.latestSeq, event.seq);
    if (encounter) this.keep(chart, encounter);
    else if (chart.state && event.seq === chart.state.version + 1)
      chart.state = applyEncounterEvent(chart.state, event);
    else if (!chart.state || event.seq > chart.state.version) chart.state = null;
    chart.editsTimer ??= setTimeout(
      () => this.flushEdits(event.encounterId, chart),
      this.editsDelay(event.encounterId, chart),
    );
    const dirty = this.worklistDirty.get(organizationId) ?? new Set<string>();
    dirty.add(event.encounterId);
    this.worklistDirty.set(organizationId, dirty);
    if (!this.worklistTimers.has(organizationId))
      this.worklistTimers.set(
        organizationId,
        setTimeout(() => void this.flushWorklist(organizationId), this.timing.worklistMs),
      );
  }

  /** A chart read elsewhere (a room join): kept when it is newer than what is here. */
  seen(encounter: Encounter): void {
    this.keep(this.chart(encounter.id, encounter.organizationId), encounter);
  }

  /** The chart as kept here, at whatever version it is (null when none is): not a use, the order of eviction stays. */
  kept(encounterId: string): Encounter | null {
    return this.charts.get(encounterId)?.state ?? null;
  }

  /** Stops the pending flushes (shutdown). */
  close(): void {
    for (const chart of this.charts.values()) if (chart.editsTimer) clearTimeout(chart.editsTimer);
    for (const timer of this.worklistTimers.values()) clearTimeout(timer);
    this.charts.clear();
    this.worklistTimers.clear();
    this.worklistDirty.clear();
  }

  private chart(encounterId: string, organizationId: string): Chart {
    const known = this.charts.get(encounterId);
    // Re-inserted on every use, so the map's order is least recently used first.
    if (known) this.charts.delete(encounterId);
    const chart = known ?? {
      organizationId,
      state: null,
      latestSeq: 0,
      reading: null,
      editsTimer: null,
      editsSentAt: 0,
    };
    this.charts.set(encounterId, chart);
    for (const [id, old] of this.charts) {
      if (this.charts.size <= this.timing.cacheSize) break;
      if (!old.editsTimer && !old.reading) this.charts.delete(id);
    }
    return chart;
  }

  private keep(chart: Chart, encounter: Encounter): void {
    if (!chart.state || encounter.version > chart.state.version) chart.state = encounter;
    chart.latestSeq = Math.max(chart.latestSeq, encounter.version);
  }

  /** The chart at its latest known version, read again only when the kept state fell behind. */
  private async current(encounterId: string, chart: Chart): Promise<Encounter> {
    if (chart.state && chart.state.version >= chart.latestSeq) return chart.state;
    chart.reading ??= this.read(chart.organizationId, encounterId).finally(() => {
      chart.reading = null;
    });
    const read = await chart.reading;
    this.keep(chart, read);
    return chart.state ?? read;
  }

  /**
   * How long a chart's new burst waits: `editsMs`, and while many charts are being edited at
   * once, until its share of `editsPerSecond` has passed since its edits last went out.
   */
  private editsDelay(encounterId: string, chart: Chart): number {
    const now = Date.now();
    if (now - this.activeSince >= 1000) {
      this.activeBefore = now - this.activeSince < 2000 ? this.activeCharts.size : 0;
      this.activeCharts = new Set();
      this.activeSince = now;
    }
    this.activeCharts.add(encounterId);
    const charts = Math.max(this.activeBefore, this.activeCharts.size);
    const spacing = Math.min(this.timing.editsMaxMs, (1000 * charts) / this.timing.editsPerSecond);
    return Math.max(this.timing.editsMs, chart.editsSentAt + spacing - now);
  }

  private flushEdits(encounterId: string, chart: Chart): void {
    chart.editsTimer = null;
    chart.editsSentAt = Date.now();
    this.current(encounterId, chart)
      .then((encounter) => this.computeEdits(encounter))
      .then((edits) => this.output.edits(edits))
      .catch((error: unknown) => this.failed(`edits of ${encounterId}`, error));
  }

  private async flushWorklist(organizationId: string): Promise<void> {
    this.worklistTimers.delete(organizationId);
    const ids = this.worklistDirty.get(organizationId);
    this.worklistDirty.delete(organizationId);
    if (!ids) return;
    const rows: WorklistRow[] = [];
    for (const id of ids) {
      // Evicted meanwhile only when very many charts changed at once: then it is read again.
      const chart = this.charts.get(id) ?? this.chart(id, organizationId);
      try {
        const encounter = await this.current(id, chart);
        // Blind copies and practice charts are in no worklist: their rows go to no one.
        if (encounter.purpose === 'claim')
          rows.push(toWorklistRow({ ...encounter, lineCount: encounter.lines.length }));
      } catch (error) {
        this.failed(`the worklist row of ${id}`, error);
      }
    }
    if (rows.length) this.output.worklist(organizationId, rows);
  }

  private failed(what: string, error: unknown): void {
    this.logger.warn(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
