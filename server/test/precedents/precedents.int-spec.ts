import { randomUUID } from 'node:crypto';
import type {
  Encounter,
  Precedent,
  PrecedentDetail,
  PrecedentPage,
  UserRef,
} from '@countersign/shared';
import type { RunningServer } from '../../src/bootstrap.js';
import { insertPrecedent, type NewPrecedent } from '../../src/precedents/precedents.repository.js';
import { encounterInState } from '../support/review-fixtures.js';
import {
  api,
  connectSocket,
  createOrganization,
  emitAck,
  login,
  startTestApp,
  type LiveClient,
  type TestOrganization,
} from '../support/test-app.js';

type Role = 'coder' | 'reviewer' | 'supervisor' | 'admin';

/**
 * The precedent library against the real server and Postgres: numbering per organization,
 * search by code and words, the room's matches, a supervisor's edits with their history,
 * retiring and reactivating, who may do what, and a suggestion citing a precedent.
 */
describe('precedent library', () => {
  let server: RunningServer;
  let org: TestOrganization;
  let other: TestOrganization;
  const cookies: Record<string, string> = {};
  let otherCookie: string;

  /** Settles the fixture chart's open suggestion into a precedent, as a dispute's decision would. */
  async function settle(
    organization: TestOrganization,
    fields: Partial<NewPrecedent> & Pick<NewPrecedent, 'codes' | 'question'>,
  ): Promise<{ number: number; encounterId: string }> {
    const chart = await encounterInState(server.dataSource, organization, 'in_review');
    const decidedBy: UserRef = {
      id: organization.users.supervisor.id,
      name: organization.users.supervisor.name,
    };
    const inserted = await server.dataSource.transaction((tx) =>
      insertPrecedent(tx, {
        organizationId: organization.id,
        modifiers: [],
        decision: 'The modifier stands',
        reasoning: 'The note documents a separate visit',
        settledHow: 'upheld',
        sourceEncounterId: chart.encounterId,
        sourceSuggestionId: chart.suggestionId!,
        decidedBy,
        ...fields,
      }),
    );
    return { number: inserted!.number, encounterId: chart.encounterId };
  }

  async function get<T>(path: string, role: Role = 'coder'): Promise<{ status: number; body: T }> {
    return api<T>(server.url, cookies[role]!, 'GET', path);
  }

  beforeAll(async () => {
    server = await startTestApp();
    org = await createOrganization(server.dataSource, 'Precedent Clinic');
    other = await createOrganization(server.dataSource, 'Elsewhere');
    for (const role of ['coder', 'reviewer', 'supervisor', 'admin'] as const)
      cookies[role] = await login(server.url, org.users[role]);
    otherCookie = await login(server.url, other.users.coder);
    // 1: E/M with an injection; 2: an X-ray; 3: E/M with an injection and an X-ray.
    await settle(org, {
      question: 'Does modifier 25 stand on 99213 beside a joint injection?',
      codes: ['99213', '20610'],
      modifiers: ['25'],
      decision: '99213-25 stands beside 20610 when the visit is separately documented',
      reasoning: 'The note records a separate evaluation of hypertension',
    });
    await settle(org, {
      question: 'Two views or three for a knee X-ray?',
      codes: ['73562'],
      decision: 'Bill 73562 for three views',
      reasoning: 'Three views were taken and read',
    });
    await settle(org, {
      question: 'Injection, visit and imaging on one day',
      codes: ['99213', '20610', '73562'],
      decision: 'All three stand',
      reasoning: 'Each is documented on its own',
    });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('numbers precedents per organization, and each organization sees only its own', async () => {
    const first = await settle(other, { question: 'Elsewhere', codes: ['99213', '20610'] });
    expect(first.number).toBe(1);

    const ours = await get<PrecedentPage>('/api/precedents');
    expect(ours.status).toBe(200);
    expect(ours.body.items.map((p) => p.number)).toEqual([3, 2, 1]);
    expect(ours.body.total).toBe(3);

    const theirs = await api<PrecedentPage>(server.url, otherCookie, 'GET', '/api/precedents');
    expect(theirs.body.items.map((p) => [p.number, p.question])).toEqual([[1, 'Elsewhere']]);
    const theirOne = await api<PrecedentDetail>(
      server.url,
      otherCookie,
      'GET',
      '/api/precedents/1',
    );
    expect(theirOne.body.precedent.question).toBe('Elsewhere');
  });

  it('finds precedents by code (any of theirs) and by words, stemmed', async () => {
    const byCode = await get<PrecedentPage>('/api/precedents?code=20610');
    expect(byCode.body.items.map((p) => p.number)).toEqual([3, 1]);
    const lowerCase = await get<PrecedentPage>('/api/precedents?code=73562');
    expect(lowerCase.body.items.map((p) => p.number)).toEqual([3, 2]);

    const words = await get<PrecedentPage>('/api/precedents?q=hypertension%20evaluations');
    expect(words.body.items.map((p) => p.number)).toEqual([1]);
    const stem = await get<PrecedentPage>('/api/precedents?q=views');
    expect(stem.body.items.map((p) => p.number)).toEqual([2]);
    const typedCode = await get<PrecedentPage>('/api/precedents?q=99213-25');
    expect(typedCode.body.items.map((p) => p.number)).toEqual([3, 1]);
    const both = await get<PrecedentPage>('/api/precedents?q=documented&code=73562');
    expect(both.body.items.map((p) => p.number)).toEqual([3]);
    const paged = await get<PrecedentPage>('/api/precedents?page=2&pageSize=2');
    expect(paged.body).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(paged.body.items.map((p) => p.number)).toEqual([1]);
    expect((await get<PrecedentPage>('/api/precedents?q=nothing%20like%20this')).body.total).toBe(
      0,
    );
  });

  it('shows the room the active precedents whose codes are all on the chart’s billed lines', async () => {
    // The fixture chart bills 99213, 20610 and 99214: precedent 1 applies, 3 lacks 73562.
    const chart = await encounterInState(server.dataSource, org, 'in_review');
    const matches = await get<Precedent[]>(`/api/precedents/for-chart/${chart.encounterId}`);
    expect(matches.status).toBe(200);
    expect(matches.body.map((p) => p.number)).toEqual([1]);
    // Asking which precedents apply reveals the chart's codes: the read is on the chart's record.
    const reads = await server.dataSource.query(
      `SELECT user_id, via FROM chart_reads WHERE encounter_id = $1`,
      [chart.encounterId],
    );
    expect(reads).toEqual([
      { user_id: org.users.coder.id, via: 'GET /api/precedents/for-chart/:id' },
    ]);

    // A rejected line is not billed, so its code does not count.
    await server.dataSource.query(
      `UPDATE claim_lines SET review_state = 'rejected' WHERE id = $1`,
      [chart.lineB],
    );
    expect((await get<Precedent[]>(`/api/precedents/for-chart/${chart.encounterId}`)).body).toEqual(
      [],
    );

    const elsewhere = await api(
      server.url,
      otherCookie,
      'GET',
      `/api/precedents/for-chart/${chart.encounterId}`,
    );
    expect(elsewhere.status).toBe(404);
    expect((await get(`/api/precedents/for-chart/${randomUUID()}`)).status).toBe(404);
    expect((await get('/api/precedents/for-chart/not-a-uuid')).status).toBe(400);
  });

  it('shows a dispute about which code to bill on a chart billing the code the coder had', async () => {
    const { number, encounterId } = await settle(org, {
      question: 'Should 99213 be billed as 99212?',
      codes: ['99213', '99212'],
      decision: '99212 stands',
      reasoning: 'Straightforward MDM',
    });
    await server.dataSource.query(
      `UPDATE suggestions s SET proposed = jsonb_set(s.proposed, '{code}', '"99212"')
         FROM precedents p WHERE p.number = $1 AND p.organization_id = $2 AND s.id = p.source_suggestion_id`,
      [number, org.id],
    );
    // The fixture chart bills 99213 (never 99212 beside it): the code-change precedent applies.
    const chart = await encounterInState(server.dataSource, org, 'in_review');
    const matches = await get<Precedent[]>(`/api/precedents/for-chart/${chart.encounterId}`);
    expect(matches.body.map((p) => p.number)).toContain(number);
    // Once 99213 is no longer billed on a chart, it does not.
    await server.dataSource.query(`UPDATE claim_lines SET code = '99215' WHERE id = $1`, [
      chart.lineA,
    ]);
    const after = await get<Precedent[]>(`/api/precedents/for-chart/${chart.encounterId}`);
    expect(after.body.map((p) => p.number)).not.toContain(number);
    expect(encounterId).not.toBe(chart.encounterId);
  });

  it('keeps each edit as a revision with who, when, before and after', async () => {
    const { number } = await settle(org, { question: 'To edit', codes: ['99214'] });
    const edited = await api<PrecedentDetail>(
      server.url,
      cookies.supervisor!,
      'PATCH',
      `/api/precedents/${number}`,
      {
        question: 'Edited question',
        codes: ['99214', 'j1100', 'J1100'],
        decision: 'The modifier stands',
      },
    );
    expect(edited.status).toBe(200);
    expect(edited.body.precedent).toMatchObject({
      question: 'Edited question',
      codes: ['99214', 'J1100'],
      decision: 'The modifier stands',
    });
    expect(edited.body.revisions).toHaveLength(1);
    expect(edited.body.revisions[0]).toMatchObject({
      kind: 'edit',
      by: { id: org.users.supervisor.id, name: org.users.supervisor.name },
      // The decision was already so: only what changed is recorded.
      before: { question: 'To edit', codes: ['99214'] },
      after: { question: 'Edited question', codes: ['99214', 'J1100'] },
    });

    const again = await api<PrecedentDetail>(
      server.url,
      cookies.admin!,
      'PATCH',
      `/api/precedents/${number}`,
      { reasoning: 'Clearer reasoning' },
    );
    expect(
      again.body.revisions.map((r) => [r.kind, r.by.name, Object.keys(r.after).sort()]),
    ).toEqual([
      ['edit', org.users.admin.name, ['reasoning']],
      ['edit', org.users.supervisor.name, ['codes', 'question']],
    ]);
    const read = await get<PrecedentDetail>(`/api/precedents/${number}`);
    expect(read.body).toEqual(again.body);

    const nothing = await api<{ code: string }>(
      server.url,
      cookies.supervisor!,
      'PATCH',
      `/api/precedents/${number}`,
      { reasoning: 'Clearer reasoning' },
    );
    expect(nothing.status).toBe(400);
  });

  it('retires a precedent out of the room and the default search, and reactivates it', async () => {
    const { number } = await settle(org, { question: 'To retire', codes: ['99215', '20611'] });
    const chart = await encounterInState(server.dataSource, org, 'in_review');
    await server.dataSource.query(`UPDATE claim_lines SET code = '99215' WHERE id = $1; `, [
      chart.lineA,
    ]);
    await server.dataSource.query(`UPDATE claim_lines SET code = '20611' WHERE id = $1`, [
      chart.lineB,
    ]);
    const room = () => get<Precedent[]>(`/api/precedents/for-chart/${chart.encounterId}`);
    expect((await room()).body.map((p) => p.number)).toEqual([number]);

    const retired = await api<PrecedentDetail>(
      server.url,
      cookies.supervisor!,
      'POST',
      `/api/precedents/${number}/retire`,
      { reason: 'The 2026 guidance changed' },
    );
    expect(retired.status).toBe(200);
    expect(retired.body.precedent).toMatchObject({
      status: 'retired',
      retiredReason: 'The 2026 guidance changed',
    });
    expect(retired.body.revisions[0]).toMatchObject({
      kind: 'retire',
      reason: 'The 2026 guidance changed',
    });
    expect((await room()).body).toEqual([]);
    const active = await get<PrecedentPage>('/api/precedents?code=99215');
    expect(active.body.items).toEqual([]);
    const retiredList = await get<PrecedentPage>('/api/precedents?code=99215&status=retired');
    expect(retiredList.body.items.map((p) => p.number)).toEqual([number]);
    const all = await get<PrecedentPage>('/api/precedents?code=99215&status=all');
    expect(all.body.items.map((p) => p.number)).toEqual([number]);

    const twice = await api<{ code: string }>(
      server.url,
      cookies.supervisor!,
      'POST',
      `/api/precedents/${number}/retire`,
      { reason: 'Again' },
    );
    expect([twice.status, twice.body.code]).toEqual([409, 'invalid_state']);

    const back = await api<PrecedentDetail>(
      server.url,
      cookies.admin!,
      'POST',
      `/api/precedents/${number}/reactivate`,
      { reason: 'Guidance restored' },
    );
    expect(back.body.precedent).toMatchObject({ status: 'active', retiredReason: null });
    expect(back.body.revisions.map((r) => r.kind)).toEqual(['reactivate', 'retire']);
    expect((await room()).body.map((p) => p.number)).toEqual([number]);
  });

  it('lets only a supervisor or an admin change a precedent', async () => {
    for (const role of ['coder', 'reviewer'] as const) {
      const edit = await api<{ code: string }>(
        server.url,
        cookies[role]!,
        'PATCH',
        '/api/precedents/2',
        {
          question: 'Mine now',
        },
      );
      expect([edit.status, edit.body.code]).toEqual([403, 'forbidden']);
      const retire = await api(server.url, cookies[role]!, 'POST', '/api/precedents/2/retire', {
        reason: 'No',
      });
      expect(retire.status).toBe(403);
    }
    expect((await get<PrecedentDetail>('/api/precedents/2')).body.precedent).toMatchObject({
      question: 'Two views or three for a knee X-ray?',
      status: 'active',
    });
    // Another organization's supervisor does not find it at all.
    const outsider = await login(server.url, other.users.supervisor);
    const theirs = await api(server.url, outsider, 'PATCH', '/api/precedents/3', { question: 'x' });
    expect(theirs.status).toBe(404);
    expect((await api(server.url, null, 'GET', '/api/precedents')).status).toBe(401);
  });

  it('refuses bad input with 400 naming the field, and an unknown number with 404', async () => {
    const cases: Array<[string, string, unknown, string]> = [
      ['GET', '/api/precedents?status=old', undefined, 'status'],
      ['GET', '/api/precedents?pageSize=1000', undefined, 'pageSize'],
      ['GET', '/api/precedents?code=99213%3B', undefined, 'code'],
      ['GET', '/api/precedents?colour=red', undefined, ''],
      ['GET', '/api/precedents/abc', undefined, 'number'],
      ['PATCH', '/api/precedents/1', { codes: [] }, 'codes'],
      ['PATCH', '/api/precedents/1', { question: '  ' }, 'question'],
      ['PATCH', '/api/precedents/1', { modifiers: ['255'] }, 'modifiers.0'],
      ['PATCH', '/api/precedents/1', { status: 'retired' }, ''],
      ['POST', '/api/precedents/1/retire', {}, 'reason'],
      ['POST', '/api/precedents/1/retire', { reason: ' ' }, 'reason'],
    ];
    for (const [method, path, body, field] of cases) {
      const response = await api<{ code: string; details: { issues: { path: string }[] } }>(
        server.url,
        cookies.supervisor!,
        method,
        path,
        body,
      );
      expect([path, response.status, response.body.code]).toEqual([path, 400, 'validation_failed']);
      expect(response.body.details.issues.map((i) => i.path)).toContain(field);
    }
    expect((await get('/api/precedents/999')).status).toBe(404);
    expect(
      (
        await api(server.url, cookies.supervisor!, 'PATCH', '/api/precedents/999', {
          question: 'x',
        })
      ).status,
    ).toBe(404);
    // Nothing changed.
    const one = await get<PrecedentDetail>('/api/precedents/1');
    expect(one.body.precedent.codes).toEqual(['99213', '20610']);
    expect(one.body.revisions).toEqual([]);
  });

  describe('a suggestion citing a precedent', () => {
    let reviewer: LiveClient;

    beforeAll(async () => {
      reviewer = await connectSocket(server.url, cookies.reviewer!);
    });
    afterAll(() => {
      reviewer.close();
    });

    async function suggest(precedentNumber: number) {
      const chart = await encounterInState(server.dataSource, org, 'in_review', {
        openSuggestion: false,
      });
      const ack = await emitAck(reviewer, 'review:suggest', {
        encounterId: chart.encounterId,
        baseVersion: chart.version,
        opId: randomUUID(),
        lineId: chart.lineB,
        patch: { modifiers: ['LT'] },
        category: 'missing-modifier',
        comment: 'Left knee',
        precedentNumber,
      });
      return { ack, chart };
    }

    it('stores the cited precedent on the suggestion', async () => {
      const { ack, chart } = await suggest(1);
      expect(ack.ok).toBe(true);
      const read = await get<Encounter>(`/api/encounters/${chart.encounterId}`);
      expect(read.body.suggestions).toHaveLength(1);
      expect(read.body.suggestions[0]!.citedPrecedent).toEqual({
        number: 1,
        question: 'Does modifier 25 stand on 99213 beside a joint injection?',
      });
    });

    it('refuses a precedent that does not exist, is retired or is another organization’s', async () => {
      const { number: retired } = await settle(org, { question: 'Old', codes: ['99212'] });
      await api(server.url, cookies.supervisor!, 'POST', `/api/precedents/${retired}/retire`, {
        reason: 'Superseded',
      });
      // The other organization numbers past ours: citing their newest number must not find one.
      const ours = (await get<PrecedentPage>('/api/precedents?status=all')).body.total;
      let theirs = 0;
      while (theirs <= ours)
        ({ number: theirs } = await settle(other, { question: 'Theirs', codes: ['99212'] }));
      for (const number of [999, retired, theirs]) {
        const { ack, chart } = await suggest(number);
        expect(ack).toMatchObject({
          ok: false,
          error: {
            code: 'validation_failed',
            message: `There is no active precedent ${number}`,
            details: { issues: [{ path: 'precedentNumber' }] },
          },
        });
        const read = await get<Encounter>(`/api/encounters/${chart.encounterId}`);
        expect(read.body.suggestions).toEqual([]);
      }
    });
  });

  it('never gives two precedents settled at the same moment one number', async () => {
    const settled = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => settle(org, { question: `At once ${n}`, codes: ['99499'] })),
    );
    const numbers = settled.map((p) => p.number);
    expect(new Set(numbers).size).toBe(5);
    expect(Math.max(...numbers) - Math.min(...numbers)).toBe(4);
  });
});
