import type { CodedLine } from './agreement.js';
import {
  agreementFigures,
  agreementReport,
  chartAgreement,
  emLevel,
  isPairChart,
  weeksBetween,
  type DoubleCodedChart,
} from './agreement-report.js';

const casey = { id: 'c', name: 'Casey' };
const jordan = { id: 'j', name: 'Jordan' };
const taylor = { id: 't', name: 'Taylor' };

const line = (code: string, modifiers: string[] = [], units = 1): CodedLine => ({
  code,
  modifiers,
  units,
});

function chart(
  n: number,
  at: string,
  coders: [typeof casey, typeof casey],
  first: CodedLine[],
  second: CodedLine[],
): DoubleCodedChart {
  return {
    doubleCodingId: `dc${n}`,
    encounterId: `e${n}`,
    chartLabel: `Patient ${n}, 2026-11-0${n}`,
    status: 'reconciled',
    bothSubmittedAt: at,
    coders,
    lines: [first, second],
  };
}

/*
 * Four charts over two weeks (Mondays 2026-11-02 and 2026-11-09), counted by hand:
 *
 * 1. Casey / Jordan: 99213 + 20610-RT  vs  99213 + 20610-LT.
 *    codes {99213 (1,1), 20610 (1,1)}: 2 of 2 agree; positive 2+2 / 2+2 = 4/4.
 *    lines {99213||1 (1,1), 20610|LT|1 (0,1), 20610|RT|1 (1,0)}: 1/3; positive 2/(2+1+1) = 2/4.
 *    E/M 99213 / 99213.
 * 2. Casey / Jordan: 99214 + 36415  vs  99213.
 *    codes and lines {36415 (1,0), 99213 (0,1), 99214 (1,0)}: 0/3; positive 0/3.
 *    E/M 99214 / 99213.
 * 3. Casey / Taylor: 99203-25 + 11042  vs  99203-25 + 11042 + 11045.
 *    codes and lines: 11042 (1,1), 11045 (0,1), 99203 (1,1): 2/3; positive 4/5. E/M 99203 both.
 * 4. Taylor (slot 1) / Jordan: 71046-26  vs  71046.
 *    codes {71046 (1,1)}: 1/1, positive 2/2; lines {71046||1, 71046|26|1}: 0/2, positive 0/2.
 *    E/M none / none.
 */
const charts: DoubleCodedChart[] = [
  chart(
    1,
    '2026-11-03T10:00:00.000Z',
    [casey, jordan],
    [line('99213'), line('20610', ['RT'])],
    [line('99213'), line('20610', ['LT'])],
  ),
  chart(
    2,
    '2026-11-05T10:00:00.000Z',
    [casey, jordan],
    [line('99214'), line('36415')],
    [line('99213')],
  ),
  chart(
    3,
    '2026-11-10T10:00:00.000Z',
    [casey, taylor],
    [line('99203', ['25']), line('11042')],
    [line('99203', ['25']), line('11042'), line('11045')],
  ),
  chart(4, '2026-11-12T10:00:00.000Z', [taylor, jordan], [line('71046', ['26'])], [line('71046')]),
];

const m = (numerator: number, denominator: number) => ({
  value: denominator > 0 ? numerator / denominator : null,
  numerator,
  denominator,
});

describe('emLevel', () => {
  it('is the E/M code billed, several joined in order, or none', () => {
    expect(emLevel([line('36415'), line('99214', ['25'])])).toBe('99214');
    expect(emLevel([line('99214'), line('99213'), line('99214')])).toBe('99213+99214');
    expect(emLevel([line('71046')])).toBe('none');
    expect(emLevel([])).toBe('none');
  });
});

describe('chartAgreement', () => {
  it('is percent agreement over the union of one chart’s codes and lines', () => {
    expect(chartAgreement(charts[0]!)).toEqual({ codes: m(2, 2), lines: m(1, 3) });
    expect(chartAgreement(charts[3]!)).toEqual({ codes: m(1, 1), lines: m(0, 2) });
  });
});

