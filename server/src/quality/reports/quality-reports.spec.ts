import { seededRandom } from '../../testing/seeded-random.js';
import {
  bucketHours,
  formatLine,
  histogramPercentiles,
  mondayOf,
  resolvePeriod,
} from './quality-reports.service.js';

/** quality_duration_bucket, as the migration defines it. */
const bucketOf = (hours: number) =>
  hours <= 0 ? 0 : 1 + Math.floor(Math.log(1 + hours * 60) * 24);

/** percentile_cont over the values themselves. */
function exact(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const low = Math.floor(rank);
  return (
    sorted[low]! + (sorted[Math.min(low + 1, sorted.length - 1)]! - sorted[low]!) * (rank - low)
  );
}

describe('quality report helpers', () => {
  it('periods are whole UTC weeks: 12 by default, at most 105', () => {
    expect(mondayOf('2026-12-01')).toBe('2026-11-30');
    expect(mondayOf('2026-11-30')).toBe('2026-11-30');
    expect(mondayOf('2026-12-06')).toBe('2026-11-30');
    expect(resolvePeriod(undefined, undefined, '2026-12-01')).toEqual({
      fromWeek: '2026-09-14',
      toWeek: '2026-11-30',
      from: '2026-09-14',
      to: '2026-12-06',
    });
    expect(resolvePeriod('2026-01-07', '2026-01-07', '2026-12-01')).toMatchObject({
      from: '2026-01-05',
      to: '2026-01-11',
    });
    expect(() => resolvePeriod('2024-01-01', '2026-01-31', '2026-12-01')).toThrow(/105 weeks/);
    expect(resolvePeriod('2024-02-01', '2026-01-31', '2026-12-01').fromWeek).toBe('2024-01-29');
  });

  it('formats a line as the coder reads it', () => {
    expect(formatLine({ code: '99214', modifiers: ['25'], units: 1 })).toBe('99214-25 x1');
    expect(formatLine({ code: '20610', modifiers: ['RT', '59'], units: 2 })).toBe('20610-RT-59 x2');
    expect(formatLine(null)).toBeNull();
  });

  it('histogram percentiles are within a bucket of percentile_cont', () => {
    const random = seededRandom(9);
    for (let trial = 0; trial < 20; trial++) {
      const values = Array.from({ length: 1 + Math.floor(random() * 400) }, () => random() * 200);
      const counts = new Map<number, number>();
      for (const v of values) counts.set(bucketOf(v), (counts.get(bucketOf(v)) ?? 0) + 1);
      const result = histogramPercentiles(
        [...counts].map(([bucket, charts]) => ({ bucket, charts })),
      );
      expect(result.count).toBe(values.length);
      for (const [p, got] of [
        [0.5, result.p50!],
        [0.9, result.p90!],
      ] as const) {
        const want = exact(values, p);
        const [low, high] = bucketHours(bucketOf(want));
        // Within the bucket the exact value falls in, widened by a neighbour on each side.
        expect(got).toBeGreaterThanOrEqual(low * 0.95 - 1e-9);
        expect(got).toBeLessThanOrEqual(high * 1.05 + 1e-9);
      }
    }
    expect(histogramPercentiles([])).toEqual({ count: 0, p50: null, p90: null });
  });
});
