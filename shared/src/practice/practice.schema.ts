import { z } from 'zod';
import { text, IsoDateSchema } from '../common/text.js';
import { DIAGNOSIS_LETTERS } from '../coding/formats.js';
import {
  ClaimLineInputSchema,
  DiagnosisListSchema,
  PatientSchema,
  PlaceOfServiceSchema,
  ProviderSchema,
} from '../encounter/encounter.schema.js';
import { DollarImpactSchema, FindingSchema } from '../edits/edits.schema.js';
import { UserRefSchema } from '../users/user.schema.js';

/**
 * Gold practice charts for new coders (docs/domain.md section 11.1): the REST contract.
 *
 * Supervisors and admins:
 * - `GET    /api/practice/courses`                 courses (a trainee: with their progress)
 * - `POST   /api/practice/courses`                 PracticeCourseInput -> PracticeCourse
 * - `PATCH  /api/practice/courses/:id`             PracticeCoursePatch -> PracticeCourse
 * - `GET    /api/practice/courses/:id/charts`      PracticeChart[] (with the answer key)
 * - `POST   /api/practice/charts`                  PracticeChartInput (from scratch) -> PracticeChart
 * - `POST   /api/practice/charts/from-encounter`   PracticeFromEncounter -> PracticeChart
 * - `PATCH  /api/practice/charts/:id`              PracticeChartPatch -> PracticeChart
 * - `GET    /api/practice/progress`                TraineeProgress[] (every coder who practised or is a trainee)
 * - `PUT    /api/practice/trainees/:userId`        TraineeFlag -> TraineeProgress
 * - `GET    /api/practice/offers`                  PromotionOffer[]
 * - `POST   /api/practice/offers/:id/promote`      -> PromotionOffer
 * - `POST   /api/practice/offers/:id/decline`      PromotionDecline -> PromotionOffer
 *
 * A coder (trainee or not):
 * - `GET    /api/practice/my`                      CourseProgress[] (charts without their key)
 * - `POST   /api/practice/charts/:id/attempts`     -> PracticeAttempt (the open one if any)
 * - `GET    /api/practice/attempts/:id`            PracticeAttempt (the result once submitted)
 * - `GET    /api/practice/attempts/by-encounter/:encounterId` PracticeAttempt
 * - `POST   /api/practice/attempts/:id/submit`     -> PracticeAttempt (scored)
 */

export const MAX_KEY_LINES = 50;

/** One answer-key line as a supervisor writes it: a claim line and why it is right. */
export const PracticeKeyLineInputSchema = ClaimLineInputSchema.pick({
  code: true,
  modifiers: true,
  units: true,
  pointers: true,
}).extend({
  explanation: text()
    .trim()
    .min(1, 'Write an explanation for every answer-key line')
    .max(4000, 'An explanation is at most 4000 characters'),
});
export type PracticeKeyLineInput = z.input<typeof PracticeKeyLineInputSchema>;

export const PracticeKeyLineSchema = z.object({
  code: z.string(),
  modifiers: z.array(z.string()),
  units: z.number().int(),
  pointers: z.array(z.enum(DIAGNOSIS_LETTERS)),
  explanation: z.string(),
});
export type PracticeKeyLineStored = z.infer<typeof PracticeKeyLineSchema>;

const courseFields = {
  title: text().trim().min(1, 'A course needs a title').max(200),
  description: text().trim().max(4000),
  /** Average score, in percent, a trainee needs over the course's charts. */
  passPercent: z
    .number()
    .int('The pass mark is a whole percentage')
    .min(1, 'The pass mark is between 1 and 100%')
    .max(100, 'The pass mark is between 1 and 100%'),
  /** How many of its charts a trainee must have submitted before the pass mark counts. */
  minCharts: z
    .number()
    .int('The minimum is a whole number of charts')
    .min(1, 'A course needs at least one chart to pass')
    .max(100),
};

export const PracticeCourseInputSchema = z.object({
  ...courseFields,
  description: courseFields.description.default(''),
});
export type PracticeCourseInput = z.input<typeof PracticeCourseInputSchema>;

export const PracticeCoursePatchSchema = z
  .object({ ...courseFields, archived: z.boolean() })
  .partial()
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), 'Nothing to change');
export type PracticeCoursePatch = z.input<typeof PracticeCoursePatchSchema>;

export const PracticeCourseSchema = z.object({
  id: z.string().uuid(),
  title: z.string(),
  description: z.string(),
  passPercent: z.number().int(),
  minCharts: z.number().int(),
  archived: z.boolean(),
  /** Charts not archived. */
  chartCount: z.number().int(),
  createdAt: z.string(),
});
export type PracticeCourse = z.infer<typeof PracticeCourseSchema>;