describe('agreementFigures', () => {
  it('team: sums the units of every chart; alpha on the E/M level, no kappa for three coders', () => {
    const team = agreementFigures(charts);
    expect(team.charts).toBe(4);
    // codes: 2 + 0 + 2 + 1 agreed of 2 + 3 + 3 + 1 units; positive (4+0+4+2)/(4+3+5+2).
    expect(team.codes).toEqual({ percent: m(5, 9), positive: m(10, 14) });
    // lines: 1 + 0 + 2 + 0 of 3 + 3 + 3 + 2; positive (2+0+4+0)/(4+3+5+2).
    expect(team.lines).toEqual({ percent: m(3, 11), positive: m(6, 14) });
    // E/M: units (99213,99213) (99214,99213) (99203,99203) (none,none); n_c = 2, 3, 1, 2, n = 8.
    // D_o = 2/8; D_e = (64 - 4 - 9 - 1 - 4)/(8 x 7) = 46/56; alpha = 1 - (2/8)/(46/56) = 16/23.
    expect(team.emLevel.kappa).toBeNull();
    expect(team.emLevel.alpha).toBeCloseTo(16 / 23, 12);
    expect(team.emLevel.units).toBe(4);
  });

  it('a pair: kappa and alpha on the E/M level', () => {
    const pair = agreementFigures(charts.slice(0, 2));
    expect(pair.codes).toEqual({ percent: m(2, 5), positive: m(4, 7) });
    expect(pair.lines).toEqual({ percent: m(1, 6), positive: m(2, 7) });
    // Casey 99213, 99214; Jordan 99213 twice: po = 1/2, pe = 1/2 x 1 + 1/2 x 0 = 1/2, kappa 0.
    // Coincidences 99213: 3, 99214: 1, n = 4: D_o = 2/4, D_e = (16 - 9 - 1)/12 = 1/2, alpha 0.
    expect(pair.emLevel.kappa).toBeCloseTo(0, 12);
    expect(pair.emLevel.alpha).toBeCloseTo(0, 12);
    expect(pair.emLevel.units).toBe(2);
  });

  it('over nothing every figure is null with zero counts', () => {
    expect(agreementFigures([])).toEqual({
      charts: 0,
      codes: { percent: m(0, 0), positive: m(0, 0) },
      lines: { percent: m(0, 0), positive: m(0, 0) },
      emLevel: { kappa: null, alpha: null, units: 0 },
    });
  });

  it('one same E/M category throughout: kappa and alpha null (0/0), not 1', () => {
    const figures = agreementFigures([charts[2]!]);
    expect(figures.emLevel).toEqual({ kappa: null, alpha: null, units: 1 });
  });
});

describe('agreementReport', () => {
  const report = agreementReport({ from: '2026-11-02', to: '2026-11-22' }, charts);

  it('pairs: coders in name order, most charts first, each with its own figures', () => {
    expect(report.pairs.map((p) => [p.coders.map((c) => c.name), p.charts])).toEqual([
      [['Casey', 'Jordan'], 2],
      [['Casey', 'Taylor'], 1],
      [['Jordan', 'Taylor'], 1],
    ]);
    const [, ct, jt] = report.pairs;
    expect(ct!.codes).toEqual({ percent: m(2, 3), positive: m(4, 5) });
    expect(ct!.emLevel).toEqual({ kappa: null, alpha: null, units: 1 });
    expect(jt!.lines).toEqual({ percent: m(0, 2), positive: m(0, 2) });
  });

  it('weeks: every Monday of the period, empty ones included', () => {
    expect(report.weeks.map((w) => [w.week, w.charts])).toEqual([
      ['2026-11-02', 2],
      ['2026-11-09', 2],
      ['2026-11-16', 0],
    ]);
    expect(report.weeks[0]!.codes.percent).toEqual(m(2, 5));
    expect(report.weeks[0]!.emLevel.kappa).toBeCloseTo(0, 12);
    // Week 2: charts 3 and 4, coded by three coders between them: no kappa.
    expect(report.weeks[1]!.codes.percent).toEqual(m(3, 4));
    expect(report.weeks[1]!.emLevel.kappa).toBeNull();
    expect(report.weeks[2]!.codes.percent.value).toBeNull();
  });

  it('charts: newest first, coders in name order, each with its own measures', () => {
    expect(report.charts.map((c) => c.doubleCodingId)).toEqual(['dc4', 'dc3', 'dc2', 'dc1']);
    expect(report.charts[0]).toEqual({
      doubleCodingId: 'dc4',
      encounterId: 'e4',
      chartLabel: 'Patient 4, 2026-11-04',
      coders: [jordan, taylor],
      bothSubmittedAt: '2026-11-12T10:00:00.000Z',
      status: 'reconciled',
      codes: m(1, 1),
      lines: m(0, 2),
    });
    expect(report.charts.filter((c) => isPairChart(c, report.pairs[0]!)).length).toBe(2);
    expect(report.team.charts).toBe(4);
    expect(report.period).toEqual({ from: '2026-11-02', to: '2026-11-22' });
  });
});

describe('weeksBetween', () => {
  it('lists the Mondays, both ends included', () => {
    expect(weeksBetween('2026-12-28', '2027-01-11')).toEqual([
      '2026-12-28',
      '2027-01-04',
      '2027-01-11',
    ]);
    expect(weeksBetween('2026-11-09', '2026-11-02')).toEqual([]);
  });
});
