import { Inject, Injectable } from '@nestjs/common';
import {
  PracticeChartInputSchema,
  PracticeCourseInputSchema,
  PracticeFromEncounterSchema,
  canReadTeamQuality,
  scorePractice,
  type CourseProgress,
  type EditsLine,
  type Encounter,
  type PracticeAttemptView,
  type PracticeChart,
  type PracticeChartPatch,
  type PracticeCourse,
  type PracticeCoursePatch,
  type PracticeKeyLineStored,
  type PracticeScore,
  type PromotionOffer,
  type SessionUser,
  type TraineeProgress,
} from '@countersign/shared';
import { DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';
import { EditsService } from '../edits/edits.service.js';
import { readEncounter } from '../encounter/encounter-reader.js';
import { EncounterWriter } from '../encounter/encounter-writer.js';
import { EncounterRepository } from '../encounter/encounter.repository.js';
import { DomainError } from '../errors/domain-error.js';
import { madeUpPatient, seedOf } from './made-up-patient.js';
import {
  PracticeRepository,
  type AttemptFact,
  type AttemptRow,
  type ChartRow,
  type CourseRow,
  type OfferRow,
} from './practice.repository.js';
import { courseProgress } from './progress.js';

export type ChartInput = z.output<typeof PracticeChartInputSchema>;
export type FromEncounter = z.output<typeof PracticeFromEncounterSchema>;
export type CourseInput = z.output<typeof PracticeCourseInputSchema>;

/** Who builds courses and charts, reads every trainee's progress and promotes: supervisors and admins. */
const mayManage = (user: SessionUser) => canReadTeamQuality(user.role);

function assertManager(user: SessionUser, doing: string): void {
  if (!mayManage(user)) throw DomainError.forbidden(`Only a supervisor or an admin can ${doing}`);
}

/**
 * Gold practice charts for new coders (docs/domain.md section 11.1). A supervisor builds
 * courses of practice charts, each with an answer key; a coder's attempt is an ordinary
 * encounter with purpose `practice`, coded in the room like any chart, and scored with
 * `scorePractice` when they submit it here. The answer key leaves this service only to
 * supervisors and admins, and to a trainee inside the result of an attempt they submitted.
 */
@Injectable()
export class PracticeService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PracticeRepository) private readonly practice: PracticeRepository,
    @Inject(EncounterRepository) private readonly encounters: EncounterRepository,
    @Inject(EncounterWriter) private readonly writer: EncounterWriter,
    @Inject(EditsService) private readonly edits: EditsService,
  ) {}

  // ---- courses ----------------------------------------------------------------------------

  async courses(user: SessionUser): Promise<PracticeCourse[]> {
    assertManager(user, 'manage practice courses');
    return (await this.practice.courses(this.dataSource.manager, user.organizationId)).map(
      toCourse,
    );
  }

  async createCourse(user: SessionUser, input: CourseInput): Promise<PracticeCourse> {
    assertManager(user, 'create a practice course');
    const manager = this.dataSource.manager;
    const id = await this.practice.insertCourse(manager, user.organizationId, input, user.id);
    return toCourse((await this.practice.course(manager, user.organizationId, id))!);
  }

  async updateCourse(
    user: SessionUser,
    id: string,
    patch: PracticeCoursePatch,
  ): Promise<PracticeCourse> {
    assertManager(user, 'change a practice course');
    const manager = this.dataSource.manager;
    const current = await this.practice.course(manager, user.organizationId, id);
    if (!current) throw DomainError.notFound('The practice course');
    const was = toCourse(current);
    await this.practice.updateCourse(manager, id, {
      title: patch.title ?? was.title,
      description: patch.description ?? was.description,
      passPercent: patch.passPercent ?? was.passPercent,
      minCharts: patch.minCharts ?? was.minCharts,
      archived: patch.archived ?? was.archived,
    });
    return toCourse((await this.practice.course(manager, user.organizationId, id))!);
  }

  // ---- charts ------------------------------------------------------------------------------

  async charts(user: SessionUser, courseId: string): Promise<PracticeChart[]> {
    assertManager(user, 'read practice charts and their answer keys');
    const manager = this.dataSource.manager;
    if (!(await this.practice.course(manager, user.organizationId, courseId)))
      throw DomainError.notFound('The practice course');
    return (await this.practice.charts(manager, user.organizationId, courseId)).map(toChart);
  }

  /** A practice chart written from scratch: the note, the diagnoses and the answer key. */
  async createChart(user: SessionUser, input: ChartInput): Promise<PracticeChart> {
    assertManager(user, 'write a practice chart');
    const manager = this.dataSource.manager;
    await this.openCourse(manager, user, input.courseId);
    const id = await this.practice.insertChart(manager, {
      organizationId: user.organizationId,
      courseId: input.courseId,
      title: input.title,
      patient: input.patient,
      dateOfService: input.dateOfService,
      provider: input.provider,
      placeOfService: input.placeOfService,
      clinicalNote: input.clinicalNote,
      diagnoses: input.diagnoses,
      keyLines: input.keyLines,
      sourceEncounterId: null,
      madeUpPatient: false,
      createdBy: user.id,
    });
    return toChart((await this.practice.chart(manager, user.organizationId, id))!);
  }

  /**
   * A practice chart made from a signed-off chart: its billed lines (those a reviewer did not
   * reject), in order, become the key with the supervisor's explanations; the header, note and
   * diagnoses are copied, the patient made up on request.
   */
  async fromEncounter(user: SessionUser, input: FromEncounter): Promise<PracticeChart> {
    assertManager(user, 'make a practice chart');
    return this.dataSource.transaction(async (tx) => {
      await this.openCourse(tx, user, input.courseId);
      const source = await readEncounter(
        this.encounters,
        tx,
        user.organizationId,
        input.encounterId,
      );
      if (source.purpose !== 'claim')
        throw new DomainError('invalid_state', 'Only a real chart can become a practice chart');
      if (source.status !== 'signed_off')
        throw new DomainError(
          'invalid_state',
          'Only a signed-off chart can become a practice chart: its final lines are the answer key',
        );
      const billed = source.lines.filter((line) => line.review.state !== 'rejected');
      if (billed.length === 0)
        throw new DomainError('invalid_state', 'The chart has no billed line to make a key from');
      if (input.explanations.length !== billed.length)
        throw new DomainError(
          'validation_failed',
          `Write one explanation per answer-key line: the chart has ${billed.length} billed line${billed.length === 1 ? '' : 's'}, ${input.explanations.length} explanation${input.explanations.length === 1 ? '' : 's'} came`,
          { issues: [{ path: 'explanations', message: `Expected ${billed.length}` }] },
        );
      const keyLines: PracticeKeyLineStored[] = billed.map((line, i) => ({
        code: line.code,
        modifiers: line.modifiers,
        units: line.units,
        pointers: line.pointers,
        explanation: input.explanations[i]!,
      }));
      const patient = input.madeUpPatient
        ? madeUpPatient(input.seed ?? seedOf(source.id), source.patient.dateOfBirth)
        : source.patient;
      const id = await this.practice.insertChart(tx, {
        organizationId: user.organizationId,
        courseId: input.courseId,
        title: input.title,
        patient,
        dateOfService: source.dateOfService,
        provider: source.provider,
        placeOfService: source.placeOfService,
        clinicalNote: source.clinicalNote,
        diagnoses: source.diagnoses,
        keyLines,
        sourceEncounterId: source.id,
        madeUpPatient: input.madeUpPatient,
        createdBy: user.id,
      });
      return toChart((await this.practice.chart(tx, user.organizationId, id))!);
    });
  }

  async updateChart(
    user: SessionUser,
    id: string,
    patch: PracticeChartPatch,
  ): Promise<PracticeChart> {
    assertManager(user, 'change a practice chart');
    const manager = this.dataSource.manager;
    const current = await this.practice.chart(manager, user.organizationId, id);
    if (!current) throw DomainError.notFound('The practice chart');
    await this.practice.updateChart(manager, id, {
      title: patch.title ?? current.title,
      position: patch.position ?? current.position,
      archived: patch.archived ?? current.archived,
    });
    return toChart((await this.practice.chart(manager, user.organizationId, id))!);
  }

  private async openCourse(
    db: EntityManager,
    user: SessionUser,
    courseId: string,
  ): Promise<CourseRow> {
    const course = await this.practice.course(db, user.organizationId, courseId);
    if (!course) throw DomainError.notFound('The practice course');
    if (course.archived)
      throw new DomainError('invalid_state', 'The course is archived: reopen it to add charts');
    return course;
  }

  // ---- a trainee's side -------------------------------------------------------------------

  /** The courses not archived, each with the caller's progress and its charts (no answer key). */
  async my(user: SessionUser): Promise<CourseProgress[]> {
    const manager = this.dataSource.manager;
    const [courses, charts, attempts] = await Promise.all([
      this.practice.courses(manager, user.organizationId),
      this.practice.charts(manager, user.organizationId),
      this.practice.attemptFacts(manager, user.organizationId, user.id),
    ]);
    return courses
      .filter((course) => !course.archived)
      .map((row) => {
        const course = toCourse(row);
        const own = charts.filter((c) => c.course_id === course.id && !c.archived);
        return {
          course,
          progress: progressOf(course, own, attempts),
          charts: own.map((chart) => {
            const mine = attempts.filter((a) => a.chart_id === chart.id);
            const open = mine.find((a) => !a.submitted_at);
            const submitted = mine
              .filter((a) => a.submitted_at)
              .sort((a, b) => +a.submitted_at! - +b.submitted_at!);
            const last = submitted.at(-1);
            const shown = open ?? last;
            return {
              id: chart.id,
              position: chart.position,
              title: chart.title,
              state: open ? 'in_progress' : last ? 'submitted' : 'not_started',
              attemptId: shown?.id ?? null,
              encounterId: shown?.encounter_id ?? null,
              lastScore: last?.elements_total ? last.elements_right! / last.elements_total : null,
              attempts: mine.length,
            };
          }),
        };
      });
  }

  /**
   * Starts an attempt: a draft encounter with purpose `practice`, the chart's header, note and
   * diagnoses and no lines, coded by the caller. With an attempt of theirs still open on the
   * chart, that one is answered instead (one open attempt per chart and trainee).
   */
  async start(user: SessionUser, chartId: string): Promise<PracticeAttemptView> {
    if (user.role !== 'coder')
      throw DomainError.forbidden(
        'Practice charts are coded by coders: sign in as a coder to practise',
      );
    const created = await this.dataSource.transaction(async (tx) => {
      const chart = await this.practice.chart(tx, user.organizationId, chartId);
      if (!chart) throw DomainError.notFound('The practice chart');
      const course = await this.practice.course(tx, user.organizationId, chart.course_id);
      if (chart.archived || course?.archived)
        throw new DomainError('invalid_state', 'This practice chart is archived');
      await this.practice.lockStart(tx, chartId, user.id);
      const open = await this.practice.openAttempt(tx, chartId, user.id);
      if (open) return { attemptId: open, created: null };
      const encounterId = await this.encounters.insertEncounter(
        tx,
        user.organizationId,
        {
          patient: {
            mrn: chart.patient_mrn,
            name: chart.patient_name,
            dateOfBirth: chart.patient_dob,
          },
          dateOfService: chart.date_of_service,
          provider: { name: chart.provider_name, npi: chart.provider_npi },
          placeOfService: chart.place_of_service,
          clinicalNote: chart.clinical_note,
          diagnoses: chart.diagnoses,
          lines: [],
          coderId: user.id,
          reviewerId: null,
        },
        'draft',
        [],
      );
      await this.practice.markPracticeEncounter(tx, encounterId);
      const attemptId = await this.practice.insertAttempt(tx, {
        organizationId: user.organizationId,
        chartId,
        traineeId: user.id,
        encounterId,
      });
      const encounter = await readEncounter(this.encounters, tx, user.organizationId, encounterId);
      const now = await this.encounters.clock(tx);
      const event = await this.writer.appendCreated(tx, user, encounter, now);
      return { attemptId, created: { event, encounter } };
    });
    if (created.created)
      this.writer.publishCreated(created.created.event, created.created.encounter);
    return this.attempt(user, created.attemptId);
  }

  /** An attempt: its trainee's, or any for a supervisor or an admin; the result once submitted. */
  async attempt(user: SessionUser, attemptId: string): Promise<PracticeAttemptView> {
    const row = await this.practice.attempt(
      this.dataSource.manager,
      user.organizationId,
      attemptId,
    );
    return toAttempt(this.readable(user, row));
  }

  async attemptByEncounter(user: SessionUser, encounterId: string): Promise<PracticeAttemptView> {
    const row = await this.practice.attemptByEncounter(
      this.dataSource.manager,
      user.organizationId,
      encounterId,
    );
    return toAttempt(this.readable(user, row));
  }

  private readable(user: SessionUser, row: AttemptRow | null): AttemptRow {
    // Someone else's attempt is not found for a coder: they learn nothing of it.
    if (!row || (row.trainee_id !== user.id && !mayManage(user)))
      throw DomainError.notFound('The practice attempt');
    return row;
  }

  /**
   * Submits an attempt for scoring, as one command on its encounter: the chart goes to
   * `submitted` (its lines are locked; a practice chart never enters review) and the score,
   * from `scorePractice` with the fees and findings the room shows, is recorded with it. A
   * trainee who passes the course with it is offered to the supervisors for promotion.
   */
  async submit(user: SessionUser, attemptId: string): Promise<PracticeAttemptView> {
    const row = this.readable(
      user,
      await this.practice.attempt(this.dataSource.manager, user.organizationId, attemptId),
    );
    if (row.trainee_id !== user.id)
      throw DomainError.forbidden('Only the trainee who coded a practice chart can submit it');
    await this.writer.run(
      user,
      row.encounter_id,
      { stale: { kind: 'nothing' } },
      async ({ tx, current }) => {
        const locked = await this.practice.lockAttemptOf(tx, current.id);
        if (!locked || current.purpose !== 'practice')
          throw DomainError.notFound('The practice attempt');
        if (locked.submitted || current.status !== 'draft')
          throw new DomainError('invalid_state', 'This practice chart was already submitted');
        if (current.lines.length === 0)
          throw new DomainError(
            'invalid_state',
            'Add at least one line before you submit for scoring',
          );
        const chart = (await this.practice.chart(tx, user.organizationId, row.chart_id))!;
        const score = await this.score(chart, current);
        await this.practice.recordScore(tx, locked.id, score);
        await this.encounters.setStatus(tx, current.id, 'submitted');
        await this.offerIfPassed(tx, user, chart.course_id);
        return {
          type: 'status.changed',
          payload: {
            from: current.status,
            to: 'submitted',
            reason: 'Submitted for scoring',
            reviewer: null,
          },
        };
      },
    );
    return this.attempt(user, attemptId);
  }

  /** The score of the chart as it stands against the key: the room's fee data and findings. */
  private async score(chart: ChartRow, encounter: Encounter): Promise<PracticeScore> {
    const lines: EditsLine[] = encounter.lines.map(({ id, code, modifiers, units, pointers }) => ({
      id,
      code,
      modifiers,
      units,
      pointers,
    }));
    const keyLines = chart.key_lines.map((line, i) => ({ ...line, id: `key-${i + 1}` }));
    const reference = await this.edits.reference({
      dateOfService: encounter.dateOfService,
      diagnoses: [...encounter.diagnoses, ...chart.diagnoses],
      lines: [...lines, ...keyLines],
    });
    const claim = {
      dateOfService: encounter.dateOfService,
      placeOfService: encounter.placeOfService,
      diagnoses: encounter.diagnoses,
      lines,
    };
    const { findings } = this.edits.evaluateWith(claim, reference);
    return scorePractice(
      { diagnoses: chart.diagnoses, lines: keyLines },
      { diagnoses: encounter.diagnoses, lines },
      {
        placeOfService: encounter.placeOfService,
        fees: reference,
        findings,
        acknowledgements: encounter.acknowledgements,
      },
    );
  }

  private async offerIfPassed(
    tx: EntityManager,
    user: SessionUser,
    courseId: string,
  ): Promise<void> {
    const person = await this.practice.person(tx, user.organizationId, user.id);
    if (!person?.trainee) return;
    const course = toCourse((await this.practice.course(tx, user.organizationId, courseId))!);
    const charts = (await this.practice.charts(tx, user.organizationId, courseId)).filter(
      (c) => !c.archived,
    );
    const attempts = await this.practice.attemptFacts(tx, user.organizationId, user.id);
    if (progressOf(course, charts, attempts).passed)
      await this.practice.offerIfNone(tx, user.organizationId, user.id, courseId);
  }

  // ---- supervisors: progress, trainees, promotion -----------------------------------------

  async progress(user: SessionUser): Promise<TraineeProgress[]> {
    assertManager(user, 'see every trainee’s progress');
    const manager = this.dataSource.manager;
    const [people, courses, charts, attempts] = await Promise.all([
      this.practice.people(manager, user.organizationId),
      this.practice.courses(manager, user.organizationId),
      this.practice.charts(manager, user.organizationId),
      this.practice.attemptFacts(manager, user.organizationId),
    ]);
    const open = courses.filter((c) => !c.archived).map(toCourse);
    return people.map((person) => ({
      trainee: { id: person.id, name: person.name },
      email: person.email,
      isTrainee: person.trainee,
      promotedAt: person.promoted_at?.toISOString() ?? null,
      courses: open.map((course) => ({
        courseId: course.id,
        title: course.title,
        progress: progressOf(
          course,
          charts.filter((c) => c.course_id === course.id && !c.archived),
          attempts.filter((a) => a.trainee_id === person.id),
        ),
      })),
    }));
  }

  /**
   * Marks a coder a trainee (no real chart is assigned to them until promoted) or promotes them
   * directly. Only coders can be trainees.
   */
  async setTrainee(user: SessionUser, userId: string, trainee: boolean): Promise<TraineeProgress> {
    assertManager(user, 'mark a trainee');
    await this.dataSource.transaction(async (tx) => {
      const person = await this.practice.person(tx, user.organizationId, userId);
      if (!person) throw DomainError.notFound('The person');
      if (trainee && person.role !== 'coder')
        throw new DomainError(
          'validation_failed',
          `${person.name} is a ${person.role}: only a coder can be a trainee`,
        );
      if (trainee && !person.active)
        throw new DomainError('validation_failed', `${person.name} is deactivated`);
      if (person.trainee === trainee) return;
      await this.practice.setTrainee(tx, userId, trainee, user);
      if (!trainee) await this.practice.closeOpenOffers(tx, userId, user);
    });
    const row = (await this.progress(user)).find((p) => p.trainee.id === userId);
    if (row) return row;
    // Not a trainee and never practised: no progress to show.
    const person = (await this.practice.person(
      this.dataSource.manager,
      user.organizationId,
      userId,
    ))!;
    return {
      trainee: { id: person.id, name: person.name },
      email: person.email,
      isTrainee: person.trainee,
      promotedAt: person.promoted_at?.toISOString() ?? null,
      courses: [],
    };
  }

  async offers(user: SessionUser): Promise<PromotionOffer[]> {
    assertManager(user, 'see promotion offers');
    const manager = this.dataSource.manager;
    const rows = await this.practice.offers(manager, user.organizationId);
    return this.withProgress(manager, user, rows);
  }

  /** Promotes the trainee of an open offer: real charts from now on, reviewed in full at first. */
  promote(user: SessionUser, offerId: string): Promise<PromotionOffer> {
    return this.decide(user, offerId, 'promoted', null);
  }

  decline(user: SessionUser, offerId: string, note: string): Promise<PromotionOffer> {
    return this.decide(user, offerId, 'declined', note);
  }

  private async decide(
    user: SessionUser,
    offerId: string,
    status: 'promoted' | 'declined',
    note: string | null,
  ): Promise<PromotionOffer> {
    assertManager(user, 'promote a trainee');
    await this.dataSource.transaction(async (tx) => {
      const offer = await this.practice.offer(tx, user.organizationId, offerId, true);
      if (!offer) throw DomainError.notFound('The promotion offer');
      if (offer.status !== 'open')
        throw new DomainError(
          'invalid_state',
          `This offer was already decided (${offer.status === 'promoted' ? 'promoted' : 'not yet'})`,
        );
      await this.practice.decideOffer(tx, offerId, status, user, note);
      if (status === 'promoted') {
        await this.practice.setTrainee(tx, offer.trainee_id, false, user);
        await this.practice.closeOpenOffers(tx, offer.trainee_id, user);
      }
    });
    const manager = this.dataSource.manager;
    const row = (await this.practice.offer(manager, user.organizationId, offerId))!;
    return (await this.withProgress(manager, user, [row]))[0]!;
  }

  private async withProgress(
    manager: EntityManager,
    user: SessionUser,
    rows: OfferRow[],
  ): Promise<PromotionOffer[]> {
    if (rows.length === 0) return [];
    const [courses, charts, attempts] = await Promise.all([
      this.practice.courses(manager, user.organizationId),
      this.practice.charts(manager, user.organizationId),
      this.practice.attemptFacts(manager, user.organizationId),
    ]);
    return rows.map((row) => {
      const course = toCourse(courses.find((c) => c.id === row.course_id)!);
      return {
        id: row.id,
        trainee: { id: row.trainee_id, name: row.trainee_name },
        course: { id: course.id, title: course.title },
        progress: progressOf(
          course,
          charts.filter((c) => c.course_id === course.id && !c.archived),
          attempts.filter((a) => a.trainee_id === row.trainee_id),
        ),
        status: row.status,
        offeredAt: row.offered_at.toISOString(),
        decidedBy: row.decided_by ? { id: row.decided_by, name: row.decided_by_name ?? '' } : null,
        decidedAt: row.decided_at?.toISOString() ?? null,
        note: row.note,
      };
    });
  }
}

