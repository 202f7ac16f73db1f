import { randomUUID } from 'node:crypto';
import type {
  AssignmentResponse,
  CourseProgress,
  Encounter,
  PracticeAttemptView,
  PracticeChart,
  PracticeCourse,
  PromotionOffer,
  ReviewLevel,
  TraineeProgress,
} from '@countersign/shared';
import type { RunningServer } from '../../src/bootstrap.js';
import { encounterInState } from '../support/review-fixtures.js';
import {
  api,
  connectSocket,
  createOrganization,
  emitAck,
  encounterBody,
  ifMatch,
  login,
  startTestApp,
  type TestOrganization,
} from '../support/test-app.js';

type Role = 'coder' | 'reviewer' | 'supervisor' | 'admin';

const EXPLANATIONS = [
  'EXPLAIN-ONE: an established patient visit of low complexity',
  'EXPLAIN-TWO: the injection of the right knee, side modifier RT',
  'EXPLAIN-THREE: the second visit is a separate problem',
];

/**
 * Practice charts against the real server and Postgres (docs/domain.md section 11.1): a
 * supervisor builds a course and charts, a trainee codes one in an ordinary practice encounter
 * and submits it for scoring, the answer key stays secret until then, the trainee gets no real
 * chart until promoted, and a supervisor promotes them from the offer.
 */
