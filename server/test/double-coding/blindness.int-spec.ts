import 'reflect-metadata';
import { MESSAGE_MAPPING_METADATA, MESSAGE_METADATA } from '@nestjs/websockets/constants.js';
import { type Encounter, type WorklistResponse } from '@countersign/shared';
import type { RunningServer } from '../../src/bootstrap.js';
import { RealtimeGateway } from '../../src/realtime/realtime.gateway.js';
import {
  api,
  emitAck,
  encounterBody,
  meta,
  startTestApp,
  type LiveClient,
} from '../support/test-app.js';
import {
  addLine,
  doubleCodingClinic,
  sentChart,
  socketFor,
  submit,
  uuid,
  type DoubleCodingClinic,
} from './double-coding-fixtures.js';

/**
 * Blindness (issue 13): until both coders have submitted, coder B learns nothing of coder A's
 * blind copy by any path. Every REST route the server serves (read from the Express router at
 * runtime, so a new route is covered or this fails) and every socket event the gateway handles
 * (read from its @SubscribeMessage metadata) is called as coder B with A's copy, the original
 * chart and B's own copy; A's copy answers 404 (or 403), and no answer carries A's line (its id
 * or its distinctive rationale). Counts and lists are the same before and after A codes, and B's
 * sockets receive nothing while A codes: proven with a barrier (an event B must receive, sent
 * after A's edits, is the first thing B gets), never with a sleep.
 */
