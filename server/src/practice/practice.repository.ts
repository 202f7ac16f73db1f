import { Injectable } from '@nestjs/common';
import type {
  PracticeCourse,
  PracticeKeyLineStored,
  PracticeScore,
  PromotionStatus,
  UserRef,
} from '@countersign/shared';
import type { SqlRunner } from '../database/live-pool.js';

/** A course row with its count of charts not archived. */
export interface CourseRow {
  id: string;
  title: string;
  description: string;
  pass_percent: number;
  min_charts: number;
  archived: boolean;
  chart_count: number;
  created_at: Date;
}

export interface ChartRow {
  id: string;
  organization_id: string;
  course_id: string;
  position: number;
  title: string;
  patient_mrn: string;
  patient_name: string;
  patient_dob: string;
  date_of_service: string;
  provider_name: string;
  provider_npi: string | null;
  place_of_service: string;
  clinical_note: string;
  diagnoses: string[];
  key_lines: PracticeKeyLineStored[];
  source_encounter_id: string | null;
  made_up_patient: boolean;
  archived: boolean;
  created_by: string | null;
  created_by_name: string | null;
  created_at: Date;
}

/** The fields of a new practice chart. */
export interface NewChart {
  organizationId: string;
  courseId: string;
  title: string;
  patient: { mrn: string; name: string; dateOfBirth: string };
  dateOfService: string;
  provider: { name: string; npi: string | null };
  placeOfService: string;
  clinicalNote: string;
  diagnoses: string[];
  keyLines: PracticeKeyLineStored[];
  sourceEncounterId: string | null;
  madeUpPatient: boolean;
  createdBy: string;
}

export interface AttemptRow {
  id: string;
  chart_id: string;
  chart_title: string;
  course_id: string;
  course_title: string;
  trainee_id: string;
  trainee_name: string;
  encounter_id: string;
  started_at: Date;
  submitted_at: Date | null;
  elements_right: number | null;
  elements_total: number | null;
  result: PracticeScore | null;
  key_diagnoses: string[];
}

/** What progress is computed from: one attempt of one trainee on one chart. */
export interface AttemptFact {
  trainee_id: string;
  chart_id: string;
  course_id: string;
  submitted_at: Date | null;
  started_at: Date;
  id: string;
  encounter_id: string;
  elements_right: number | null;
  elements_total: number | null;
}

export interface PracticePersonRow {
  id: string;
  name: string;
  email: string;
  trainee: boolean;
  promoted_at: Date | null;
}

export interface OfferRow {
  id: string;
  trainee_id: string;
  trainee_name: string;
  course_id: string;
  course_title: string;
  status: PromotionStatus;
  offered_at: Date;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  note: string | null;
}

const COURSE_SELECT = `c.id, c.title, c.description, c.pass_percent, c.min_charts, c.archived, c.created_at,
  (SELECT count(*)::int FROM practice_charts pc WHERE pc.course_id = c.id AND NOT pc.archived) AS chart_count`;

const CHART_SELECT = `pc.id, pc.organization_id, pc.course_id, pc.position, pc.title, pc.patient_mrn, pc.patient_name,
  pc.patient_dob::text AS patient_dob, pc.date_of_service::text AS date_of_service, pc.provider_name, pc.provider_npi,
  pc.place_of_service, pc.clinical_note, pc.diagnoses, pc.key_lines, pc.source_encounter_id, pc.made_up_patient,
  pc.archived, pc.created_by, u.name AS created_by_name, pc.created_at`;

const ATTEMPT_SELECT = `a.id, a.chart_id, pc.title AS chart_title, pc.course_id, c.title AS course_title,
  a.trainee_id, t.name AS trainee_name, a.encounter_id, a.started_at, a.submitted_at, a.elements_right,
  a.elements_total, a.result, pc.diagnoses AS key_diagnoses
  FROM practice_attempts a
  JOIN practice_charts pc ON pc.id = a.chart_id
  JOIN practice_courses c ON c.id = pc.course_id
  JOIN users t ON t.id = a.trainee_id`;

