import { agreementFigures, agreementReport } from '@countersign/shared';
import {
  agreementChartCsvRows,
  agreementCsvRows,
  agreementTiles,
  agreementTrendOption,
  agreementTrendSummary,
  coefficient,
  unitCounts,
} from './agreement-format';

const palette = {
  series: ['a', 'b'],
  text: 't',
  muted: 'm',
  grid: 'g',
  positive: 'p',
  negative: 'n',
};
const C = { id: 'c', name: 'Casey' };
const J = { id: 'j', name: 'Jordan' };
const line = (code: string, modifiers: string[] = []) => ({ code, modifiers, units: 1 });

// One chart: Casey 99214-25 + 36415, Jordan 99214 + 36415.
// Codes {36415, 99214} both: 2/2, positive 4/4. Lines {36415||1 both, 99214|25|1, 99214||1}: 1/3, positive 2/4.
const report = agreementReport({ from: '2026-11-02', to: '2026-11-15' }, [
  {
    doubleCodingId: 'd1',
    encounterId: 'e1',
    chartLabel: 'Pat, 2026-11-01',
    status: 'reconciled',
    bothSubmittedAt: '2026-11-03T09:00:00.000Z',
    coders: [C, J],
    lines: [
      [line('99214', ['25']), line('36415')],
      [line('99214'), line('36415')],
    ],
  },
]);

describe('agreement format', () => {
  it('tiles carry their counts; a pair shows kappa, the team alpha', () => {
    const team = agreementTiles(report.team, false);
    expect(team.map((t) => [t.id, t.value, t.counts])).toEqual([
      ['codes-percent', '100%', '2 of 2 codes'],
      ['codes-positive', '100%', '4 of 4 billings'],
      ['lines-percent', '33%', '1 of 3 lines'],
      ['lines-positive', '50%', '2 of 4 billings'],
      ['em', '—', '1 chart; no spread of levels to judge'],
    ]);
    expect(team[4]!.label).toBe('E/M level alpha');
    expect(agreementTiles(report.pairs[0]!, true)[4]!.label).toBe('E/M level kappa');
    expect(agreementTiles(agreementFigures([]), false)[0]!.counts).toBe('no codes');
  });

  it('coefficients to two decimals, never "-0.00"', () => {
    expect(coefficient(3 / 7)).toBe('0.43');
    expect(coefficient(-0.001)).toBe('0.00');
    expect(coefficient(-0.05)).toBe('-0.05');
    expect(coefficient(null)).toBe('—');
    expect(unitCounts({ value: 1, numerator: 1, denominator: 1 }, 'code')).toBe('1 of 1 code');
  });

  it('the trend has a point per week, null where there were no charts, each opening its week', () => {
    const option = agreementTrendOption(report.weeks, palette) as {
      series: { name: string; data: { value: number | null; link: { week: string } }[] }[];
    };
    expect(option.series.map((s) => s.name)).toEqual(['Codes', 'Lines (code + modifiers + units)']);
    expect(option.series[0]!.data.map((p) => p.value)).toEqual([100, null]);
    expect(option.series[1]!.data.map((p) => p.value)).toEqual([33.3, null]);
    expect(option.series[1]!.data[1]!.link).toEqual({ week: '2026-11-09' });
    expect(agreementTrendSummary(report.weeks)).toBe(
      'Percent agreement by week: week of 2026-11-02, codes 100%, lines 33% over 1 chart.',
    );
  });

  it('CSV rows: team, pairs and weeks with every count; the charts', () => {
    const rows = agreementCsvRows(report);
    expect(rows[0]).toHaveLength(18);
    expect(rows[1]).toEqual([
      'team',
      '2026-11-02 to 2026-11-15',
      1,
      1,
      2,
      2,
      1,
      4,
      4,
      0.3333,
      1,
      3,
      0.5,
      2,
      4,
      '',
      '',
      1,
    ]);
    expect(rows.map((r) => r[0])).toEqual(['scope', 'team', 'pair', 'week', 'week']);
    expect(agreementChartCsvRows(report.charts)[1]).toEqual([
      'd1',
      'Pat, 2026-11-01',
      'Casey',
      'Jordan',
      '2026-11-03T09:00:00.000Z',
      'reconciled',
      1,
      2,
      2,
      0.3333,
      1,
      3,
    ]);
  });
});
