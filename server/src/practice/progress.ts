import { coursePassed, measure, type PracticeProgress } from '@countersign/shared';

/** One submitted or open attempt, as progress reads it. */
export interface ScoredAttempt {
  chartId: string;
  submittedAt: Date | null;
  elementsRight: number | null;
  elementsTotal: number | null;
}

/**
 * A trainee's progress on a course (docs/domain.md section 11.1): the latest submitted attempt
 * of each of the course's charts counts (a retake replaces the earlier score); the average pools
 * their elements (right / scored), so a chart with more lines weighs more; passed when at least
 * `minCharts` charts are done and the average reaches the pass mark.
 */
export function courseProgress(
  course: { passPercent: number; minCharts: number },
  chartIds: readonly string[],
  attempts: readonly ScoredAttempt[],
): PracticeProgress {
  const latest = new Map<string, ScoredAttempt>();
  for (const attempt of attempts) {
    if (!attempt.submittedAt || !chartIds.includes(attempt.chartId)) continue;
    const seen = latest.get(attempt.chartId);
    if (!seen || seen.submittedAt! < attempt.submittedAt) latest.set(attempt.chartId, attempt);
  }
  let right = 0;
  let total = 0;
  for (const attempt of latest.values()) {
    right += attempt.elementsRight ?? 0;
    total += attempt.elementsTotal ?? 0;
  }
  const average = measure(right, total);
  return {
    chartsDone: latest.size,
    chartsTotal: chartIds.length,
    average,
    passed: coursePassed(course, latest.size, average),
  };
}