const pointersWithinDiagnoses = (value: {
  diagnoses: readonly string[];
  keyLines: ReadonlyArray<{ pointers: readonly string[] }>;
}) =>
  value.keyLines.every((line) =>
    line.pointers.every(
      (letter) => DIAGNOSIS_LETTERS.indexOf(letter as 'A') < value.diagnoses.length,
    ),
  );

/** A practice chart written from scratch. */
export const PracticeChartInputSchema = z
  .object({
    courseId: z.string().uuid(),
    title: text().trim().min(1, 'A practice chart needs a title').max(200),
    patient: PatientSchema,
    dateOfService: IsoDateSchema,
    provider: ProviderSchema,
    placeOfService: PlaceOfServiceSchema,
    clinicalNote: text().trim().min(1, 'A practice chart needs a note to code from').max(200_000),
    diagnoses: DiagnosisListSchema,
    keyLines: z
      .array(PracticeKeyLineInputSchema)
      .min(1, 'The answer key needs at least one line')
      .max(MAX_KEY_LINES),
  })
  .refine(pointersWithinDiagnoses, {
    message: 'A diagnosis pointer points at no diagnosis',
    path: ['keyLines'],
  });
export type PracticeChartInput = z.input<typeof PracticeChartInputSchema>;

/**
 * A practice chart made from a signed-off chart: its billed lines (those not rejected) become
 * the key, in order, each with the supervisor's explanation; `madeUpPatient` replaces the
 * patient's name, MRN and date of birth with made-up ones (the same for the same `seed`).
 */
export const PracticeFromEncounterSchema = z.object({
  courseId: z.string().uuid(),
  encounterId: z.string().uuid(),
  title: text().trim().min(1, 'A practice chart needs a title').max(200),
  explanations: z
    .array(
      text()
        .trim()
        .min(1, 'Write an explanation for every answer-key line')
        .max(4000, 'An explanation is at most 4000 characters'),
    )
    .min(1, 'The answer key needs at least one line')
    .max(MAX_KEY_LINES),
  madeUpPatient: z.boolean().default(true),
  seed: z.number().int().min(0).max(2_147_483_647).optional(),
});
export type PracticeFromEncounter = z.input<typeof PracticeFromEncounterSchema>;

export const PracticeChartPatchSchema = z
  .object({
    title: text().trim().min(1, 'A practice chart needs a title').max(200),
    position: z.number().int().min(0).max(10_000),
    archived: z.boolean(),
  })
  .partial()
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), 'Nothing to change');
export type PracticeChartPatch = z.input<typeof PracticeChartPatchSchema>;

/** A practice chart with its answer key: what supervisors and admins read. */
export const PracticeChartSchema = z.object({
  id: z.string().uuid(),
  courseId: z.string().uuid(),
  position: z.number().int(),
  title: z.string(),
  patient: PatientSchema,
  dateOfService: z.string(),
  provider: z.object({ name: z.string(), npi: z.string().nullable() }),
  placeOfService: z.string(),
  clinicalNote: z.string(),
  diagnoses: z.array(z.string()),
  keyLines: z.array(PracticeKeyLineSchema),
  sourceEncounterId: z.string().uuid().nullable(),
  madeUpPatient: z.boolean(),
  archived: z.boolean(),
  createdBy: UserRefSchema.nullable(),
  createdAt: z.string(),
});
export type PracticeChart = z.infer<typeof PracticeChartSchema>;

/** A per-course figure: elements right over elements scored, pooled over the charts counted. */
export const PracticeMeasureSchema = z.object({
  value: z.number().nullable(),
  numerator: z.number().int(),
  denominator: z.number().int(),
});

export const PracticeLineSchema = z.object({
  id: z.string(),
  code: z.string(),
  modifiers: z.array(z.string()),
  units: z.number().int(),
  pointers: z.array(z.string()),
});

const differenceSchema = z.object({
  right: z.boolean(),
  missing: z.array(z.string()),
  extra: z.array(z.string()),
});

