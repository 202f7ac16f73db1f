import { z } from 'zod';
import { IsoDateSchema } from '../common/text.js';
import {
  CorrectionCategorySchema,
  type CorrectionCategory,
} from '../review/review-state.schema.js';
import type { UserRef } from '../users/user.schema.js';
import {
  CODE_FAMILIES,
  type AccuracyFigures,
  type CodeFamily,
  type LineOutcome,
} from './accuracy.js';

/**
 * The quality programme's REST contract (`/api/quality/...`): one filter for every figure, the
 * team report a supervisor reads, a coder's own view, and the charts behind any figure. The
 * dashboards draw exactly these; CSV exports are made from the same rows.
 */
export const QualityFilterSchema = z
  .object({
    /** Approval date range, inclusive (YYYY-MM-DD). Default: the last 12 weeks. */
    from: IsoDateSchema.optional(),
    to: IsoDateSchema.optional(),
    coderId: z.string().uuid().optional(),
    reviewerId: z.string().uuid().optional(),
    category: CorrectionCategorySchema.optional(),
    family: z.enum(CODE_FAMILIES).optional(),
    providerNpi: z
      .string()
      .regex(/^\d{10}$/)
      .optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, {
    message: 'The start date must be on or before the end date',
    path: ['from'],
  });
export type QualityFilter = z.infer<typeof QualityFilterSchema>;

/** One row of a grouped table: a coder, a reviewer, a family, a provider or a week. */
export interface QualityGroupRow {
  /** The id, family, NPI or week start (YYYY-MM-DD, Monday) the row is about; what links use. */
  key: string;
  label: string;
  figures: AccuracyFigures;
}

/** Corrections of one category: how many lines, and the money they moved. */
export interface CategoryRow {
  category: CorrectionCategory;
  label: string;
  corrections: number;
  /** Lines in that category among all reviewed coder and missed lines (share = corrections / lines). */
  lines: number;
  netImpactCents: number;
  absImpactCents: number;
}

/** Hours between two steps of the workflow, over the charts that made both steps in the period. */
export interface DurationFigures {
  count: number;
  p50Hours: number | null;
  p90Hours: number | null;
}

/** The team report: what a supervisor reads to find who needs coaching on what, and what it costs. */
export interface QualityReport {
  filter: QualityFilter & { from: string; to: string };
  totals: AccuracyFigures;
  byCoder: QualityGroupRow[];
  byReviewer: QualityGroupRow[];
  byFamily: QualityGroupRow[];
  byProvider: QualityGroupRow[];
  byWeek: QualityGroupRow[];
  /** Per coder per week, for the trend lines (only the weeks a coder had reviews in). */
  coderWeeks: { coderId: string; coderName: string; week: string; figures: AccuracyFigures }[];
  byCategory: CategoryRow[];
  turnaround: { submitToApproval: DurationFigures; approvalToSignOff: DurationFigures };
  /** Right now, not filtered by period. */
  queue: {
    awaitingReview: { count: number; oldestHours: number | null; ageBuckets: AgeBucket[] };
    awaitingSignOff: { count: number; oldestHours: number | null; ageBuckets: AgeBucket[] };
    disputesOpen: number;
    escalationsOpen: number;
  };
}

export interface AgeBucket {
  /** "< 1 day", "1-3 days", "3-7 days", "> 7 days". */
  label: string;
  count: number;
}

/** One correction a coder received, for their own view. */
export interface CorrectionRow {
  encounterId: string;
  patientName: string;
  dateOfService: string;
  approvedAt: string;
  outcome: Exclude<LineOutcome, 'accepted'>;
  category: CorrectionCategory | null;
  /** "99214-25 x1" as the coder submitted it; null for a missed line. */
  coderLine: string | null;
  /** As approved; null for a rejected line. */
  finalLine: string | null;
  reviewer: UserRef | null;
  /** The reviewer's words: the rejection or suggestion comment. */
  comment: string | null;
}

/** The review level the sampling policy gives a coder (issue 12, point 4). */
export interface ReviewLevel {
  level: 'full' | 'sampled';
  /** Plain words: "100% review: 12 of 30 reviewed charts so far" or "20% sample: 97% line accuracy over the last 30 charts". */
  explanation: string;
  reviewedCharts: number;
  lineAccuracy: number | null;
  sampleRate: number;
}

/** A coder's own view: the same figures the supervisor sees about them. */
export interface MyQuality {
  coder: UserRef;
  period: { from: string; to: string };
  totals: AccuracyFigures;
  thisWeek: AccuracyFigures;
  lastWeek: AccuracyFigures;
  byWeek: QualityGroupRow[];
  byCategory: CategoryRow[];
  byFamily: QualityGroupRow[];
  corrections: CorrectionRow[];
  reviewLevel: ReviewLevel | null;
}

/** The charts behind a figure: the filter plus what the figure counted. */
export const QualityChartsQuerySchema = z.object({
  from: IsoDateSchema.optional(),
  to: IsoDateSchema.optional(),
  coderId: z.string().uuid().optional(),
  reviewerId: z.string().uuid().optional(),
  category: CorrectionCategorySchema.optional(),
  family: z.enum(CODE_FAMILIES).optional(),
  providerNpi: z
    .string()
    .regex(/^\d{10}$/)
    .optional(),
  /** A week start (Monday, YYYY-MM-DD): only approvals in that week. */
  week: IsoDateSchema.optional(),
  /** Only charts with at least one line of this outcome (e.g. `corrected`). */
  outcome: z.enum(['accepted', 'corrected', 'rejected', 'missed']).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type QualityChartsQuery = z.infer<typeof QualityChartsQuerySchema>;

export interface QualityChartRow {
  encounterId: string;
  patientName: string;
  dateOfService: string;
  coder: UserRef | null;
  reviewer: UserRef | null;
  approvedAt: string;
  figures: AccuracyFigures;
  categories: CorrectionCategory[];
}

export interface QualityChartsPage {
  rows: QualityChartRow[];
  total: number;
  page: number;
  pageSize: number;
}

/** One line of a reviewed chart as the review left it. */
export interface ChartResultLine {
  lineId: string;
  outcome: LineOutcome;
  category: CorrectionCategory | null;
  family: CodeFamily;
  /** "99214-25 x1" as the coder submitted it; null for a missed line. */
  coderLine: string | null;
  /** As approved; null for a rejected line. */
  finalLine: string | null;
  coderCents: number;
  finalCents: number;
}

/**
 * A chart's review result (`GET /api/quality/encounters/:id/result`), shown in the room the
 * moment it is approved: this chart's figures and where it leaves the coder (last 12 weeks).
 * 404 until the chart has been approved once.
 */
export interface ChartQualityResult {
  encounterId: string;
  coder: UserRef | null;
  reviewer: UserRef | null;
  approvedAt: string;
  figures: AccuracyFigures;
  lines: ChartResultLine[];
  coderTotals: AccuracyFigures;
}

export type { CodeFamily };
