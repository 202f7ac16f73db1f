import fc from 'fast-check';
import { CORRECTION_CATEGORIES } from '../review/review-state.schema.js';
import {
  EMPTY_TALLY,
  accuracyFigures,
  tallyCharts,
  type AccuracyTally,
  type ReviewedChartFact,
} from './accuracy.js';
import {
  chartResultFacts,
  formatBilledLine,
  qualityWeek,
  type ChartLineFact,
} from './chart-result.js';

/** The example of docs/domain.md 10: one line of each outcome. */
const EXAMPLE: ChartLineFact[] = [
  {
    outcome: 'corrected',
    category: 'wrong-level',
    code: '99214',
    coderCents: 9000,
    finalCents: 13000,
  },
  { outcome: 'accepted', category: null, code: '20610', coderCents: 5000, finalCents: 5000 },
  { outcome: 'rejected', category: 'unsupported', code: '73562', coderCents: 4000, finalCents: 0 },
  { outcome: 'missed', category: 'missed-code', code: 'J3301', coderCents: 0, finalCents: 1500 },
];

function tally(overrides: Partial<AccuracyTally>): AccuracyTally {
  return { ...EMPTY_TALLY, chartsReviewed: 1, ...overrides };
}

function add(a: AccuracyTally, b: AccuracyTally): AccuracyTally {
  const sum = { ...a };
  for (const key of Object.keys(sum) as (keyof AccuracyTally)[]) sum[key] += b[key];
  return sum;
}

describe(chartResultFacts.name, () => {
  it('turns one line of each outcome into the hand-computed result and roll-up rows', () => {
    const facts = chartResultFacts(EXAMPLE, '2026-03-04T15:00:00Z');
    expect(facts.week).toBe('2026-03-02');
    expect(facts.result).toEqual({
      coderLines: 3,
      acceptedUnchanged: 1,
      missedLines: 1,
      corrected: 1,
      rejected: 1,
      clean: false,
      coderCents: 18000,
      reviewedCents: 19500,
      categories: ['wrong-level', 'unsupported', 'missed-code'],
      families: ['em', 'surgery', 'radiology', 'hcpcs'],
    });
    // The chart's impact is the difference of its totals, not the sum of its lines' moves.
    expect(facts.all).toEqual(
      tally({
        coderLines: 3,
        acceptedUnchanged: 1,
        missedLines: 1,
        corrected: 1,
        rejected: 1,
        reviewedCents: 19500,
        absImpactCents: 1500,
        netImpactCents: 1500,
      }),
    );
    expect(facts.byFamily).toEqual([
      {
        family: 'em',
        ...tally({
          coderLines: 1,
          corrected: 1,
          reviewedCents: 13000,
          absImpactCents: 4000,
          netImpactCents: 4000,
        }),
      },
      {
        family: 'surgery',
        ...tally({ coderLines: 1, acceptedUnchanged: 1, chartsClean: 1, reviewedCents: 5000 }),
      },
      {
        family: 'radiology',
        ...tally({ coderLines: 1, rejected: 1, absImpactCents: 4000, netImpactCents: -4000 }),
      },
      {
        family: 'hcpcs',
        ...tally({
          missedLines: 1,
          reviewedCents: 1500,
          absImpactCents: 1500,
          netImpactCents: 1500,
        }),
      },
    ]);
    expect(facts.byCategory).toEqual([
      {
        category: 'wrong-level',
        corrections: 1,
        charts: 1,
        netImpactCents: 4000,
        absImpactCents: 4000,
      },
      {
        category: 'unsupported',
        corrections: 1,
        charts: 1,
        netImpactCents: -4000,
        absImpactCents: 4000,
      },
      {
        category: 'missed-code',
        corrections: 1,
        charts: 1,
        netImpactCents: 1500,
        absImpactCents: 1500,
      },
    ]);
  });

  it('counts a category once per chart, its lines one by one, and opposite moves cancel in net only', () => {
    const facts = chartResultFacts(
      [
        {
          outcome: 'corrected',
          category: 'units',
          code: '96372',
          coderCents: 2000,
          finalCents: 4000,
        },
        {
          outcome: 'corrected',
          category: 'units',
          code: '96372',
          coderCents: 3000,
          finalCents: 1000,
        },
        { outcome: 'accepted', category: null, code: '99213', coderCents: 9000, finalCents: 9000 },
      ],
      '2026-03-08T23:59:59Z',
    );
    expect(facts.week).toBe('2026-03-02');
    expect(facts.byCategory).toEqual([
      { category: 'units', corrections: 2, charts: 1, netImpactCents: 0, absImpactCents: 4000 },
    ]);
    expect(facts.result).toMatchObject({
      clean: false,
      categories: ['units'],
      families: ['medicine', 'em'],
    });
    expect(facts.byFamily.find((f) => f.family === 'em')).toMatchObject({ chartsClean: 1 });
  });

  it('a chart with every line accepted unchanged is clean and has no category', () => {
    const facts = chartResultFacts(
      [{ outcome: 'accepted', category: null, code: '99213', coderCents: 9000, finalCents: 9000 }],
      '2026-03-02T00:00:00Z',
    );
    expect(facts.result).toMatchObject({ clean: true, categories: [], coderCents: 9000 });
    expect(facts.byCategory).toEqual([]);
    expect(accuracyFigures(facts.all).line.value).toBe(1);
  });
});