/** `PracticeScore` from shared/src/practice/scoring.ts, as it crosses the wire. */
export const PracticeScoreSchema = z.object({
  lines: z.array(
    z.object({
      key: PracticeLineSchema,
      attempt: PracticeLineSchema.nullable(),
      verdict: z.enum(['right', 'differs', 'missed']),
      code: z.enum(['right', 'wrong', 'missing']),
      modifiers: differenceSchema,
      units: z.object({ right: z.boolean() }),
      pointers: differenceSchema,
      right: z.number().int(),
      explanation: z.string(),
      keyAmount: z.number(),
      attemptAmount: z.number().nullable(),
    }),
  ),
  extraLines: z.array(PracticeLineSchema.extend({ amount: z.number() })),
  score: PracticeMeasureSchema,
  dollars: DollarImpactSchema,
  ignoredFindings: z.object({
    errors: z.array(FindingSchema),
    unacknowledgedWarnings: z.array(FindingSchema),
  }),
});

export const PRACTICE_CHART_STATES = ['not_started', 'in_progress', 'submitted'] as const;
export type PracticeChartState = (typeof PRACTICE_CHART_STATES)[number];

/** A practice chart as a trainee sees it in a course: no answer key, no note. */
export const PracticeChartSummarySchema = z.object({
  id: z.string().uuid(),
  position: z.number().int(),
  title: z.string(),
  state: z.enum(PRACTICE_CHART_STATES),
  /** The open attempt, or else the latest submitted one. */
  attemptId: z.string().uuid().nullable(),
  encounterId: z.string().uuid().nullable(),
  /** The latest submitted attempt's score (0..1). */
  lastScore: z.number().nullable(),
  attempts: z.number().int(),
});
export type PracticeChartSummary = z.infer<typeof PracticeChartSummarySchema>;

export const ProgressSchema = z.object({
  /** Charts with at least one submitted attempt (the latest counts). */
  chartsDone: z.number().int(),
  chartsTotal: z.number().int(),
  average: PracticeMeasureSchema,
  passed: z.boolean(),
});
export type PracticeProgress = z.infer<typeof ProgressSchema>;

export const CourseProgressSchema = z.object({
  course: PracticeCourseSchema,
  progress: ProgressSchema,
  charts: z.array(PracticeChartSummarySchema),
});
export type CourseProgress = z.infer<typeof CourseProgressSchema>;

export const TraineeProgressSchema = z.object({
  trainee: UserRefSchema,
  email: z.string(),
  isTrainee: z.boolean(),
  promotedAt: z.string().nullable(),
  courses: z.array(
    z.object({ courseId: z.string().uuid(), title: z.string(), progress: ProgressSchema }),
  ),
});
export type TraineeProgress = z.infer<typeof TraineeProgressSchema>;

export const TraineeFlagSchema = z.object({ trainee: z.boolean() });
export type TraineeFlag = z.infer<typeof TraineeFlagSchema>;

export const PracticeAttemptSchema = z.object({
  id: z.string().uuid(),
  chartId: z.string().uuid(),
  chartTitle: z.string(),
  courseId: z.string().uuid(),
  courseTitle: z.string(),
  trainee: UserRefSchema,
  encounterId: z.string().uuid(),
  startedAt: z.string(),
  submittedAt: z.string().nullable(),
  /** Only once submitted: the answer key never reaches the trainee before. */
  result: z
    .object({
      score: PracticeScoreSchema,
      /** The key's diagnoses, in its pointer order. */
      keyDiagnoses: z.array(z.string()),
    })
    .nullable(),
});
export type PracticeAttemptView = z.infer<typeof PracticeAttemptSchema>;

export const PROMOTION_STATUSES = ['open', 'promoted', 'declined'] as const;
export type PromotionStatus = (typeof PROMOTION_STATUSES)[number];

export const PromotionOfferSchema = z.object({
  id: z.string().uuid(),
  trainee: UserRefSchema,
  course: z.object({ id: z.string().uuid(), title: z.string() }),
  progress: ProgressSchema,
  status: z.enum(PROMOTION_STATUSES),
  offeredAt: z.string(),
  decidedBy: UserRefSchema.nullable(),
  decidedAt: z.string().nullable(),
  note: z.string().nullable(),
});
export type PromotionOffer = z.infer<typeof PromotionOfferSchema>;

export const PromotionDeclineSchema = z.object({
  note: text().trim().min(1, 'Say what the trainee should work on').max(2000),
});
export type PromotionDecline = z.infer<typeof PromotionDeclineSchema>;

/** Whether a course is passed: enough charts done and the pooled score at the pass mark. */
export function coursePassed(
  course: Pick<PracticeCourse, 'passPercent' | 'minCharts'>,
  chartsDone: number,
  average: { value: number | null },
): boolean {
  return (
    chartsDone >= course.minCharts &&
    average.value !== null &&
    // Compare in whole elements: 0.8 * 100 must meet an 80% mark despite floating point.
    Math.round(average.value * 10_000) >= course.passPercent * 100
  );
}
