import fc from 'fast-check';
import {
  EMPTY_TALLY,
  LINE_OUTCOMES,
  accuracyFigures,
  chartAccuracy,
  codeFamily,
  dollarAccuracy,
  lineAccuracy,
  tallyCharts,
  type ReviewedChartFact,
  type ReviewedLineFact,
} from './accuracy.js';

const line = (
  outcome: ReviewedLineFact['outcome'],
  code = '99213',
  category: ReviewedLineFact['category'] = outcome === 'accepted' ? null : 'wrong-code',
): ReviewedLineFact => ({ outcome, code, category });

const chart = (
  lines: ReviewedLineFact[],
  coderCents: number,
  reviewedCents: number,
  extra: Partial<ReviewedChartFact> = {},
): ReviewedChartFact => ({
  encounterId: 'e',
  coderId: 'c',
  reviewerId: 'r',
  providerNpi: null,
  approvedAt: '2026-11-30T10:00:00.000Z',
  lines,
  coderCents,
  reviewedCents,
  ...extra,
});

describe('accuracy, defined once (docs/domain.md section 10.2)', () => {
  it('computes the worked example by hand: 1 of 4 lines, 0 of 1 charts, 88.9% of the dollars', () => {
    // Accepted, corrected (99214 -> 99213), rejected, and a missed 20610 the reviewer added;
    // the coder's lines priced $200.00, the approved ones $180.00.
    const tally = tallyCharts([
      chart(
        [
          line('accepted', '99213'),
          line('corrected', '99213', 'wrong-level'),
          line('rejected', '36415', 'unsupported'),
          line('missed', '20610', 'missed-code'),
        ],
        20_000,
        18_000,
      ),
    ]);
    expect(tally).toEqual({
      coderLines: 3,
      acceptedUnchanged: 1,
      missedLines: 1,
      corrected: 1,
      rejected: 1,
      chartsReviewed: 1,
      chartsClean: 0,
      reviewedCents: 18_000,
      absImpactCents: 2_000,
      netImpactCents: -2_000,
    });
    const figures = accuracyFigures(tally);
    expect(figures.line).toEqual({ value: 0.25, numerator: 1, denominator: 4 });
    expect(figures.chart).toEqual({ value: 0, numerator: 0, denominator: 1 });
    expect(figures.dollar).toEqual({
      value: 16_000 / 18_000,
      numerator: 16_000,
      denominator: 18_000,
    });
    expect(figures.dollar.value).toBeCloseTo(0.889, 3);
  });

  it('sums money found and money over-coded as absolute impact, and nets them apart', () => {
    // One chart under-coded by $50 (the review found money), one over-coded by $30.
    const tally = tallyCharts([
      chart([line('corrected')], 10_000, 15_000),
      chart([line('corrected')], 13_000, 10_000),
    ]);
    expect(tally).toMatchObject({
      reviewedCents: 25_000,
      absImpactCents: 8_000,
      netImpactCents: 2_000,
    });
    expect(dollarAccuracy(tally)).toEqual({
      value: 17_000 / 25_000,
      numerator: 17_000,
      denominator: 25_000,
    });
  });

  it('counts a clean chart only when every coder line was accepted and nothing was missed', () => {
    const tally = tallyCharts([
      chart([line('accepted'), line('accepted', '20610')], 100, 100),
      chart([line('accepted'), line('missed', '20610')], 100, 150),
      chart([line('accepted')], 100, 100),
    ]);
    expect(chartAccuracy(tally)).toEqual({ value: 2 / 3, numerator: 2, denominator: 3 });
    expect(lineAccuracy(tally)).toEqual({ value: 4 / 5, numerator: 4, denominator: 5 });
  });

  it('reads nothing reviewed as no data, never 0% or 100%', () => {
    const figures = accuracyFigures(EMPTY_TALLY);
    expect(figures.line).toEqual({ value: null, numerator: 0, denominator: 0 });
    expect(figures.chart).toEqual({ value: null, numerator: 0, denominator: 0 });
    expect(figures.dollar).toEqual({ value: null, numerator: 0, denominator: 0 });
    // A chart of unpriced lines (no fee schedule) has line and chart figures but no dollar one.
    const unpriced = accuracyFigures(tallyCharts([chart([line('accepted')], 0, 0)]));
    expect(unpriced.line.value).toBe(1);
    expect(unpriced.dollar.value).toBeNull();
  });

  it('keeps a tiny sample honest: 100% over two charts carries its counts', () => {
    const figures = accuracyFigures(
      tallyCharts([chart([line('accepted')], 500, 500), chart([line('accepted')], 700, 700)]),
    );
    expect(figures.chart).toEqual({ value: 1, numerator: 2, denominator: 2 });
    expect(figures.line).toEqual({ value: 1, numerator: 2, denominator: 2 });
    expect(figures.dollar).toEqual({ value: 1, numerator: 1_200, denominator: 1_200 });
  });

  it('never lets dollar accuracy fall below 0 when the review moved more than the claim kept', () => {
    // The coder billed $900 for a chart worth $100: the impact is larger than what was reviewed.
    const tally = tallyCharts([chart([line('corrected')], 90_000, 10_000)]);
    expect(dollarAccuracy(tally)).toEqual({ value: 0, numerator: 0, denominator: 10_000 });
  });

  it('groups codes into families by CPT section and HCPCS Level II', () => {
    expect(
      ['99214', '20610', '73562', '80053', '96372', 'J3301', '0001F', '00100', 'ZZZZZ'].map(
        codeFamily,
      ),
    ).toEqual([
      'em',
      'surgery',
      'radiology',
      'lab',
      'medicine',
      'hcpcs',
      'other',
      'other',
      'other',
    ]);
  });

  it('keeps the three measures in [0, 1] and the counts consistent for any history', () => {
    const lineFact = fc.record({
      outcome: fc.constantFrom(...LINE_OUTCOMES),
      code: fc.constantFrom('99213', '20610', 'J3301'),
      category: fc.constant(null),
    });
    const chartFact = fc.record({
      lines: fc.array(lineFact, { maxLength: 8 }),
      coderCents: fc.integer({ min: 0, max: 5_000_000 }),
      reviewedCents: fc.integer({ min: 0, max: 5_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(chartFact, { maxLength: 30 }), (charts) => {
        const tally = tallyCharts(charts.map((c) => chart(c.lines, c.coderCents, c.reviewedCents)));
        const figures = accuracyFigures(tally);
        for (const m of [figures.line, figures.chart, figures.dollar]) {
          expect(m.numerator).toBeLessThanOrEqual(m.denominator);
          if (m.value === null) expect(m.denominator).toBe(0);
          else {
            expect(m.value).toBeGreaterThanOrEqual(0);
            expect(m.value).toBeLessThanOrEqual(1);
          }
        }
        expect(tally.acceptedUnchanged + tally.corrected + tally.rejected).toBe(tally.coderLines);
        expect(tally.chartsClean).toBeLessThanOrEqual(tally.chartsReviewed);
        expect(Math.abs(tally.netImpactCents)).toBeLessThanOrEqual(tally.absImpactCents);
      }),
    );
  });
});