describe(qualityWeek.name, () => {
  it.each([
    ['2026-03-02T00:00:00Z', '2026-03-02'],
    ['2026-03-01T23:59:59Z', '2026-02-23'],
    ['2026-03-08T23:00:00Z', '2026-03-02'],
    ['2026-03-09T01:00:00+02:00', '2026-03-02'],
    ['2027-01-01T12:00:00Z', '2026-12-28'],
  ])('puts %s in the week of Monday %s (UTC)', (at, week) => {
    expect(qualityWeek(at)).toBe(week);
  });

  it('refuses what is not a date', () => {
    expect(() => qualityWeek('next week')).toThrow(RangeError);
  });
});

describe(formatBilledLine.name, () => {
  it('writes a line as people read it', () => {
    expect(formatBilledLine({ code: '99214', modifiers: ['25'], units: 1 })).toBe('99214-25 x1');
    expect(formatBilledLine({ code: 'J3301', modifiers: [], units: 4 })).toBe('J3301 x4');
  });
});

const cents = fc.integer({ min: 0, max: 500_000 });
const line: fc.Arbitrary<ChartLineFact> = fc
  .record({
    outcome: fc.constantFrom('accepted', 'corrected', 'rejected', 'missed' as const),
    category: fc.constantFrom(...CORRECTION_CATEGORIES),
    code: fc.constantFrom(
      '99213',
      '99214',
      '20610',
      '73562',
      '80053',
      '96372',
      'J3301',
      '0001U',
      '3074F',
    ),
    coderCents: cents,
    finalCents: cents,
  })
  .map((l) => ({
    ...l,
    category: l.outcome === 'accepted' ? null : l.outcome === 'missed' ? 'missed-code' : l.category,
    coderCents: l.outcome === 'missed' ? 0 : l.coderCents,
    finalCents: l.outcome === 'rejected' ? 0 : l.finalCents,
  }));
const chart = fc.array(line, { maxLength: 8 });

describe('chart results (properties)', () => {
  it('summed over charts, the per-chart tallies are tallyCharts of those charts, and the measures stay in [0, 1]', () => {
    fc.assert(
      fc.property(fc.array(chart, { maxLength: 20 }), (charts) => {
        const facts = charts.map((lines) => chartResultFacts(lines, '2026-03-04T12:00:00Z'));
        const summed = facts.reduce((t, f) => add(t, f.all), EMPTY_TALLY);
        const reference: ReviewedChartFact[] = charts.map((lines, i) => ({
          encounterId: `chart-${i}`,
          coderId: null,
          reviewerId: null,
          providerNpi: null,
          approvedAt: '2026-03-04T12:00:00Z',
          lines,
          coderCents: lines.reduce((s, l) => s + l.coderCents, 0),
          reviewedCents: lines.reduce((s, l) => s + l.finalCents, 0),
        }));
        expect(summed).toEqual(tallyCharts(reference));
        const figures = accuracyFigures(summed);
        for (const m of [figures.line, figures.chart, figures.dollar])
          if (m.value !== null) {
            expect(m.value).toBeGreaterThanOrEqual(0);
            expect(m.value).toBeLessThanOrEqual(1);
          }
      }),
    );
  });

  it("a chart's family rows split its lines and money, and its category rows its corrections", () => {
    fc.assert(
      fc.property(chart, (lines) => {
        const { result, all, byFamily, byCategory } = chartResultFacts(
          lines,
          '2026-03-04T12:00:00Z',
        );
        const families = byFamily.reduce((t, f) => add(t, f), EMPTY_TALLY);
        expect(families.coderLines).toBe(all.coderLines);
        expect(families.acceptedUnchanged).toBe(all.acceptedUnchanged);
        expect(families.missedLines).toBe(all.missedLines);
        expect(families.corrected + families.rejected).toBe(all.corrected + all.rejected);
        expect(families.reviewedCents).toBe(all.reviewedCents);
        expect(families.netImpactCents).toBe(all.netImpactCents);
        expect(families.absImpactCents).toBeGreaterThanOrEqual(all.absImpactCents);
        expect(families.chartsReviewed).toBe(result.families.length);
        // Clean overall exactly when clean in every family it has lines in.
        expect(result.clean).toBe(byFamily.every((f) => f.chartsClean === 1));
        expect(byCategory.reduce((s, c) => s + c.corrections, 0)).toBe(
          all.corrected + all.rejected + all.missedLines,
        );
        expect(byCategory.map((c) => c.category)).toEqual(result.categories);
        const changed = lines.filter((l) => l.outcome !== 'accepted');
        expect(byCategory.reduce((s, c) => s + c.netImpactCents, 0)).toBe(
          changed.reduce((s, l) => s + l.finalCents - l.coderCents, 0),
        );
      }),
    );
  });
});