function progressOf(
  course: PracticeCourse,
  charts: readonly ChartRow[],
  attempts: readonly AttemptFact[],
) {
  return courseProgress(
    course,
    charts.map((c) => c.id),
    attempts.map((a) => ({
      chartId: a.chart_id,
      submittedAt: a.submitted_at,
      elementsRight: a.elements_right,
      elementsTotal: a.elements_total,
    })),
  );
}

function toCourse(row: CourseRow): PracticeCourse {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    passPercent: row.pass_percent,
    minCharts: row.min_charts,
    archived: row.archived,
    chartCount: row.chart_count,
    createdAt: row.created_at.toISOString(),
  };
}

function toChart(row: ChartRow): PracticeChart {
  return {
    id: row.id,
    courseId: row.course_id,
    position: row.position,
    title: row.title,
    patient: { mrn: row.patient_mrn, name: row.patient_name, dateOfBirth: row.patient_dob },
    dateOfService: row.date_of_service,
    provider: { name: row.provider_name, npi: row.provider_npi },
    placeOfService: row.place_of_service,
    clinicalNote: row.clinical_note,
    diagnoses: row.diagnoses,
    keyLines: row.key_lines,
    sourceEncounterId: row.source_encounter_id,
    madeUpPatient: row.made_up_patient,
    archived: row.archived,
    createdBy: row.created_by ? { id: row.created_by, name: row.created_by_name ?? '' } : null,
    createdAt: row.created_at.toISOString(),
  };
}

/** The attempt as it crosses the wire: the result (and with it the key) only once submitted. */
function toAttempt(row: AttemptRow): PracticeAttemptView {
  return {
    id: row.id,
    chartId: row.chart_id,
    chartTitle: row.chart_title,
    courseId: row.course_id,
    courseTitle: row.course_title,
    trainee: { id: row.trainee_id, name: row.trainee_name },
    encounterId: row.encounter_id,
    startedAt: row.started_at.toISOString(),
    submittedAt: row.submitted_at?.toISOString() ?? null,
    result:
      row.submitted_at && row.result
        ? { score: row.result, keyDiagnoses: row.key_diagnoses }
        : null,
  };
}