describe('blindness of double coding', () => {
  let server: RunningServer;
  let clinic: DoubleCodingClinic;
  const sockets: LiveClient[] = [];
  let chart: Encounter;
  let doubleCodingId: string;
  let copyA: string;
  let copyB: string;
  let lineA: string;
  /** A's distinctive rationale: if any answer to B carries it, A's coding leaked. */
  const SECRET = `secret-rationale-${uuid()}`;

  beforeAll(async () => {
    server = await startTestApp();
    clinic = await doubleCodingClinic(server);
    const sent = await sentChart(server, clinic);
    ({ chart, copyA, copyB } = sent);
    doubleCodingId = sent.doubleCoding.id;
    const coded = await addLine(server, clinic.cookies.coder, copyA, {
      code: '20611',
      modifiers: ['LT'],
      units: 2,
      pointers: ['A'],
      rationale: SECRET,
    });
    lineA = coded.lines[0]!.id;
  });
  afterEach(() => sockets.splice(0).forEach((s) => s.close()));
  afterAll(() => server.stop());

  const asB = <T = unknown>(method: string, path: string, body?: unknown) =>
    api<T>(server.url, clinic.cookies.coderB, method, path, body);

  /** Nothing of A's copy: not its line's id, not its rationale, not the copy's own id. */
  function expectNothingOfA(what: string, answer: unknown, copyIdAllowed = false): void {
    const text = typeof answer === 'string' ? answer : (JSON.stringify(answer) ?? '');
    expect({ what, leaked: text.includes(SECRET) || text.includes(lineA) }).toEqual({
      what,
      leaked: false,
    });
    if (!copyIdAllowed)
      expect({ what, copyId: text.includes(copyA) }).toEqual({ what, copyId: false });
  }

  it('the leak detector sees A’s line where A may see it (the control)', async () => {
    const own = await api(server.url, clinic.cookies.coder, 'GET', `/api/encounters/${copyA}`);
    expect(own.status).toBe(200);
    expect(JSON.stringify(own.body)).toContain(SECRET);
  });

  it('one rule for charts that are not claims: a practice chart is its trainee’s and overseers’', async () => {
    const [practice] = await server.dataSource.query<[{ id: string }]>(
      `INSERT INTO encounters (organization_id, patient_mrn, patient_name, patient_dob, date_of_service,
                               provider_name, provider_npi, place_of_service, clinical_note, diagnoses,
                               status, coder_id, coded_by, version, purpose)
       SELECT organization_id, patient_mrn, patient_name, patient_dob, date_of_service, provider_name,
              provider_npi, place_of_service, clinical_note, diagnoses, 'draft', $2, '{}', 0, 'practice'
         FROM encounters WHERE id = $1 RETURNING id`,
      [chart.id, clinic.org.users.coder.id],
    );
    const status = async (who: keyof DoubleCodingClinic['cookies']) =>
      (await api(server.url, clinic.cookies[who], 'GET', `/api/encounters/${practice.id}`)).status;
    expect({
      trainee: await status('coder'),
      otherCoder: await status('coderB'),
      reviewer: await status('reviewer'),
      supervisor: await status('supervisor'),
      admin: await status('admin'),
    }).toEqual({ trainee: 200, otherCoder: 404, reviewer: 404, supervisor: 200, admin: 200 });
    // Left in the organization: the lists below must not show it either.
  });

  describe('every REST route', () => {
    /** Routes whose parameters name no chart, and why they cannot show one. */
    const NOT_CHART_SPECIFIC: Record<string, string> = {
      'POST /api/auth/login': 'signs in',
      'GET /api/auth/password-links/:token': 'a password link names a person, not a chart',
      'POST /api/auth/set-password': 'sets a password',
      'POST /api/auth/logout': 'signs out',
      'POST /api/auth/activity': 'keeps the session alive',
      'POST /api/encounters': 'creates a new claim chart from the body',
      'POST /api/edits/evaluate': 'evaluates the lines the caller sends',
      'GET /api/edits/codes/:code': 'a code of the catalogue',
      'POST /api/catalog/imports': 'an operator’s code set upload',
      'POST /api/catalog/imports/:id/confirm': 'a code set import',
      'POST /api/catalog/imports/:id/cancel': 'a code set import',
      'POST /api/catalog/imports/restore': 'a code set import',
      'GET /api/catalog/imports/:id': 'a code set import',
      'PATCH /api/users/:id': 'a person, admins only',
      'POST /api/users': 'adds a person, admins only',
      'POST /api/users/:id/password-link': 'a person, admins only',
      'GET /api/precedents/:number': 'a precedent: a settled dispute of a claim chart',
      'PATCH /api/precedents/:number': 'a precedent, supervisors only',
      'POST /api/precedents/:number/retire': 'a precedent, supervisors only',
      'POST /api/precedents/:number/reactivate': 'a precedent, supervisors only',
      'GET /api/encounter-imports/:id': 'a file import of claim charts',
      'GET /api/encounter-imports/:id/rows': 'a file import of claim charts',
      'POST /api/encounter-imports': 'uploads a file of claim charts',
      'POST /api/encounter-imports/:id/commit': 'a file import of claim charts',
      'POST /api/encounter-imports/:id/cancel': 'a file import of claim charts',
      'PUT /api/sampling/policy': 'the sampling policy, supervisors only',
      'GET /api/practice/attempts/:id': 'a practice attempt: its trainee’s own or a supervisor’s',
      'GET /api/practice/attempts/by-encounter/:encounterId':
        'the attempt on a practice chart: its trainee’s own or a supervisor’s; none for a copy',
      'GET /api/practice/courses/:id/charts': 'a practice course’s gold charts',
      'PATCH /api/practice/charts/:id': 'a gold practice chart, supervisors only',
      'PATCH /api/practice/courses/:id': 'a practice course, supervisors only',
      'POST /api/practice/attempts/:id/submit': 'submits the trainee’s own practice attempt',
      'POST /api/practice/charts': 'writes a gold practice chart, supervisors only',
      'POST /api/practice/charts/:id/attempts': 'starts a practice attempt on a gold chart',
      'POST /api/practice/charts/from-encounter':
        'makes a gold chart from a signed-off claim, supervisors only (who see every chart)',
      'POST /api/practice/courses': 'adds a practice course, supervisors only',
      'POST /api/practice/offers/:id/decline': 'a promotion offer, supervisors only',
      'POST /api/practice/offers/:id/promote': 'a promotion offer, supervisors only',
      'PUT /api/practice/trainees/:userId': 'marks a person a trainee, supervisors only',
    };

    /** Express's routes as served: `METHOD /path/:param`. */
    function servedRoutes(): string[] {
      const express = server.app.getHttpAdapter().getInstance() as {
        router: {
          stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }>;
        };
      };
      const routes = new Set<string>();
      for (const layer of express.router.stack)
        if (layer.route)
          for (const [method, on] of Object.entries(layer.route.methods))
            if (on && method !== '_all') routes.add(`${method.toUpperCase()} ${layer.route.path}`);
      return [...routes].sort();
    }

    const isChartRoute = (path: string) => /\/encounters\/:id(\/|$)|\/for-chart\/:id$/.test(path);
    const isDoubleCodingRoute = (path: string) => path.startsWith('/api/double-codings/:id');

    function concrete(path: string, chartId: string): string {
      return path
        .replace(':id', chartId)
        .replace(':lineId', lineA)
        .replace(':number', '1')
        .replace(':code', '20611')
        .replace(':token', 'x'.repeat(43));
    }

    it('finds the routes at runtime and classifies each of them', () => {
      const routes = servedRoutes();
      expect(routes).toEqual(
        expect.arrayContaining([
          'GET /api/encounters/:id',
          'POST /api/encounters/:id/double-coding',
          'GET /api/double-codings/:id/reconciliation',
        ]),
      );
      const unclassified = routes.filter((route) => {
        const [method, path] = route.split(' ') as [string, string];
        if (isChartRoute(path) || isDoubleCodingRoute(path)) return false;
        if (method === 'GET' && !path.includes(':')) return false; // lists: exercised below
        if (path === '/api') return false; // the API root's catch-all: answers 404 for any method
        if (route === 'POST /api/assignments') return false; // names charts in its body: below
        return !(route in NOT_CHART_SPECIFIC);
      });
      expect(unclassified).toEqual([]);
      // Every reason names a route that still exists.
      expect(Object.keys(NOT_CHART_SPECIFIC).filter((r) => !routes.includes(r))).toEqual([]);
    });

    it('answers 404 for A’s copy on every route about one chart, before anything else', async () => {
      const chartRoutes = servedRoutes().filter((r) => isChartRoute(r.split(' ')[1]!));
      expect(chartRoutes.length).toBeGreaterThan(10);
      for (const route of chartRoutes) {
        const [method, path] = route.split(' ') as [string, string];
        const answer = await asB(method, concrete(path, copyA), method === 'GET' ? undefined : {});
        expect({ route, status: answer.status }).toEqual({ route, status: 404 });
        expectNothingOfA(route, answer.body);
      }
    });

    it('shows nothing of A’s copy through the original chart or B’s own copy', async () => {
      const chartRoutes = servedRoutes().filter((r) => isChartRoute(r.split(' ')[1]!));
      for (const id of [chart.id, copyB])
        for (const route of chartRoutes) {
          const [method, path] = route.split(' ') as [string, string];
          const query = path.endsWith('/claim') && method === 'GET' ? '?onRequest=true' : '';
          const answer = await asB(
            method,
            concrete(path, id) + query,
            method === 'GET' ? undefined : {},
          );
          expect({ route, status: answer.status }).not.toEqual({ route, status: 500 });
          expectNothingOfA(
            `${route} on ${id === chart.id ? 'the chart' : 'B’s copy'}`,
            answer.body,
          );
        }
    });

    it('lists, counts and exports show nothing of A’s copy', async () => {
      const lists = servedRoutes().filter((r) => r.startsWith('GET ') && !r.includes(':'));
      expect(lists).toEqual(
        expect.arrayContaining(['GET /api/encounters', 'GET /api/double-codings']),
      );
      for (const route of lists) {
        // Some answer HTML (the API docs): read as text.
        const answer = await fetch(`${server.url}${route.slice(4)}`, {
          headers: { cookie: clinic.cookies.coderB },
        });
        expect({ route, status: answer.status }).not.toEqual({ route, status: 500 });
        expectNothingOfA(route, await answer.text());
      }
      // The same lists as a supervisor: a blind copy is in no worklist, count or export either.
      for (const path of [
        '/api/encounters',
        '/api/encounters?queue=all',
        '/api/exports/claims?from=2020-01-01&to=2030-01-01',
      ]) {
        const answer = await api(server.url, clinic.cookies.supervisor, 'GET', path);
        expect(JSON.stringify(answer.body)).not.toContain(SECRET);
        expect(JSON.stringify(answer.body)).not.toContain(copyA);
      }
      const assign = await asB('POST', '/api/assignments', {
        encounterIds: [copyA],
        coderId: clinic.coderB.id,
      });
      // Answered chart by chart: A's copy is not found, as a chart that does not exist.
      expect(assign.status).toBe(200);
      expect(assign.body).toMatchObject({
        results: [{ encounterId: copyA, ok: false, error: { code: 'not_found' } }],
      });
      expectNothingOfA('POST /api/assignments', assign.body, true);
    });

    it('a double coding shows B only their own copy, and nothing opens early', async () => {
      const own = await asB<{ copies: Array<{ encounterId: string }>; submittedCount: unknown }>(
        'GET',
        `/api/double-codings/${doubleCodingId}`,
      );
      expect(own.status).toBe(200);
      expect(own.body.copies.map((c) => c.encounterId)).toEqual([copyB]);
      expect(own.body.submittedCount).toBeNull();
      expectNothingOfA('GET /api/double-codings/:id', own.body);
      const routes = servedRoutes().filter((r) => isDoubleCodingRoute(r.split(' ')[1]!));
      expect(routes.length).toBeGreaterThanOrEqual(4);
      for (const route of routes) {
        const [method, path] = route.split(' ') as [string, string];
        const body = path.endsWith('/cancel')
          ? { reason: 'peek' }
          : method === 'GET'
            ? undefined
            : { decisions: [{ source: 'new', line: { code: '99213' }, reason: 'peek' }] };
        const answer = await asB(method, concrete(path, doubleCodingId), body);
        expect({ route, status: answer.status }).not.toEqual({ route, status: 500 });
        if (method !== 'GET' || path.endsWith('/reconciliation'))
          expect({ route, refused: [403, 404, 409].includes(answer.status) }).toEqual({
            route,
            refused: true,
          });
        expectNothingOfA(route, answer.body);
      }
    });
  });

  describe('every socket event', () => {
    /** The events the gateway handles, from its @SubscribeMessage metadata. */
    function gatewayEvents(): string[] {
      const proto = RealtimeGateway.prototype as unknown as Record<string, unknown>;
      return Object.getOwnPropertyNames(proto)
        .map((name) => proto[name])
        .filter(
          (fn): fn is object =>
            typeof fn === 'function' && !!Reflect.getMetadata(MESSAGE_MAPPING_METADATA, fn),
        )
        .map((fn) => Reflect.getMetadata(MESSAGE_METADATA, fn) as string)
        .sort();
    }

    /** A payload for each event aimed at `encounterId` (and A's line where one is named). */
    const PAYLOADS: Record<string, (encounterId: string) => Record<string, unknown>> = {
      'room:join': (encounterId) => ({ encounterId }),
      'room:catch-up': (encounterId) => ({ encounterId, afterSeq: 0 }),
      'line:add': (encounterId) => ({ encounterId, ...meta(1), line: { code: '99213' } }),
      'line:update': (encounterId) => ({
        encounterId,
        ...meta(1),
        lineId: lineA,
        patch: { units: 3 },
      }),
      'line:remove': (encounterId) => ({ encounterId, ...meta(1), lineId: lineA }),
      'review:accept': (encounterId) => ({ encounterId, ...meta(1), lineId: lineA }),
      'review:reject': (encounterId) => ({
        encounterId,
        ...meta(1),
        lineId: lineA,
        category: 'wrong-code',
        comment: 'x',
      }),
      'review:suggest': (encounterId) => ({
        encounterId,
        ...meta(1),
        lineId: lineA,
        patch: { units: 1 },
        category: 'wrong-code',
        comment: '',
      }),
      'review:add-missed': (encounterId) => ({
        encounterId,
        ...meta(1),
        line: { code: '99213' },
        comment: '',
      }),
      'suggestion:answer': (encounterId) => ({
        encounterId,
        ...meta(1),
        suggestionId: uuid(),
        answer: 'accept',
        comment: '',
      }),
      'suggestion:withdraw': (encounterId) => ({ encounterId, ...meta(1), suggestionId: uuid() }),
      'suggestion:escalate': (encounterId) => ({
        encounterId,
        ...meta(1),
        suggestionId: uuid(),
        comment: '',
      }),
      'suggestion:decide': (encounterId) => ({
        encounterId,
        ...meta(1),
        suggestionId: uuid(),
        decision: 'uphold',
        reason: 'x',
      }),
      'comment:add': (encounterId) => ({ encounterId, ...meta(1), lineId: lineA, body: 'hello' }),
      'thread:resolve': (encounterId) => ({
        encounterId,
        ...meta(1),
        threadId: uuid(),
        resolved: true,
      }),
      'encounter:transition': (encounterId) => ({
        encounterId,
        ...meta(1),
        transition: 'submit',
        reason: '',
      }),
      'finding:acknowledge': (encounterId) => ({
        encounterId,
        ...meta(1),
        findingId: 'x',
        reason: 'x',
      }),
    };
    /** Events that take no chart or answer nothing, and where their blindness is proven. */
    const NO_CHART_ANSWER: Record<string, string> = {
      'room:leave': 'leaving a room answers nothing about it (checked below)',
      'worklist:watch': 'takes no chart; its rows are checked in the timing test',
      'presence:focus': 'needs the socket in the room; checked in the timing test',
    };

    it('covers every event the gateway handles', () => {
      const events = gatewayEvents();
      expect(events.length).toBeGreaterThan(15);
      expect(events.filter((e) => !(e in PAYLOADS) && !(e in NO_CHART_ANSWER))).toEqual([]);
    });

    it('answers not_found for A’s copy to every event, and nothing of it', async () => {
      const socket = await socketFor(server, clinic.cookies.coderB, sockets);
      const heard: unknown[] = [];
      socket.onAny((...args: unknown[]) => heard.push(args));
      for (const [event, payload] of Object.entries(PAYLOADS)) {
        const ack = await emitAck(socket, event as 'room:join', payload(copyA) as never);
        expect({ event, ack: ack.ok ? 'ok' : ack.error.code }).toEqual({ event, ack: 'not_found' });
        expectNothingOfA(event, ack);
      }
      const left = await emitAck(socket, 'room:leave', { encounterId: copyA });
      expectNothingOfA('room:leave', left);
      socket.emit('presence:focus', { encounterId: copyA, lineId: lineA });
      // Barrier: B's own room join is answered after the focus was handled.
      expect((await emitAck(socket, 'room:join', { encounterId: copyB })).ok).toBe(true);
      expectNothingOfA('everything the socket heard', heard);
      // Nothing B sent touched A's copy.
      const after = await api<Encounter>(
        server.url,
        clinic.cookies.coder,
        'GET',
        `/api/encounters/${copyA}`,
      );
      expect(after.body.lines).toHaveLength(1);
      expect(after.body.lines[0]!.rationale).toBe(SECRET);
    });

    it('shows nothing of A’s copy through the original chart or B’s own copy', async () => {
      const socket = await socketFor(server, clinic.cookies.coderB, sockets);
      for (const id of [chart.id, copyB])
        for (const [event, payload] of Object.entries(PAYLOADS)) {
          const ack = await emitAck(socket, event as 'room:join', payload(id) as never);
          if (!ack.ok)
            expect({ event, code: ack.error.code }).not.toEqual({ event, code: 'internal' });
          expectNothingOfA(`${event} on ${id === chart.id ? 'the chart' : 'B’s copy'}`, ack);
        }
    });
  });

  describe('while A codes', () => {
    it('B’s counts, lists and the original chart do not move, and B’s sockets hear nothing', async () => {
      /** What B's lists and counts say: rows by id, version, time and line count, and the queues. */
      const lists = async () => {
        const page = (await asB<WorklistResponse>('GET', '/api/encounters?queue=all&pageSize=100'))
          .body;
        return {
          total: page.total,
          queues: page.queues,
          rows: page.items.map((i) => [i.id, i.version, i.updatedAt, i.lineCount, i.status]),
          doubleCodings: (await asB('GET', '/api/double-codings')).body,
          original: await asB<Encounter>('GET', `/api/encounters/${chart.id}`),
        };
      };
      const before = await lists();
      // B watches the worklist, sits in the original chart's room and in their own copy's.
      const watch = await socketFor(server, clinic.cookies.coderB, sockets);
      const inChart = await socketFor(server, clinic.cookies.coderB, sockets);
      const inCopy = await socketFor(server, clinic.cookies.coderB, sockets);
      expect((await emitAck(watch, 'worklist:watch', {})).ok).toBe(true);
      expect((await emitAck(inChart, 'room:join', { encounterId: chart.id })).ok).toBe(true);
      const joined = await emitAck(inCopy, 'room:join', { encounterId: copyB });
      if (!joined.ok) throw new Error(joined.error.message);
      const heard = {
        watch: [] as unknown[][],
        inChart: [] as unknown[][],
        inCopy: [] as unknown[][],
      };
      watch.onAny((...args: unknown[]) => heard.watch.push(args));
      inChart.onAny((...args: unknown[]) => heard.inChart.push(args));
      inCopy.onAny((...args: unknown[]) => heard.inCopy.push(args));

      // A codes live in the room of their copy: adds, edits, removes a line, focuses, submits.
      const a = await socketFor(server, clinic.cookies.coder, sockets);
      const room = await emitAck(a, 'room:join', { encounterId: copyA });
      if (!room.ok) throw new Error(room.error.message);
      let version = room.data.encounter.version;
      const added = await emitAck(a, 'line:add', {
        encounterId: copyA,
        ...meta(version),
        line: { code: '97110', modifiers: ['GP'], units: 3, pointers: ['B'], rationale: SECRET },
      });
      if (!added.ok) throw new Error(added.error.message);
      version = added.data.seq;
      a.emit('presence:focus', { encounterId: copyA, lineId: lineA });
      const updated = await emitAck(a, 'line:update', {
        encounterId: copyA,
        ...meta(version),
        lineId: lineA,
        patch: { units: 4 },
      });
      if (!updated.ok) throw new Error(updated.error.message);
      expect((await submit(server, clinic.cookies.coder, copyA)).ok).toBe(true);

      // Everything A did is committed: B's lists and counts are as before, the chart untouched.
      expect(await lists()).toEqual(before);
      expect(JSON.stringify(before)).not.toContain(copyA);

      // Barriers, each an event B must receive, sent after everything A did was committed.
      const barrierChart = await api<Encounter>(
        server.url,
        clinic.cookies.supervisor,
        'POST',
        '/api/encounters',
        { ...encounterBody(), coderId: null },
      );
      expect(barrierChart.status).toBe(201);
      const sup = await socketFor(server, clinic.cookies.supervisor, sockets);
      expect((await emitAck(sup, 'room:join', { encounterId: chart.id })).ok).toBe(true);
      const own = await emitAck(inCopy, 'line:add', {
        encounterId: copyB,
        ...meta(joined.data.encounter.version),
        line: { code: '99213', pointers: ['A'] },
      });
      if (!own.ok) throw new Error(own.error.message);
      await new Promise<void>((resolve) => {
        const ready = () =>
          heard.watch.length > 0 && heard.inChart.length > 0 && heard.inCopy.length > 0;
        if (ready()) return resolve();
        const check = () => ready() && resolve();
        watch.onAny(check);
        inChart.onAny(check);
        inCopy.onAny(check);
      });
      // The first thing each socket heard is its barrier, and nothing of A's copy.
      const [watchFirst] = heard.watch;
      expect(watchFirst![0]).toBe('worklist:rows');
      expect((watchFirst![1] as { rows: Array<{ id: string }> }).rows.map((r) => r.id)).toEqual([
        barrierChart.body.id,
      ]);
      expect(heard.inChart[0]![0]).toBe('presence:changed');
      expect(heard.inCopy[0]![0]).toBe('encounter:event');
      expect((heard.inCopy[0]![1] as { encounterId: string }).encounterId).toBe(copyB);
      for (const [socket, events] of Object.entries(heard)) expectNothingOfA(socket, events);
    });
  });
});
