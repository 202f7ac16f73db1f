import {
  makeReport,
  CODER_ID,
  CODER_2_ID,
  TEAM_FIGURES,
  TWO_CLEAN,
  group,
} from '../../testing/quality-fixtures';
import {
  categoryOption,
  categorySummary,
  coderTrendOption,
  coderTrendSummary,
  impactOption,
  myTrendOption,
  weekLabel,
  type ChartPalette,
  type ChartPoint,
} from './chart-options';

const PALETTE: ChartPalette = {
  series: ['c0', 'c1', 'c2'],
  text: 'text',
  muted: 'muted',
  grid: 'grid',
  positive: 'pos',
  negative: 'neg',
};

interface Series {
  name?: string;
  color?: string;
  data: ChartPoint[];
}
const seriesOf = (option: Record<string, unknown>) => option['series'] as Series[];
const axis = (option: Record<string, unknown>, name: 'xAxis' | 'yAxis') =>
  option[name] as { data?: string[] };

describe('chart options', () => {
  it('draws line accuracy per coder per week, with gaps where a coder had no review', () => {
    const option = coderTrendOption(makeReport().coderWeeks, PALETTE) as Record<string, unknown>;
    expect(axis(option, 'xAxis').data).toEqual(['Nov 16', 'Nov 23']);
    const [casey, cameron] = seriesOf(option);
    expect(casey!.name).toBe('Casey Coder');
    expect(casey!.color).toBe('c0');
    expect(casey!.data.map((p) => p.value)).toEqual([97, 100]);
    expect(cameron!.data.map((p) => p.value)).toEqual([null, 100]);
    expect(casey!.data[0]!.tip).toBe('Casey Coder, week of 2026-11-16: 97% (291 of 300 lines)');
    expect(casey!.data[1]!.link).toEqual({ coderId: CODER_ID, week: '2026-11-23' });
    expect(cameron!.data[1]!.link).toEqual({ coderId: CODER_2_ID, week: '2026-11-23' });
  });

  it('shows the tooltip of the point with its counts', () => {
    const option = coderTrendOption(makeReport().coderWeeks, PALETTE) as Record<string, unknown>;
    const tooltip = option['tooltip'] as { formatter: (p: unknown) => string };
    const point = seriesOf(option)[1]!.data[1]!;
    expect(tooltip.formatter({ data: point })).toBe(
      'Cameron Coder, week of 2026-11-23: 100% (3 of 3 lines)',
    );
  });

  it('bars corrections by category, the biggest on top, leaving out categories with none', () => {
    const report = makeReport();
    const rows = [
      ...report.byCategory,
      {
        ...report.byCategory[0]!,
        category: 'wrong-code' as const,
        label: 'Wrong code',
        corrections: 7,
      },
    ];
    const option = categoryOption(rows, PALETTE) as Record<string, unknown>;
    expect(axis(option, 'yAxis').data).toEqual(['Missing modifier', 'Wrong code']);
    const [bars] = seriesOf(option);
    expect(bars!.data.map((p) => p.value)).toEqual([3, 7]);
    expect(bars!.data[0]!.link).toEqual({ category: 'missing-modifier' });
    expect(bars!.data[0]!.tip).toBe(
      'Missing modifier: 3 corrections (1% of 300 lines), net $25.00',
    );
    expect(categorySummary(rows)).toBe(
      'Corrections by category: Wrong code: 7 corrections (2% of 300 lines), net $25.00; Missing modifier: 3 corrections (1% of 300 lines), net $25.00.',
    );
    expect(categorySummary([])).toBe('No corrections in this period.');
  });

  it('bars the dollar impact by week, net and moved, each linked to the week', () => {
    const option = impactOption(makeReport().byWeek, PALETTE) as Record<string, unknown>;
    const [net, moved] = seriesOf(option);
    expect(net!.data.map((p) => p.value)).toEqual([40, 40]);
    expect(moved!.data.map((p) => p.value)).toEqual([60, 60]);
    expect(net!.data[1]!.link).toEqual({ week: '2026-11-23' });
  });

  it('draws a coder’s three measures as three lines, never one blended score', () => {
    const option = myTrendOption(
      [
        group('2026-11-23', 'Week of Nov 23', TWO_CLEAN),
        group('2026-11-16', 'Week of Nov 16', TEAM_FIGURES),
      ],
      PALETTE,
    ) as Record<string, unknown>;
    const series = seriesOf(option);
    expect(series.map((s) => s.name)).toEqual([
      'Line accuracy',
      'Chart accuracy',
      'Dollar accuracy',
    ]);
    expect(series[0]!.data.map((p) => p.value)).toEqual([97, 100]);
    expect(series[1]!.data.map((p) => p.value)).toEqual([93.3, 100]);
    expect(series[1]!.data[0]!.tip).toBe(
      'Chart accuracy, week of 2026-11-16: 93% (28 of 30 charts)',
    );
  });

  it('summarises the trend for a screen reader', () => {
    expect(coderTrendSummary(makeReport().coderWeeks)).toBe(
      'Line accuracy by week for 2 coders over 2 weeks, 2026-11-16 to 2026-11-23; the table by week and by coder below has the figures.',
    );
    expect(coderTrendSummary([])).toBe('No reviewed charts in this period.');
    expect(weekLabel('2026-01-05')).toBe('Jan 5');
  });
});
