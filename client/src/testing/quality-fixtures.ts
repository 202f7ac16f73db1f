import {
  EMPTY_TALLY,
  accuracyFigures,
  type AccuracyFigures,
  type AccuracyTally,
  type MyQuality,
  type QualityGroupRow,
  type QualityReport,
} from '@countersign/shared';

export const CODER_ID = '11111111-1111-4111-8111-111111111111';
export const CODER_2_ID = '22222222-2222-4222-8222-222222222222';
export const REVIEWER_ID = '33333333-3333-4333-8333-333333333333';

/** Figures from a tally; unspecified counts are 0. */
export function figures(tally: Partial<AccuracyTally> = {}): AccuracyFigures {
  return accuracyFigures({ ...EMPTY_TALLY, ...tally });
}

/** 291 of 300 lines, 28 of 30 charts, $3,000 reviewed, $60 moved, +$40 net. */
export const TEAM_FIGURES = figures({
  coderLines: 296,
  acceptedUnchanged: 291,
  missedLines: 4,
  corrected: 3,
  rejected: 2,
  chartsReviewed: 30,
  chartsClean: 28,
  reviewedCents: 300000,
  absImpactCents: 6000,
  netImpactCents: 4000,
});

/** Two charts, both clean: 100% that must read as two charts. */
export const TWO_CLEAN = figures({
  coderLines: 3,
  acceptedUnchanged: 3,
  chartsReviewed: 2,
  chartsClean: 2,
  reviewedCents: 45000,
});

export function group(key: string, label: string, f = TEAM_FIGURES): QualityGroupRow {
  return { key, label, figures: f };
}

export function makeReport(overrides: Partial<QualityReport> = {}): QualityReport {
  return {
    filter: { from: '2026-09-07', to: '2026-11-29' },
    totals: TEAM_FIGURES,
    byCoder: [group(CODER_ID, 'Casey Coder'), group(CODER_2_ID, 'Cameron Coder', TWO_CLEAN)],
    byReviewer: [group(REVIEWER_ID, 'Riley Reviewer')],
    byFamily: [group('em', 'E/M')],
    byProvider: [group('1234567893', 'Dana Whitfield, MD')],
    byWeek: [group('2026-11-16', 'Week of Nov 16'), group('2026-11-23', 'Week of Nov 23')],
    coderWeeks: [
      { coderId: CODER_ID, coderName: 'Casey Coder', week: '2026-11-16', figures: TEAM_FIGURES },
      { coderId: CODER_ID, coderName: 'Casey Coder', week: '2026-11-23', figures: TWO_CLEAN },
      { coderId: CODER_2_ID, coderName: 'Cameron Coder', week: '2026-11-23', figures: TWO_CLEAN },
    ],
    byCategory: [
      {
        category: 'missing-modifier',
        label: 'Missing modifier',
        corrections: 3,
        lines: 300,
        netImpactCents: 2500,
        absImpactCents: 2500,
      },
      {
        category: 'units',
        label: 'Units',
        corrections: 0,
        lines: 300,
        netImpactCents: 0,
        absImpactCents: 0,
      },
    ],
    turnaround: {
      submitToApproval: { count: 30, p50Hours: 5.5, p90Hours: 30 },
      approvalToSignOff: { count: 0, p50Hours: null, p90Hours: null },
    },
    queue: {
      awaitingReview: {
        count: 4,
        oldestHours: 80,
        ageBuckets: [
          { label: '< 1 day', count: 2 },
          { label: '1-3 days', count: 1 },
          { label: '3-7 days', count: 1 },
          { label: '> 7 days', count: 0 },
        ],
      },
      awaitingSignOff: {
        count: 0,
        oldestHours: null,
        ageBuckets: [
          { label: '< 1 day', count: 0 },
          { label: '1-3 days', count: 0 },
          { label: '3-7 days', count: 0 },
          { label: '> 7 days', count: 0 },
        ],
      },
      disputesOpen: 1,
      escalationsOpen: 0,
    },
    ...overrides,
  };
}

export function makeMine(overrides: Partial<MyQuality> = {}): MyQuality {
  return {
    coder: { id: CODER_ID, name: 'Casey Coder' },
    period: { from: '2026-09-07', to: '2026-11-29' },
    totals: TEAM_FIGURES,
    thisWeek: TWO_CLEAN,
    lastWeek: figures({
      coderLines: 10,
      acceptedUnchanged: 8,
      chartsReviewed: 4,
      chartsClean: 2,
      reviewedCents: 90000,
      absImpactCents: 2000,
      netImpactCents: 2000,
    }),
    byWeek: [
      group('2026-11-16', 'Week of Nov 16'),
      group('2026-11-23', 'Week of Nov 23', TWO_CLEAN),
    ],
    byCategory: [],
    byFamily: [],
    corrections: [
      {
        encounterId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
        patientName: 'Avery Review',
        dateOfService: '2026-11-20',
        approvedAt: '2026-11-24T15:00:00.000Z',
        outcome: 'corrected',
        category: 'missing-modifier',
        coderLine: '99214 x1',
        finalLine: '99214-25 x1',
        reviewer: { id: REVIEWER_ID, name: 'Riley Reviewer' },
        comment: 'Separately identifiable E/M on the day of the injection',
      },
    ],
    reviewLevel: null,
    ...overrides,
  };
}
