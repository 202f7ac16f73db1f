import { figures, TEAM_FIGURES, TWO_CLEAN } from '../../testing/quality-fixtures';
import {
  dollars,
  figuresSentence,
  formatDollarMeasure,
  formatDuration,
  formatMeasure,
  hours,
  measureCounts,
  measureValue,
  netImpact,
  percent,
  pointsChange,
} from './quality-format';

describe('quality figures as people read them', () => {
  it('always gives a measure with its counts', () => {
    expect(formatMeasure(TEAM_FIGURES.line, 'line')).toBe('97% (291 of 300 lines)');
    expect(formatMeasure(TEAM_FIGURES.chart, 'chart')).toBe('93% (28 of 30 charts)');
    expect(formatDollarMeasure(TEAM_FIGURES.dollar)).toBe('98% ($2,940.00 of $3,000.00 kept)');
  });

  it('shows 100% over two charts as such, and one chart in the singular', () => {
    expect(formatMeasure(TWO_CLEAN.chart, 'chart')).toBe('100% (2 of 2 charts)');
    const one = figures({ chartsReviewed: 1, chartsClean: 0, coderLines: 1 });
    expect(formatMeasure(one.chart, 'chart')).toBe('0% (0 of 1 chart)');
    expect(formatMeasure(one.line, 'line')).toBe('0% (0 of 1 line)');
  });

  it('says "no data" over nothing, never 0% or 100%', () => {
    const none = figures();
    expect(formatMeasure(none.line, 'line')).toBe('No data (0 lines)');
    expect(formatDollarMeasure(none.dollar)).toBe('No data ($0 reviewed)');
    expect(measureValue(none.chart)).toBe('—');
    expect(measureCounts(none.chart, 'chart')).toBe('0 charts reviewed');
    expect(measureCounts(none.dollar, 'dollar')).toBe('no money reviewed');
  });

  it('never rounds a near miss up to 100% or a little down to 0%', () => {
    expect(percent(0.996)).toBe('99.6%');
    expect(percent(0.9999)).toBe('99.9%');
    expect(percent(1)).toBe('100%');
    expect(percent(0.004)).toBe('0.4%');
    expect(percent(0)).toBe('0%');
    expect(percent(0.5)).toBe('50%');
  });

  it('writes money, net impact, hours and turnaround', () => {
    expect(dollars(123450)).toBe('$1,234.50');
    expect(dollars(-8000)).toBe('-$80.00');
    expect(netImpact(12000)).toBe('+$120.00 found');
    expect(netImpact(-8000)).toBe('-$80.00 over-coded');
    expect(netImpact(0)).toBe('$0.00');
    expect(hours(null)).toBe('—');
    expect(hours(3.46)).toBe('3.5 h');
    expect(hours(0.2)).toBe('12 min');
    expect(hours(0.001)).toBe('under a minute');
    expect(hours(30)).toBe('30 h');
    expect(hours(60)).toBe('2.5 days');
    expect(formatDuration({ count: 14, p50Hours: 3.5, p90Hours: 20 })).toBe(
      'p50 3.5 h · p90 20 h (14 charts)',
    );
    expect(formatDuration({ count: 0, p50Hours: null, p90Hours: null })).toBe(
      'No charts made both steps',
    );
  });

  it('reads the three measures in one sentence, never blended', () => {
    expect(figuresSentence(TWO_CLEAN)).toBe(
      'line accuracy 100% (3 of 3 lines), chart accuracy 100% (2 of 2 charts), dollar accuracy 100% ($450.00 of $450.00 kept)',
    );
  });

  it('compares this week with last week in points, and not at all without data', () => {
    const last = figures({ coderLines: 10, acceptedUnchanged: 8 });
    expect(pointsChange(TWO_CLEAN.line, last.line)).toBe('+20 pts');
    expect(pointsChange(last.line, TWO_CLEAN.line)).toBe('-20 pts');
    expect(pointsChange(last.line, last.line)).toBe('no change');
    expect(pointsChange(figures().line, last.line)).toBeNull();
  });
});