describe('practice charts', () => {
  let server: RunningServer;
  let org: TestOrganization;
  let other: TestOrganization;
  const cookies: Record<string, string> = {};
  let otherCookie: string;
  let course: PracticeCourse;
  let chart: PracticeChart;
  let attempt: PracticeAttemptView;

  const call = <T>(role: Role, method: string, path: string, body?: unknown) =>
    api<T>(server.url, cookies[role]!, method, path, body);

  async function counts(): Promise<Record<string, number>> {
    const [row] = await server.dataSource.query<[Record<string, number>]>(
      `SELECT (SELECT count(*)::int FROM practice_courses WHERE organization_id = $1) AS courses,
              (SELECT count(*)::int FROM practice_charts WHERE organization_id = $1) AS charts,
              (SELECT count(*)::int FROM practice_attempts WHERE organization_id = $1) AS attempts,
              (SELECT count(*)::int FROM encounters WHERE organization_id = $1) AS encounters`,
      [org.id],
    );
    return row;
  }

  beforeAll(async () => {
    server = await startTestApp();
    org = await createOrganization(server.dataSource, 'Practice Clinic');
    other = await createOrganization(server.dataSource, 'Elsewhere');
    for (const role of ['coder', 'reviewer', 'supervisor', 'admin'] as const)
      cookies[role] = await login(server.url, org.users[role]);
    otherCookie = await login(server.url, other.users.supervisor);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('lets a supervisor create a course and refuses bad input and coders', async () => {
    const before = await counts();
    const bad = await call<{ code: string; message: string }>(
      'supervisor',
      'POST',
      '/api/practice/courses',
      {
        title: 'E/M levels',
        passPercent: 0,
        minCharts: 1,
      },
    );
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('The pass mark is between 1 and 100%');
    const byCoder = await call('coder', 'POST', '/api/practice/courses', {
      title: 'E/M levels',
      passPercent: 50,
      minCharts: 1,
    });
    expect(byCoder.status).toBe(403);
    expect(await counts()).toEqual(before);

    const created = await call<PracticeCourse>('supervisor', 'POST', '/api/practice/courses', {
      title: 'Modifier 25 and 59',
      description: 'When a visit stands beside a procedure',
      passPercent: 40,
      minCharts: 1,
    });
    expect(created.status).toBe(201);
    course = created.body;
    expect(course).toMatchObject({ passPercent: 40, minCharts: 1, chartCount: 0, archived: false });
    expect((await call<PracticeCourse[]>('admin', 'GET', '/api/practice/courses')).body).toEqual([
      course,
    ]);
    // Another organization does not see or change it.
    const elsewhere = await api(
      server.url,
      otherCookie,
      'PATCH',
      `/api/practice/courses/${course.id}`,
      {
        title: 'Taken',
      },
    );
    expect(elsewhere.status).toBe(404);
  });

  it('makes a practice chart from a signed-off chart, its final lines the key', async () => {
    const source = await encounterInState(server.dataSource, org, 'signed_off', {
      openSuggestion: false,
    });
    const draft = await encounterInState(server.dataSource, org, 'draft');
    const before = await counts();
    const body = {
      courseId: course.id,
      encounterId: source.encounterId,
      title: 'Knee injection with a visit',
      explanations: EXPLANATIONS,
      madeUpPatient: true,
      seed: 42,
    };
    const tooFew = await call<{ message: string }>(
      'supervisor',
      'POST',
      '/api/practice/charts/from-encounter',
      {
        ...body,
        explanations: EXPLANATIONS.slice(0, 2),
      },
    );
    expect(tooFew.status).toBe(400);
    expect(tooFew.body.message).toContain('Write one explanation per answer-key line');
    const blank = await call('supervisor', 'POST', '/api/practice/charts/from-encounter', {
      ...body,
      explanations: ['a', ' ', 'c'],
    });
    expect(blank.status).toBe(400);
    const notSigned = await call<{ message: string }>(
      'supervisor',
      'POST',
      '/api/practice/charts/from-encounter',
      {
        ...body,
        encounterId: draft.encounterId,
      },
    );
    expect(notSigned.status).toBe(409);
    expect(notSigned.body.message).toContain('Only a signed-off chart');
    const byReviewer = await call('reviewer', 'POST', '/api/practice/charts/from-encounter', body);
    expect(byReviewer.status).toBe(403);
    expect(await counts()).toEqual(before);

    const made = await call<PracticeChart>(
      'supervisor',
      'POST',
      '/api/practice/charts/from-encounter',
      body,
    );
    expect(made.status).toBe(201);
    chart = made.body;
    expect(chart.keyLines).toEqual([
      { code: '99213', modifiers: [], units: 1, pointers: ['A'], explanation: EXPLANATIONS[0] },
      { code: '20610', modifiers: ['RT'], units: 1, pointers: ['A'], explanation: EXPLANATIONS[1] },
      { code: '99214', modifiers: [], units: 1, pointers: ['B'], explanation: EXPLANATIONS[2] },
    ]);
    expect(chart.diagnoses).toEqual(['M1711', 'E119']);
    expect(chart.madeUpPatient).toBe(true);
    expect(chart.patient.name).not.toBe('Matrix Patient');
    expect(chart.patient.mrn).toMatch(/^PR-\d{6}$/);
    expect(chart.patient.dateOfBirth <= '1960-01-01').toBe(true);
    expect(chart.sourceEncounterId).toBe(source.encounterId);
    // The same seed makes the same patient.
    const again = await call<PracticeChart>(
      'supervisor',
      'POST',
      '/api/practice/charts/from-encounter',
      {
        ...body,
        title: 'Copy',
      },
    );
    expect(again.body.patient).toEqual(chart.patient);
    await call('supervisor', 'PATCH', `/api/practice/charts/${again.body.id}`, { archived: true });
  });

  it('writes a practice chart from scratch, validating its key like claim lines', async () => {
    const before = await counts();
    const body = {
      courseId: course.id,
      title: 'Two problems, one visit',
      patient: { mrn: 'PR-1', name: 'Made Up', dateOfBirth: '1980-05-05' },
      dateOfService: '2026-03-02',
      provider: { name: 'Dr Practice', npi: null },
      placeOfService: '11',
      clinicalNote: 'Follow-up of diabetes.',
      diagnoses: ['E11.9'],
      keyLines: [{ code: '99213', pointers: ['B'], explanation: 'A visit' }],
    };
    const pointer = await call<{ message: string }>(
      'supervisor',
      'POST',
      '/api/practice/charts',
      body,
    );
    expect(pointer.status).toBe(400);
    expect(JSON.stringify(pointer.body)).toContain('A diagnosis pointer points at no diagnosis');
    const code = await call('supervisor', 'POST', '/api/practice/charts', {
      ...body,
      keyLines: [{ code: 'ABC', pointers: ['A'], explanation: 'x' }],
    });
    expect(code.status).toBe(400);
    const noExplanation = await call('supervisor', 'POST', '/api/practice/charts', {
      ...body,
      keyLines: [{ code: '99213', pointers: ['A'], explanation: '' }],
    });
    expect(noExplanation.status).toBe(400);
    expect(await counts()).toEqual(before);
    const made = await call<PracticeChart>('supervisor', 'POST', '/api/practice/charts', {
      ...body,
      keyLines: [{ code: '99213', pointers: ['A'], explanation: 'A visit' }],
    });
    expect(made.status).toBe(201);
    expect(made.body.keyLines).toEqual([
      { code: '99213', modifiers: [], units: 1, pointers: ['A'], explanation: 'A visit' },
    ]);
    await call('supervisor', 'PATCH', `/api/practice/charts/${made.body.id}`, { archived: true });
  });

  it('marks a coder a trainee, who is then given no real chart', async () => {
    const reviewer = await call<{ message: string }>(
      'supervisor',
      'PUT',
      `/api/practice/trainees/${org.users.reviewer.id}`,
      {
        trainee: true,
      },
    );
    expect(reviewer.status).toBe(400);
    expect(reviewer.body.message).toContain('only a coder can be a trainee');
    expect(
      (
        await call('coder', 'PUT', `/api/practice/trainees/${org.users.coder.id}`, {
          trainee: true,
        })
      ).status,
    ).toBe(403);
    const marked = await call<TraineeProgress>(
      'supervisor',
      'PUT',
      `/api/practice/trainees/${org.users.coder.id}`,
      {
        trainee: true,
      },
    );
    expect(marked.status).toBe(200);
    expect(marked.body.isTrainee).toBe(true);

    const real = await encounterInState(server.dataSource, org, 'draft');
    await server.dataSource.query(`UPDATE encounters SET coder_id = NULL WHERE id = $1`, [
      real.encounterId,
    ]);
    const assigned = await call<AssignmentResponse>('supervisor', 'POST', '/api/assignments', {
      encounterIds: [real.encounterId],
      coderId: org.users.coder.id,
    });
    expect(assigned.status).toBe(400);
    expect(JSON.stringify(assigned.body)).toContain('is a trainee');
    const before = await counts();
    const created = await call<{ message: string }>('supervisor', 'POST', '/api/encounters', {
      ...encounterBody(),
      coderId: org.users.coder.id,
    });
    expect(created.status).toBe(400);
    expect(created.body.message).toContain('is a trainee');
    expect(await counts()).toEqual(before);
    const claimed = await call<{ message: string }>(
      'coder',
      'POST',
      `/api/encounters/${real.encounterId}/claim`,
    );
    expect(claimed.status).toBe(403);
    expect(claimed.body.message).toContain('is a trainee');
    const [row] = await server.dataSource.query<[{ coder_id: string | null }]>(
      `SELECT coder_id FROM encounters WHERE id = $1`,
      [real.encounterId],
    );
    expect(row.coder_id).toBeNull();
  });

  it('keeps the answer key from the trainee until they submit', async () => {
    const my = await call<CourseProgress[]>('coder', 'GET', '/api/practice/my');
    expect(my.status).toBe(200);
    expect(my.body).toHaveLength(1);
    expect(my.body[0]!.charts.map((c) => [c.title, c.state])).toEqual([
      ['Knee injection with a visit', 'not_started'],
    ]);
    expect(JSON.stringify(my.body)).not.toMatch(/EXPLAIN|keyLines|20610/);
    expect((await call('coder', 'GET', `/api/practice/courses/${course.id}/charts`)).status).toBe(
      403,
    );
    expect((await call('coder', 'GET', '/api/practice/courses')).status).toBe(403);

    const started = await call<PracticeAttemptView>(
      'coder',
      'POST',
      `/api/practice/charts/${chart.id}/attempts`,
    );
    expect(started.status).toBe(200);
    attempt = started.body;
    expect(attempt.result).toBeNull();
    const continued = await call<PracticeAttemptView>(
      'coder',
      'POST',
      `/api/practice/charts/${chart.id}/attempts`,
    );
    expect(continued.body.id).toBe(attempt.id);

    const encounter = await call<Encounter>(
      'coder',
      'GET',
      `/api/encounters/${attempt.encounterId}`,
    );
    expect(encounter.body).toMatchObject({
      purpose: 'practice',
      status: 'draft',
      lines: [],
      diagnoses: ['M1711', 'E119'],
      patient: chart.patient,
      coder: { id: org.users.coder.id },
    });
    for (const path of [
      `/api/encounters/${attempt.encounterId}`,
      `/api/encounters/${attempt.encounterId}/events?after=0`,
      `/api/practice/attempts/${attempt.id}`,
      `/api/practice/attempts/by-encounter/${attempt.encounterId}`,
      '/api/practice/my',
    ])
      expect(JSON.stringify((await call('coder', 'GET', path)).body)).not.toMatch(
        /EXPLAIN|keyLines/,
      );
    // Someone else's attempt is not found by a reviewer; a supervisor reads it.
    expect((await call('reviewer', 'GET', `/api/practice/attempts/${attempt.id}`)).status).toBe(
      404,
    );
    expect((await call('supervisor', 'GET', `/api/practice/attempts/${attempt.id}`)).status).toBe(
      200,
    );
    expect(
      (await call('supervisor', 'POST', `/api/practice/charts/${chart.id}/attempts`)).status,
    ).toBe(403);
  });

  it('refuses the review workflow on a practice chart and scores it on submit', async () => {
    let version = 1;
    const add = async (line: Record<string, unknown>) => {
      const response = await api<Encounter>(
        server.url,
        cookies.coder!,
        'POST',
        `/api/encounters/${attempt.encounterId}/lines`,
        line,
        ifMatch(version),
      );
      if (response.status === 201) version = response.body.version;
      return response;
    };
    expect((await add({ code: '99213', pointers: ['A'] })).status).toBe(201);
    expect((await add({ code: '20610', pointers: ['A'] })).status).toBe(201);
    expect((await add({ code: '36415', pointers: ['B'] })).status).toBe(201);

    const socket = await connectSocket(server.url, cookies.coder!);
    try {
      const refused = await emitAck(socket, 'encounter:transition', {
        encounterId: attempt.encounterId,
        baseVersion: 4,
        opId: randomUUID(),
        transition: 'submit',
        reason: '',
      });
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
      expect(JSON.stringify(refused)).toContain('Submit for scoring');
    } finally {
      socket.close();
    }
    expect(
      (await call('supervisor', 'POST', `/api/practice/attempts/${attempt.id}/submit`)).status,
    ).toBe(403);

    const submitted = await call<PracticeAttemptView>(
      'coder',
      'POST',
      `/api/practice/attempts/${attempt.id}/submit`,
    );
    expect(submitted.status).toBe(200);
    const result = submitted.body.result!;
    expect(result.keyDiagnoses).toEqual(['M1711', 'E119']);
    const score = result.score;
    expect(score.lines.map((l) => [l.key.code, l.verdict, l.right, l.explanation])).toEqual([
      ['99213', 'right', 4, EXPLANATIONS[0]],
      ['20610', 'differs', 3, EXPLANATIONS[1]],
      ['99214', 'missed', 0, EXPLANATIONS[2]],
    ]);
    expect(score.lines[1]!.modifiers).toEqual({ right: false, missing: ['RT'], extra: [] });
    expect(score.extraLines.map((l) => l.code)).toEqual(['36415']);
    // 7 of 4 x (3 key lines + 1 extra line) elements.
    expect(score.score).toEqual({ value: 7 / 16, numerator: 7, denominator: 16 });
    expect(score.dollars.impact).toBeCloseTo(
      score.dollars.reviewedTotal - score.dollars.coderTotal,
      2,
    );

    const encounter = await call<Encounter>(
      'coder',
      'GET',
      `/api/encounters/${attempt.encounterId}`,
    );
    expect(encounter.body.status).toBe('submitted');
    expect((await add({ code: '99214', pointers: ['B'] })).status).toBe(409);
    const twice = await call<{ message: string }>(
      'coder',
      'POST',
      `/api/practice/attempts/${attempt.id}/submit`,
    );
    expect(twice.status).toBe(409);
    expect(twice.body.message).toContain('already submitted');
  });

  it('shows progress to the trainee and every trainee to supervisors, and offers a pass for promotion', async () => {
    const my = await call<CourseProgress[]>('coder', 'GET', '/api/practice/my');
    expect(my.body[0]!.progress).toEqual({
      chartsDone: 1,
      chartsTotal: 1,
      average: { value: 7 / 16, numerator: 7, denominator: 16 },
      passed: true,
    });
    expect(my.body[0]!.charts[0]).toMatchObject({
      state: 'submitted',
      lastScore: 7 / 16,
      attempts: 1,
    });
    const progress = await call<TraineeProgress[]>('supervisor', 'GET', '/api/practice/progress');
    expect(
      progress.body.map((p) => [p.trainee.id, p.isTrainee, p.courses[0]!.progress.chartsDone]),
    ).toEqual([[org.users.coder.id, true, 1]]);
    expect((await call('coder', 'GET', '/api/practice/progress')).status).toBe(403);
    expect((await call('coder', 'GET', '/api/practice/offers')).status).toBe(403);

    const offers = await call<PromotionOffer[]>('supervisor', 'GET', '/api/practice/offers');
    expect(offers.body).toHaveLength(1);
    const offer = offers.body[0]!;
    expect(offer).toMatchObject({
      status: 'open',
      trainee: { id: org.users.coder.id },
      course: { id: course.id },
    });
    const empty = await call('supervisor', 'POST', `/api/practice/offers/${offer.id}/decline`, {
      note: ' ',
    });
    expect(empty.status).toBe(400);
    expect((await call('coder', 'POST', `/api/practice/offers/${offer.id}/promote`)).status).toBe(
      403,
    );
    expect(
      (await api(server.url, otherCookie, 'POST', `/api/practice/offers/${offer.id}/promote`))
        .status,
    ).toBe(404);
    expect(
      (await call<PromotionOffer[]>('supervisor', 'GET', '/api/practice/offers')).body[0]!.status,
    ).toBe('open');

    const promoted = await call<PromotionOffer>(
      'supervisor',
      'POST',
      `/api/practice/offers/${offer.id}/promote`,
    );
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({
      status: 'promoted',
      decidedBy: { id: org.users.supervisor.id },
    });
    const again = await call('supervisor', 'POST', `/api/practice/offers/${offer.id}/promote`);
    expect(again.status).toBe(409);
    const [user] = await server.dataSource.query<
      [{ trainee: boolean; promoted_by: string; promoted: boolean }]
    >(`SELECT trainee, promoted_by, promoted_at IS NOT NULL AS promoted FROM users WHERE id = $1`, [
      org.users.coder.id,
    ]);
    expect(user).toEqual({ trainee: false, promoted_by: org.users.supervisor.id, promoted: true });
  });

  it('starts a promoted coder at full review: practice charts never count as reviewed charts', async () => {
    const level = await call<ReviewLevel>('coder', 'GET', '/api/sampling/my-level');
    expect(level.status).toBe(200);
    expect(level.body.level).toBe('full');
    const real = await encounterInState(server.dataSource, org, 'draft');
    await server.dataSource.query(`UPDATE encounters SET coder_id = NULL WHERE id = $1`, [
      real.encounterId,
    ]);
    const assigned = await call<AssignmentResponse>('supervisor', 'POST', '/api/assignments', {
      encounterIds: [real.encounterId],
      coderId: org.users.coder.id,
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body.assigned).toBe(1);
  });
});
