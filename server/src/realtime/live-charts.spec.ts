import { jest } from '@jest/globals';
import {
  updatedAtAfter,
  type Encounter,
  type EncounterEvent,
  type LiveEdits,
  type WorklistRow,
} from '@countersign/shared';
import { LiveCharts } from './live-charts.js';

const ORG = '00000000-0000-4000-8000-0000000000aa';
const CHART = '00000000-0000-4000-8000-000000000001';
const LINE = '00000000-0000-4000-8000-000000000002';
const CODER = { id: '00000000-0000-4000-8000-000000000003', name: 'Casey Coder' };

function chart(version: number, units = 1): Encounter {
  return {
    id: CHART,
    organizationId: ORG,
    patient: { mrn: 'MRN-1', name: 'Jordan Example', dateOfBirth: '1968-04-12' },
    dateOfService: '2026-03-02',
    provider: { name: 'Dana Whitfield, MD', npi: null },
    placeOfService: '11',
    clinicalNote: '',
    diagnoses: ['M17.11'],
    lines: [
      {
        id: LINE,
        code: '99213',
        modifiers: [],
        units,
        pointers: ['A'],
        rationale: '',
        evidence: null,
        origin: 'coder',
        review: { state: 'pending', category: null, comment: null, by: null },
        submitted: false,
      },
    ],
    suggestions: [],
    threads: [],
    acknowledgements: [],
    status: 'draft',
    purpose: 'claim',
    coder: CODER,
    reviewer: null,
    codedBy: [CODER.id],
    version,
    createdAt: '2026-03-02T10:00:00.000Z',
    updatedAt: '2026-03-02T10:00:00.000Z',
  };
}

function unitsChanged(seq: number, units: number): EncounterEvent {
  return {
    encounterId: CHART,
    seq,
    type: 'line.updated',
    actor: CODER,
    payload: { line: { ...chart(0).lines[0]!, units } },
    opId: null,
    at: new Date(Date.UTC(2026, 2, 2, 10, 0, seq)).toISOString(),
  };
}

describe(LiveCharts.name, () => {
  let database: Encounter;
  let reads: number;
  let edits: LiveEdits[];
  let worklist: WorklistRow[][];
  let live: LiveCharts;

  beforeEach(() => {
    jest.useFakeTimers();
    database = chart(1);
    reads = 0;
    edits = [];
    worklist = [];
    live = start(TIMING);
  });
  afterEach(() => {
    live.close();
    jest.useRealTimers();
  });

  const TIMING = {
    editsMs: 40,
    editsPerSecond: 40,
    editsMaxMs: 1000,
    worklistMs: 250,
    cacheSize: 10,
  };

  function start(timing: typeof TIMING): LiveCharts {
    return new LiveCharts(
      () => {
        reads += 1;
        return Promise.resolve(database);
      },
      (encounter) =>
        Promise.resolve({
          encounterId: encounter.id,
          version: encounter.version,
          // The units stand in for whatever the engine derives from the lines.
          findings: [],
          fees: { units: encounter.lines[0]!.units },
          impact: null,
        } as unknown as LiveEdits),
      { edits: (e) => edits.push(e), worklist: (_org, rows) => worklist.push(rows) },
      { warn: jest.fn() },
      timing,
    );
  }

  /** Commits `units` as the next event, as the writer would, and publishes it without the chart. */
  function commit(units: number): void {
    const event = unitsChanged(database.version + 1, units);
    database = {
      ...chart(event.seq, units),
      updatedAt: updatedAtAfter(database.updatedAt, event.at),
    };
    live.committed({ event, organizationId: ORG, encounter: null });
  }

  it('sends a burst of events one set of edits, of the last version, folded without reading the chart', async () => {
    live.seen(chart(1));
    commit(2);
    commit(3);
    commit(4);
    await jest.advanceTimersByTimeAsync(40);
    expect(edits).toEqual([expect.objectContaining({ version: 4, fees: { units: 4 } })]);
    expect(reads).toBe(0);
  });

  it('reads the chart again once when an event does not follow the state it kept (another instance wrote)', async () => {
    live.seen(chart(1));
    database = chart(2, 7); // committed elsewhere: this instance never saw seq 2
    commit(5);
    await jest.advanceTimersByTimeAsync(40);
    expect(reads).toBe(1);
    expect(edits).toEqual([expect.objectContaining({ version: 3, fees: { units: 5 } })]);
  });

  it('spaces a chart’s edits by its share of editsPerSecond, and the late set carries the last version', async () => {
    live.close();
    // One chart edited, two sets a second for the instance: at most one set every 500 ms.
    live = start({ ...TIMING, editsPerSecond: 2 });
    live.seen(chart(1));
    commit(2);
    await jest.advanceTimersByTimeAsync(40);
    expect(edits.map((e) => e.version)).toEqual([2]);
    commit(3);
    await jest.advanceTimersByTimeAsync(100);
    commit(4);
    await jest.advanceTimersByTimeAsync(250);
    expect(edits.map((e) => e.version)).toEqual([2]);
    await jest.advanceTimersByTimeAsync(150);
    expect(edits.map((e) => e.version)).toEqual([2, 4]);
    expect(edits[1]).toMatchObject({ fees: { units: 4 } });
  });

  it('coalesces an organization’s worklist rows: one batch per period, one row per chart, its latest', async () => {
    live.seen(chart(1));
    commit(2);
    await jest.advanceTimersByTimeAsync(100);
    commit(3);
    expect(worklist).toEqual([]);
    await jest.advanceTimersByTimeAsync(150);
    expect(worklist).toEqual([
      [
        {
          id: CHART,
          patient: { mrn: 'MRN-1', name: 'Jordan Example' },
          dateOfService: '2026-03-02',
          provider: { name: 'Dana Whitfield, MD' },
          placeOfService: '11',
          status: 'draft',
          coder: CODER,
          reviewer: null,
          lineCount: 1,
          version: 3,
          // Within ten seconds of the chart's last change: as the writer stores it.
          updatedAt: '2026-03-02T10:00:00.000Z',
        },
      ],
    ]);
  });
});
