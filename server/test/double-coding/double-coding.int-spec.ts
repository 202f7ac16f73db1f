import {
  DEFAULT_SAMPLING_POLICY,
  applyEncounterEvents,
  encounterAt,
  type ChartAudit,
  type DoubleCoding,
  type Encounter,
  type EncounterEvent,
  type Reconciliation,
} from '@countersign/shared';
import type { RunningServer } from '../../src/bootstrap.js';
import { api, encounterBody, ifMatch, startTestApp, type LiveClient } from '../support/test-app.js';
import {
  addLine,
  doubleCodingClinic,
  draftChart,
  sentChart,
  submit,
  uuid,
  type DoubleCodingClinic,
} from './double-coding-fixtures.js';

/**
 * Blind double coding against the real server and Postgres: sending (who may, to whom, which
 * chart), the chart locked while it is open, the copies coded and submitted through the
 * ordinary room, the reconciliation view, reconcile's validation (nothing changes on a refusal)
 * and its result on the chart (event log and hash chain intact, normal review), and cancelling.
 */
describe('blind double coding', () => {
  let server: RunningServer;
  let clinic: DoubleCodingClinic;
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    server = await startTestApp();
    clinic = await doubleCodingClinic(server);
  });
  afterEach(() => sockets.splice(0).forEach((s) => s.close()));
  afterAll(() => server.stop());

  const as = (who: keyof DoubleCodingClinic['cookies']) => clinic.cookies[who];
  const get = <T>(who: keyof DoubleCodingClinic['cookies'], path: string) =>
    api<T>(server.url, as(who), 'GET', path);

  describe('sending a chart', () => {
    it('is for supervisors and admins, to two active coders who are not trainees', async () => {
      const chart = await draftChart(server, clinic);
      const path = `/api/encounters/${chart.id}/double-coding`;
      const { coder, reviewer } = clinic.org.users;
      const pair = { coderIds: [coder.id, clinic.coderB.id] };
      expect((await api(server.url, as('coder'), 'POST', path, pair)).status).toBe(403);
      expect((await api(server.url, as('reviewer'), 'POST', path, pair)).status).toBe(403);
      const same = await api<{ message: string }>(server.url, as('supervisor'), 'POST', path, {
        coderIds: [coder.id, coder.id],
      });
      expect(same.status).toBe(400);
      expect(same.body.message).toMatch(/two different coders/);
      const notCoder = await api<{ message: string }>(server.url, as('supervisor'), 'POST', path, {
        coderIds: [coder.id, reviewer.id],
      });
      expect(notCoder.status).toBe(400);
      expect(notCoder.body.message).toMatch(/is not a coder/);
      await server.dataSource.query(`UPDATE users SET trainee = true WHERE id = $1`, [
        clinic.coderB.id,
      ]);
      const trainee = await api<{ message: string }>(server.url, as('admin'), 'POST', path, pair);
      await server.dataSource.query(`UPDATE users SET trainee = false WHERE id = $1`, [
        clinic.coderB.id,
      ]);
      expect(trainee.status).toBe(400);
      expect(trainee.body.message).toMatch(/trainee/);
      const stranger = await api(server.url, as('supervisor'), 'POST', path, {
        coderIds: [coder.id, uuid()],
      });
      expect(stranger.status).toBe(400);
      // Nothing was written by any refusal.
      const [{ n }] = await server.dataSource.query<[{ n: number }]>(
        `SELECT count(*)::int AS n FROM double_codings WHERE encounter_id = $1`,
        [chart.id],
      );
      expect(n).toBe(0);
      expect((await api(server.url, as('admin'), 'POST', path, pair)).status).toBe(201);
      const again = await api<{ message: string }>(
        server.url,
        as('supervisor'),
        'POST',
        path,
        pair,
      );
      expect(again.status).toBe(409);
      expect(again.body.message).toMatch(/already being double coded/);
    });

    it('refuses a chart somebody has coded already', async () => {
      const chart = await draftChart(server, clinic, clinic.org.users.coder.id);
      await addLine(server, as('coder'), chart.id, { code: '99213', pointers: ['A'] });
      const sent = await api<{ message: string }>(
        server.url,
        as('supervisor'),
        'POST',
        `/api/encounters/${chart.id}/double-coding`,
        { coderIds: [clinic.org.users.coder.id, clinic.coderB.id] },
      );
      expect(sent.status).toBe(409);
      expect(sent.body.message).toMatch(/no lines/);
    });

    it('makes one blind copy per coder and locks the chart', async () => {
      const { chart, doubleCoding, copyA } = await sentChart(server, clinic);
      expect(doubleCoding).toMatchObject({
        encounterId: chart.id,
        status: 'coding',
        requestedVia: 'supervisor',
        submittedCount: 0,
      });
      const copy = await get<Encounter>('coder', `/api/encounters/${copyA}`);
      expect(copy.status).toBe(200);
      expect(copy.body).toMatchObject({
        purpose: 'blind',
        status: 'draft',
        lines: [],
        diagnoses: chart.diagnoses,
        clinicalNote: chart.clinicalNote,
        coder: { id: clinic.org.users.coder.id },
      });
      // While coding: the copy is its coder's and the overseers', no one else's.
      expect({
        coderB: (await get('coderB', `/api/encounters/${copyA}`)).status,
        reviewer: (await get('reviewer', `/api/encounters/${copyA}`)).status,
        supervisor: (await get('supervisor', `/api/encounters/${copyA}`)).status,
        admin: (await get('admin', `/api/encounters/${copyA}`)).status,
      }).toEqual({ coderB: 404, reviewer: 404, supervisor: 200, admin: 200 });
      const patch = await api<{ message: string }>(
        server.url,
        as('supervisor'),
        'PATCH',
        `/api/encounters/${chart.id}`,
        { clinicalNote: 'changed' },
        ifMatch(chart.version + 1),
      );
      expect(patch.status).toBe(409);
      expect(patch.body.message).toMatch(/being double coded/);
      const line = await api(
        server.url,
        as('coder'),
        'POST',
        `/api/encounters/${chart.id}/lines`,
        { code: '99213' },
        ifMatch(chart.version + 1),
      );
      expect(line.status).toBe(409);
      const assign = await api<{ message: string }>(
        server.url,
        as('supervisor'),
        'PATCH',
        `/api/encounters/${copyA}`,
        { coderId: clinic.coderB.id },
        ifMatch(1),
      );
      expect(assign.status).toBe(409);
      expect(assign.body.message).toMatch(/keeps the coder/);
      const history = await get<{ items: EncounterEvent[] }>(
        'coder',
        `/api/encounters/${chart.id}/events`,
      );
      expect(history.body.items.map((e) => e.type)).toEqual([
        'encounter.created',
        'double_coding.requested',
      ]);
      expect(JSON.stringify(history.body.items[1]!.payload)).not.toContain(clinic.coderB.id);
    });
  });

  describe('coding, submitting and reconciling', () => {
    let chart: Encounter;
    let dc: DoubleCoding;
    let copyA: string;
    let copyB: string;

    beforeAll(async () => {
      ({ chart, doubleCoding: dc, copyA, copyB } = await sentChart(server, clinic));
      await addLine(server, as('coder'), copyA, {
        code: '99214',
        modifiers: ['25'],
        pointers: ['A'],
        rationale: 'A: moderate MDM',
      });
      await addLine(server, as('coder'), copyA, {
        code: '20610',
        modifiers: ['RT'],
        pointers: ['A'],
      });
      await addLine(server, as('coderB'), copyB, { code: '99213', pointers: ['A', 'B'] });
      await addLine(server, as('coderB'), copyB, {
        code: '20610',
        modifiers: ['RT'],
        pointers: ['A'],
      });
      await addLine(server, as('coderB'), copyB, { code: '36415', pointers: ['B'] });
    });

    it('submits a copy through the ordinary submit, without review, blind to the other coder', async () => {
      const submitted = await submit(server, as('coder'), copyA);
      expect(submitted.ok).toBe(true);
      const copy = await get<Encounter>('coder', `/api/encounters/${copyA}`);
      expect(copy.body.status).toBe('submitted');
      expect(copy.body.reviewer).toBeNull();
      const events = await get<{ items: EncounterEvent[] }>(
        'coder',
        `/api/encounters/${copyA}/events`,
      );
      expect(events.body.items.map((e) => e.type)).not.toContain('review.skipped');
      // Locked for editing.
      const edit = await api(
        server.url,
        as('coder'),
        'POST',
        `/api/encounters/${copyA}/lines`,
        { code: '99215' },
        ifMatch(copy.body.version),
      );
      expect(edit.status).toBe(409);
      const overseer = await get<DoubleCoding>('supervisor', `/api/double-codings/${dc.id}`);
      expect(overseer.body).toMatchObject({ status: 'coding', submittedCount: 1 });
      for (const who of ['coder', 'coderB'] as const) {
        const own = await get<DoubleCoding>(who, `/api/double-codings/${dc.id}`);
        expect(own.body.status).toBe('coding');
        expect(own.body.submittedCount).toBeNull();
        expect(own.body.copies).toHaveLength(1);
        expect(own.body.copies[0]!.encounterId).toBe(who === 'coder' ? copyA : copyB);
      }
      const early = await get<{ message: string }>(
        'reviewer',
        `/api/double-codings/${dc.id}/reconciliation`,
      );
      expect(early.status).toBe(409);
      expect(early.body.message).toMatch(/once both coders have submitted/);
    });

    it('opens the reconciliation once both copies are in', async () => {
      expect((await submit(server, as('coderB'), copyB)).ok).toBe(true);
      const both = await get<DoubleCoding>('coderB', `/api/double-codings/${dc.id}`);
      expect(both.body).toMatchObject({ status: 'reconciling', submittedCount: 2 });
      expect(both.body.copies).toHaveLength(2);
      expect(both.body.bothSubmittedAt).not.toBeNull();
      // Now the coders and reviewers may read both copies.
      expect((await get('coderB', `/api/encounters/${copyA}`)).status).toBe(200);
      expect((await get('reviewer', `/api/encounters/${copyA}`)).status).toBe(200);

      const view = await get<Reconciliation>(
        'reviewer',
        `/api/double-codings/${dc.id}/reconciliation`,
      );
      expect(view.status).toBe(200);
      const rows = view.body.rows.map((r) => [
        r.first?.code ?? null,
        r.second?.code ?? null,
        r.differences,
      ]);
      expect(rows).toEqual([
        ['99214', '99213', ['code', 'modifiers', 'pointers']],
        ['20610', '20610', []],
        [null, '36415', ['missing']],
      ]);
      const [dxA, dxB] = chart.diagnoses;
      expect(view.body.rows[0]!.first!.pointedDiagnoses).toEqual([dxA]);
      expect(view.body.rows[0]!.second!.pointedDiagnoses).toEqual([dxA, dxB]);
      expect(view.body.diagnoses).toEqual([
        { letter: 'A', code: dxA },
        { letter: 'B', code: dxB },
      ]);
      // Codes: 99214, 20610, 99213, 36415 -> only 20610 agreed.
      expect(view.body.agreement.codes).toEqual({ value: 0.25, numerator: 1, denominator: 4 });
      expect(view.body.decisions).toEqual([]);
      expect((await get('coder', `/api/double-codings/${dc.id}/reconciliation`)).status).toBe(200);
    });

    it('refuses an incomplete or wrong reconciliation with a clear message and changes nothing', async () => {
      const view = await get<Reconciliation>(
        'reviewer',
        `/api/double-codings/${dc.id}/reconciliation`,
      );
      const [em, inj, lab] = view.body.rows;
      const path = `/api/double-codings/${dc.id}/reconcile`;
      const post = (who: 'reviewer' | 'coder', body: unknown) =>
        api<{ message: string }>(server.url, as(who), 'POST', path, body);
      const take = {
        source: 'first',
        firstLineId: em!.first!.id,
        line: { code: '99214', modifiers: ['25'], pointers: ['A'] },
        reason: 'Moderate MDM documented',
      };
      const both = {
        source: 'both',
        firstLineId: inj!.first!.id,
        secondLineId: inj!.second!.id,
        line: { code: '20610', modifiers: ['RT'], pointers: ['A'] },
        reason: 'Both agree',
      };
      const missing = await post('reviewer', { decisions: [take, both] });
      expect(missing.status).toBe(400);
      expect(missing.body.message).toMatch(
        /Decide every line of the second coder: 99213, 36415 have no decision/,
      );
      const twice = await post('reviewer', {
        decisions: [take, { ...take, source: 'dropped', line: null }, both],
      });
      expect(twice.status).toBe(400);
      expect(twice.body.message).toMatch(/both decide the same line of the first coder/);
      const foreign = await post('reviewer', {
        decisions: [{ ...take, firstLineId: lab!.second!.id }],
      });
      expect(foreign.status).toBe(400);
      expect(foreign.body.message).toMatch(/not a line of the first coder/);
      const noReason = await post('reviewer', { decisions: [{ ...take, reason: ' ' }] });
      expect(noReason.status).toBe(400);
      expect(noReason.body.message).toMatch(/Give a reason for each decision/);
      const dangling = await post('reviewer', {
        decisions: [
          {
            ...take,
            secondLineId: em!.second!.id,
            source: 'both',
            line: { code: '99214', pointers: ['D'] },
          },
          both,
          { source: 'dropped', secondLineId: lab!.second!.id, reason: 'Lab not billed here' },
        ],
      });
      expect(dangling.status).toBe(400);
      expect(dangling.body.message).toMatch(/pointer D points at no diagnosis/);
      const byCoder = await post('coder', { decisions: [take] });
      expect(byCoder.status).toBe(403);
      const after = await get<Encounter>('supervisor', `/api/encounters/${chart.id}`);
      expect(after.body).toMatchObject({ version: chart.version + 1, lines: [], status: 'draft' });
      const [{ n }] = await server.dataSource.query<[{ n: number }]>(
        `SELECT count(*)::int AS n FROM reconciliation_decisions WHERE double_coding_id = $1`,
        [dc.id],
      );
      expect(n).toBe(0);
    });

    it('writes the final lines onto the chart as one event and sends it to the normal review', async () => {
      const view = await get<Reconciliation>(
        'reviewer',
        `/api/double-codings/${dc.id}/reconciliation`,
      );
      const [em, inj, lab] = view.body.rows;
      const reconciled = await api<DoubleCoding>(
        server.url,
        as('reviewer'),
        'POST',
        `/api/double-codings/${dc.id}/reconcile`,
        {
          decisions: [
            {
              source: 'both',
              firstLineId: em!.first!.id,
              secondLineId: em!.second!.id,
              line: { code: '99214', modifiers: ['25'], pointers: ['A', 'B'] },
              reason: 'Moderate MDM; both diagnoses addressed',
            },
            {
              source: 'both',
              firstLineId: inj!.first!.id,
              secondLineId: inj!.second!.id,
              line: { code: '20610', modifiers: ['RT'], pointers: ['A'] },
              reason: 'Both agree',
            },
            {
              source: 'dropped',
              secondLineId: lab!.second!.id,
              reason: 'Drawn at the lab, not here',
            },
            {
              source: 'new',
              line: { code: 'J1030', pointers: ['A'] },
              reason: 'Injected drug documented',
            },
          ],
        },
      );
      expect(reconciled.status).toBe(200);
      expect(reconciled.body).toMatchObject({
        status: 'reconciled',
        reconciledBy: { id: clinic.org.users.reviewer.id },
      });
      const after = await get<Encounter>('supervisor', `/api/encounters/${chart.id}`);
      expect(after.body.status).toBe('submitted');
      expect(after.body.lines.map((l) => [l.code, l.modifiers, l.pointers, l.submitted])).toEqual([
        ['99214', ['25'], ['A', 'B'], true],
        ['20610', ['RT'], ['A'], true],
        ['J1030', [], ['A'], true],
      ]);
      // The reconciler is not routed their own reconciliation.
      expect(after.body.reviewer?.id ?? null).not.toBe(clinic.org.users.reviewer.id);
      expect(after.body.codedBy).toContain(clinic.org.users.reviewer.id);
      const events = await get<{ items: EncounterEvent[] }>(
        'supervisor',
        `/api/encounters/${chart.id}/events`,
      );
      expect(events.body.items.map((e) => e.type)).toEqual([
        'encounter.created',
        'double_coding.requested',
        'double_coding.reconciled',
      ]);
      // The log folds to the chart as it stands.
      const folded = encounterAt(events.body.items, after.body.version);
      expect(folded.lines).toEqual(after.body.lines);
      expect(folded.status).toBe('submitted');
      expect(applyEncounterEvents(folded, []).version).toBe(after.body.version);
      const audit = await get<ChartAudit>('admin', `/api/audit/encounters/${chart.id}`);
      expect(audit.body.chain).toMatchObject({ ok: true, events: 3 });
      const decisions = await get<Reconciliation>(
        'coder',
        `/api/double-codings/${dc.id}/reconciliation`,
      );
      expect(decisions.body.decisions.map((d) => [d.source, d.reason])).toEqual([
        ['both', 'Moderate MDM; both diagnoses addressed'],
        ['both', 'Both agree'],
        ['dropped', 'Drawn at the lab, not here'],
        ['new', 'Injected drug documented'],
      ]);
      expect(decisions.body.decisions[2]!.secondLine?.code).toBe('36415');
      const again = await api(
        server.url,
        as('reviewer'),
        'POST',
        `/api/double-codings/${dc.id}/reconcile`,
        {
          decisions: [{ source: 'new', line: { code: '99213' }, reason: 'again' }],
        },
      );
      expect(again.status).toBe(409);
    });
  });

  describe('the sampling policy’s double-coding share', () => {
    it('sends new blank charts to two coders by rotation, and leaves coded ones alone', async () => {
      const other = await doubleCodingClinic(server);
      const saved = await api(server.url, other.cookies.supervisor, 'PUT', '/api/sampling/policy', {
        ...DEFAULT_SAMPLING_POLICY,
        doubleCodingShare: 1,
      });
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({ doubleCodingShare: 1 });
      // The sampling page saves the policy without the share: the saved share stays.
      const resaved = await api(
        server.url,
        other.cookies.supervisor,
        'PUT',
        '/api/sampling/policy',
        {
          ...DEFAULT_SAMPLING_POLICY,
          sampleRate: 0.3,
        },
      );
      expect(resaved.body).toMatchObject({ sampleRate: 0.3, doubleCodingShare: 1 });
      const coded = await api<Encounter>(
        server.url,
        other.cookies.supervisor,
        'POST',
        '/api/encounters',
        encounterBody({ coderId: other.org.users.coder.id, lines: [{ code: '99213' }] }),
      );
      expect(coded.status).toBe(201);
      const blank = await draftChart(server, other);
      let found: DoubleCoding[] = [];
      // The share is applied after the chart's transaction: wait for it to appear.
      const poll = async () => {
        for (let i = 0; i < 400 && found.length === 0; i++) {
          found = (
            await api<DoubleCoding[]>(
              server.url,
              other.cookies.supervisor,
              'GET',
              '/api/double-codings',
            )
          ).body;
          if (found.length === 0) await new Promise((r) => setTimeout(r, 25));
        }
      };
      await poll();
      // The coded chart was passed over before the blank one was created: only the blank one.
      expect(found.map((d) => d.encounterId)).toEqual([blank.id]);
      expect(found[0]).toMatchObject({
        requestedVia: 'sampling',
        requestedBy: null,
        status: 'coding',
      });
      expect(found[0]!.copies.map((c) => c.coder.id).sort()).toEqual(
        [other.org.users.coder.id, other.coderB.id].sort(),
      );
    });
  });

  describe('cancelling', () => {
    it('needs a supervisor and a reason, and frees the chart', async () => {
      const { chart, doubleCoding, copyA } = await sentChart(server, clinic);
      const path = `/api/double-codings/${doubleCoding.id}/cancel`;
      expect((await api(server.url, as('coder'), 'POST', path, { reason: 'x' })).status).toBe(403);
      const blank = await api<{ message: string }>(server.url, as('supervisor'), 'POST', path, {
        reason: '',
      });
      expect(blank.status).toBe(400);
      expect(blank.body.message).toMatch(/Say why/);
      const done = await api<DoubleCoding>(server.url, as('supervisor'), 'POST', path, {
        reason: 'Sent by mistake',
      });
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ status: 'cancelled', cancelReason: 'Sent by mistake' });
      expect(
        (await api(server.url, as('supervisor'), 'POST', path, { reason: 'again' })).status,
      ).toBe(409);
      // The chart can be edited again; the copy stays with its coder alone.
      const edited = await api<Encounter>(
        server.url,
        as('supervisor'),
        'PATCH',
        `/api/encounters/${chart.id}`,
        { coderId: clinic.org.users.coder.id },
        ifMatch(chart.version + 2),
      );
      expect(edited.status).toBe(200);
      expect((await get('coderB', `/api/encounters/${copyA}`)).status).toBe(404);
      expect((await get('reviewer', `/api/encounters/${copyA}`)).status).toBe(404);
      await addLine(server, as('coder'), copyA, { code: '99213' });
      const late = await submit(server, as('coder'), copyA);
      expect(late.ok).toBe(false);
      if (!late.ok) expect(late.error.message).toMatch(/cancelled/);
    });
  });
});
