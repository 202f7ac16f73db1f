import type { DataSource } from 'typeorm';
import { generateQualityHistory } from '../quality/reports/quality-history.js';
import { DEMO_PROVIDERS } from './demo-encounters.js';

/** How many reviewed charts the demo organization has, over the last 12 weeks. */
export const DEMO_REVIEWED_CHARTS = 360;

/**
 * The demo organization's reviewed history, so the quality dashboards have something to show:
 * 360 charts approved and signed off over the 12 weeks before yesterday, coded by the three demo
 * coders and reviewed by the two demo reviewers (the history generator, seed 2026). Once only: an
 * organization that already has review results is left as it is.
 */
export async function seedDemoQualityHistory(
  dataSource: DataSource,
  organizationId: string,
  team: { coders: string[]; reviewers: string[] },
): Promise<number> {
  const [{ results }] = await dataSource.query<[{ results: number }]>(
    `SELECT count(*)::int AS results FROM review_results WHERE organization_id = $1`,
    [organizationId],
  );
  if (results > 0) return 0;
  const summary = await dataSource.transaction((tx) =>
    generateQualityHistory(
      tx,
      {
        organizationId,
        coders: team.coders,
        reviewers: team.reviewers,
        providers: DEMO_PROVIDERS,
      },
      {
        charts: DEMO_REVIEWED_CHARTS,
        weeks: 12,
        seed: 2026,
        end: new Date(Date.now() - 86_400_000),
        mrnPrefix: 'QH-',
        allSignedOff: true,
      },
    ),
  );
  return summary.charts;
}