const OFFER_SELECT = `o.id, o.trainee_id, t.name AS trainee_name, o.course_id, c.title AS course_title, o.status,
  o.offered_at, o.decided_by, d.name AS decided_by_name, o.decided_at, o.note
  FROM promotion_offers o
  JOIN users t ON t.id = o.trainee_id
  JOIN practice_courses c ON c.id = o.course_id
  LEFT JOIN users d ON d.id = o.decided_by`;

/**
 * The SQL of practice charts (docs/domain.md section 11.1): courses, gold charts with their
 * answer keys, trainees' attempts and promotion offers. Every read is scoped to the organization.
 */
@Injectable()
export class PracticeRepository {
  courses(db: SqlRunner, organizationId: string): Promise<CourseRow[]> {
    return db.query<CourseRow[]>(
      `SELECT ${COURSE_SELECT} FROM practice_courses c WHERE c.organization_id = $1
        ORDER BY c.archived, c.created_at, c.id`,
      [organizationId],
    );
  }

  async course(db: SqlRunner, organizationId: string, id: string): Promise<CourseRow | null> {
    const rows = await db.query<CourseRow[]>(
      `SELECT ${COURSE_SELECT} FROM practice_courses c WHERE c.organization_id = $1 AND c.id = $2`,
      [organizationId, id],
    );
    return rows[0] ?? null;
  }

