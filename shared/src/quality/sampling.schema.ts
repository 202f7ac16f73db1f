import { z } from 'zod';
import { CorrectionCategorySchema } from '../review/review-state.schema.js';
import type { UserRef } from '../users/user.schema.js';
import type { ReviewLevel } from './quality.schema.js';

/**
 * An organization's sampling policy (docs/domain.md section 10): new coders get every chart
 * reviewed until they have `newCoderCharts` reviewed charts at or above `lineAccuracyThreshold`
 * line accuracy; then a `sampleRate` share is reviewed, and risk rules pull a chart in whatever
 * the draw. Defaults from common practice: 30 charts at 95%.
 */
export const SamplingPolicySchema = z.object({
  newCoderCharts: z.number().int().min(1).max(500),
  lineAccuracyThreshold: z.number().min(0).max(1),
  /** Share of charts reviewed once a coder is past the new-coder level, 0..1. */
  sampleRate: z.number().min(0).max(1),
  risk: z.object({
    /** A line with any of these modifiers pulls the chart into review. */
    modifiers: z.array(z.string().regex(/^[A-Z0-9]{2}$/)).max(20),
    /** A chart whose estimate is above this (cents) is reviewed; null: no limit. */
    dollarLimitCents: z.number().int().min(0).max(100_000_000).nullable(),
    /** A chart is reviewed when the coder had a correction in one of these categories this many days back. */
    recentFailureDays: z.number().int().min(0).max(365),
    recentFailureCategories: z.array(CorrectionCategorySchema).max(10),
    /** Charts priced or checked with a code-set edition loaded less than this many days ago are reviewed. */
    newEditionDays: z.number().int().min(0).max(365),
  }),
  /**
   * Share of new charts (created or imported as drafts with no lines) sent to blind double coding
   * (docs/domain.md section 11.2), 0..1, to two coders chosen by rotation; absent or 0: none.
   * Drawn with `samplingDraw(chartId, 0)`, so the same chart always draws the same. A policy
   * saved without it keeps the saved share.
   */
  doubleCodingShare: z.number().min(0).max(1).optional(),
});
export type SamplingPolicy = z.infer<typeof SamplingPolicySchema>;

export const DEFAULT_SAMPLING_POLICY: SamplingPolicy = {
  newCoderCharts: 30,
  lineAccuracyThreshold: 0.95,
  sampleRate: 0.25,
  risk: {
    modifiers: ['25', '59'],
    dollarLimitCents: 100_000,
    recentFailureDays: 30,
    recentFailureCategories: [
      'wrong-code',
      'wrong-level',
      'missing-modifier',
      'wrong-modifier',
      'units',
      'diagnosis-pointer',
      'unbundling',
      'missed-code',
      'unsupported',
    ],
    newEditionDays: 30,
  },
};

/** What the sampling decided for one submission, as recorded and shown in the room. */
export interface SamplingDecision {
  review: boolean;
  /** Plain reasons: "Modifier 25 on line 1", "Coder at 100% review (12 of 30 charts)", "Not sampled (25% sample)". */
  reasons: string[];
  level: ReviewLevel['level'];
}

/** A decision as recorded at submit (`GET /api/encounters/:id/sampling`): reproducible from `draw`. */
export interface RecordedSamplingDecision extends SamplingDecision {
  encounterId: string;
  /** The seq of the submit's event (`status.changed` or `review.skipped`). */
  seq: number;
  /** In [0, 1): `samplingDraw(encounterId, seq)`. */
  draw: number;
  sampleRate: number;
  /** The coder's level in words at the time. */
  explanation: string;
  decidedAt: string;
}

/** Each coder's current level, for supervisors (`GET /api/sampling/levels`). */
export interface CoderReviewLevel {
  coder: UserRef;
  level: ReviewLevel;
}