  async insertCourse(
    db: SqlRunner,
    organizationId: string,
    course: Pick<PracticeCourse, 'title' | 'description' | 'passPercent' | 'minCharts'>,
    createdBy: string,
  ): Promise<string> {
    const [row] = await db.query<{ id: string }[]>(
      `INSERT INTO practice_courses (organization_id, title, description, pass_percent, min_charts, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [
        organizationId,
        course.title,
        course.description,
        course.passPercent,
        course.minCharts,
        createdBy,
      ],
    );
    return row!.id;
  }

  async updateCourse(
    db: SqlRunner,
    id: string,
    course: Pick<
      PracticeCourse,
      'title' | 'description' | 'passPercent' | 'minCharts' | 'archived'
    >,
  ): Promise<void> {
    await db.query(
      `UPDATE practice_courses SET title = $2, description = $3, pass_percent = $4, min_charts = $5, archived = $6
        WHERE id = $1`,
      [id, course.title, course.description, course.passPercent, course.minCharts, course.archived],
    );
  }

  charts(db: SqlRunner, organizationId: string, courseId?: string): Promise<ChartRow[]> {
    return db.query<ChartRow[]>(
      `SELECT ${CHART_SELECT} FROM practice_charts pc LEFT JOIN users u ON u.id = pc.created_by
        WHERE pc.organization_id = $1 AND ($2::uuid IS NULL OR pc.course_id = $2)
        ORDER BY pc.course_id, pc.position, pc.created_at, pc.id`,
      [organizationId, courseId ?? null],
    );
  }

  async chart(db: SqlRunner, organizationId: string, id: string): Promise<ChartRow | null> {
    const rows = await db.query<ChartRow[]>(
      `SELECT ${CHART_SELECT} FROM practice_charts pc LEFT JOIN users u ON u.id = pc.created_by
        WHERE pc.organization_id = $1 AND pc.id = $2`,
      [organizationId, id],
    );
    return rows[0] ?? null;
  }

  async insertChart(db: SqlRunner, chart: NewChart): Promise<string> {
    const [row] = await db.query<{ id: string }[]>(
      `INSERT INTO practice_charts (organization_id, course_id, position, title, patient_mrn, patient_name, patient_dob,
         date_of_service, provider_name, provider_npi, place_of_service, clinical_note, diagnoses, key_lines,
         source_encounter_id, made_up_patient, created_by)
       SELECT $1, $2, COALESCE(MAX(position) + 1, 0), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14, $15, $16
         FROM practice_charts WHERE course_id = $2
       RETURNING id`,
      [
        chart.organizationId,
        chart.courseId,
        chart.title,
        chart.patient.mrn,
        chart.patient.name,
        chart.patient.dateOfBirth,
        chart.dateOfService,
        chart.provider.name,
        chart.provider.npi,
        chart.placeOfService,
        chart.clinicalNote,
        chart.diagnoses,
        JSON.stringify(chart.keyLines),
        chart.sourceEncounterId,
        chart.madeUpPatient,
        chart.createdBy,
      ],
    );
    return row!.id;
  }

  async updateChart(
    db: SqlRunner,
    id: string,
    fields: { title: string; position: number; archived: boolean },
  ): Promise<void> {
    await db.query(
      `UPDATE practice_charts SET title = $2, position = $3, archived = $4 WHERE id = $1`,
      [id, fields.title, fields.position, fields.archived],
    );
  }

  /** Every attempt in the organization, or one trainee's: what progress is computed from. */
  attemptFacts(db: SqlRunner, organizationId: string, traineeId?: string): Promise<AttemptFact[]> {
    return db.query<AttemptFact[]>(
      `SELECT a.id, a.trainee_id, a.chart_id, pc.course_id, a.encounter_id, a.started_at, a.submitted_at,
              a.elements_right, a.elements_total
         FROM practice_attempts a JOIN practice_charts pc ON pc.id = a.chart_id
        WHERE a.organization_id = $1 AND ($2::uuid IS NULL OR a.trainee_id = $2)
        ORDER BY a.started_at, a.id`,
      [organizationId, traineeId ?? null],
    );
  }

  async openAttempt(db: SqlRunner, chartId: string, traineeId: string): Promise<string | null> {
    const rows = await db.query<{ id: string }[]>(
      `SELECT id FROM practice_attempts WHERE chart_id = $1 AND trainee_id = $2 AND submitted_at IS NULL`,
      [chartId, traineeId],
    );
    return rows[0]?.id ?? null;
  }

  /** Serialises starting attempts of one chart by one trainee (one open attempt each). */
  async lockStart(db: SqlRunner, chartId: string, traineeId: string): Promise<void> {
    await db.query(`SELECT pg_advisory_xact_lock(hashtext('practice:' || $1 || ':' || $2))`, [
      chartId,
      traineeId,
    ]);
  }

  /** Marks a new chart as a practice attempt (it was inserted as an ordinary draft). */
  async markPracticeEncounter(db: SqlRunner, encounterId: string): Promise<void> {
    await db.query(`UPDATE encounters SET purpose = 'practice' WHERE id = $1`, [encounterId]);
  }

  async insertAttempt(
    db: SqlRunner,
    attempt: { organizationId: string; chartId: string; traineeId: string; encounterId: string },
  ): Promise<string> {
    const [row] = await db.query<{ id: string }[]>(
      `INSERT INTO practice_attempts (organization_id, chart_id, trainee_id, encounter_id)
       VALUES ($1, $2, $3, $4) RETURNING id`,
      [attempt.organizationId, attempt.chartId, attempt.traineeId, attempt.encounterId],
    );
    return row!.id;
  }

  async attempt(db: SqlRunner, organizationId: string, id: string): Promise<AttemptRow | null> {
    const rows = await db.query<AttemptRow[]>(
      `SELECT ${ATTEMPT_SELECT} WHERE a.organization_id = $1 AND a.id = $2`,
      [organizationId, id],
    );
    return rows[0] ?? null;
  }

  async attemptByEncounter(
    db: SqlRunner,
    organizationId: string,
    encounterId: string,
  ): Promise<AttemptRow | null> {
    const rows = await db.query<AttemptRow[]>(
      `SELECT ${ATTEMPT_SELECT} WHERE a.organization_id = $1 AND a.encounter_id = $2`,
      [organizationId, encounterId],
    );
    return rows[0] ?? null;
  }

  /** The attempt of a practice encounter, locked for its submission. */
  async lockAttemptOf(
    db: SqlRunner,
    encounterId: string,
  ): Promise<{ id: string; submitted: boolean } | null> {
    const rows = await db.query<{ id: string; submitted: boolean }[]>(
      `SELECT id, submitted_at IS NOT NULL AS submitted FROM practice_attempts WHERE encounter_id = $1 FOR UPDATE`,
      [encounterId],
    );
    return rows[0] ?? null;
  }

  async recordScore(db: SqlRunner, attemptId: string, score: PracticeScore): Promise<void> {
    await db.query(
      `UPDATE practice_attempts SET submitted_at = now(), elements_right = $2, elements_total = $3, result = $4::jsonb
        WHERE id = $1`,
      [attemptId, score.score.numerator, score.score.denominator, JSON.stringify(score)],
    );
  }

  /** Trainees, and everyone who has practised, by name. */
  people(db: SqlRunner, organizationId: string): Promise<PracticePersonRow[]> {
    return db.query<PracticePersonRow[]>(
      `SELECT u.id, u.name, u.email, u.trainee, u.promoted_at FROM users u
        WHERE u.organization_id = $1 AND u.deactivated_at IS NULL
          AND (u.trainee OR EXISTS (SELECT 1 FROM practice_attempts a WHERE a.trainee_id = u.id))
        ORDER BY lower(u.name), u.id`,
      [organizationId],
    );
  }

  async person(
    db: SqlRunner,
    organizationId: string,
    userId: string,
  ): Promise<(PracticePersonRow & { role: string; active: boolean }) | null> {
    const rows = await db.query<(PracticePersonRow & { role: string; active: boolean })[]>(
      `SELECT u.id, u.name, u.email, u.trainee, u.promoted_at, u.role, u.deactivated_at IS NULL AS active
         FROM users u WHERE u.organization_id = $1 AND u.id = $2 FOR UPDATE`,
      [organizationId, userId],
    );
    return rows[0] ?? null;
  }

  async setTrainee(db: SqlRunner, userId: string, trainee: boolean, by: UserRef): Promise<void> {
    await db.query(
      trainee
        ? `UPDATE users SET trainee = true, promoted_at = NULL, promoted_by = NULL WHERE id = $1`
        : `UPDATE users SET trainee = false, promoted_at = now(), promoted_by = $2 WHERE id = $1 AND trainee`,
      trainee ? [userId] : [userId, by.id],
    );
  }

  offers(db: SqlRunner, organizationId: string): Promise<OfferRow[]> {
    return db.query<OfferRow[]>(
      `SELECT ${OFFER_SELECT} WHERE o.organization_id = $1
        ORDER BY o.status <> 'open', o.offered_at DESC, o.id`,
      [organizationId],
    );
  }

  async offer(
    db: SqlRunner,
    organizationId: string,
    id: string,
    lock = false,
  ): Promise<OfferRow | null> {
    const rows = await db.query<OfferRow[]>(
      `SELECT ${OFFER_SELECT} WHERE o.organization_id = $1 AND o.id = $2${lock ? ' FOR UPDATE OF o' : ''}`,
      [organizationId, id],
    );
    return rows[0] ?? null;
  }

  /** Offers a trainee for promotion on a course unless an offer is already open. */
  async offerIfNone(
    db: SqlRunner,
    organizationId: string,
    traineeId: string,
    courseId: string,
  ): Promise<void> {
    await db.query(
      `INSERT INTO promotion_offers (organization_id, trainee_id, course_id) VALUES ($1, $2, $3)
       ON CONFLICT (trainee_id, course_id) WHERE status = 'open' DO NOTHING`,
      [organizationId, traineeId, courseId],
    );
  }

  async decideOffer(
    db: SqlRunner,
    id: string,
    status: Exclude<PromotionStatus, 'open'>,
    by: UserRef,
    note: string | null,
  ): Promise<void> {
    await db.query(
      `UPDATE promotion_offers SET status = $2, decided_by = $3, decided_at = now(), note = $4 WHERE id = $1`,
      [id, status, by.id, note],
    );
  }

  /** Closes a promoted trainee's other open offers: they are promoted. */
  async closeOpenOffers(db: SqlRunner, traineeId: string, by: UserRef): Promise<void> {
    await db.query(
      `UPDATE promotion_offers SET status = 'promoted', decided_by = $2, decided_at = now()
        WHERE trainee_id = $1 AND status = 'open'`,
      [traineeId, by.id],
    );
  }
}
