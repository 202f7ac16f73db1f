import type { Ack, CommandResult, Encounter, EncounterEvent } from '@countersign/shared';
import type { RunningServer } from '../../src/bootstrap.js';
import { RoomWatcher } from '../support/room-watcher.js';
import {
  api,
  connectSocket,
  createOrganization,
  emitAck,
  encounterBody,
  eventually,
  login,
  meta,
  startTestApp,
  type LiveClient,
  type TestOrganization,
} from '../support/test-app.js';

function ok<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

describe('the live review', () => {
  let server: RunningServer;
  let org: TestOrganization;
  const cookies: Record<string, string> = {};
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    server = await startTestApp();
    org = await createOrganization(server.dataSource, 'Review Clinic');
    for (const role of ['coder', 'reviewer', 'supervisor'] as const)
      cookies[role] = await login(server.url, org.users[role]);
  });
  afterEach(() => sockets.splice(0).forEach((s) => s.close()));
  afterAll(() => server.stop());

  async function room(
    role: 'coder' | 'reviewer' | 'supervisor',
    encounterId: string,
  ): Promise<RoomWatcher> {
    const socket = await connectSocket(server.url, cookies[role]!);
    sockets.push(socket);
    return RoomWatcher.join(socket, encounterId);
  }

  async function newChart(): Promise<Encounter> {
    const response = await api<Encounter>(
      server.url,
      cookies.coder!,
      'POST',
      '/api/encounters',
      encounterBody({ coderId: org.users.coder.id }),
    );
    return response.body;
  }

  /** Sends a command made against what `who` sees now and waits until every watcher has its event. */
  async function send<E extends Parameters<typeof emitAck>[1]>(
    who: RoomWatcher,
    event: E,
    payload: Record<string, unknown>,
    everyone: RoomWatcher[] = [who],
  ): Promise<CommandResult> {
    const result = ok(
      await emitAck(
        who.socket,
        event as 'line:add',
        { encounterId: who.state.id, ...meta(who.state.version), ...payload } as never,
      ),
    );
    await eventually(
      () => everyone.every((w) => w.state.version >= result.seq),
      5000,
      `everyone to see seq ${result.seq}`,
    );
    return result;
  }

  it('runs the whole review: propose, submit, accept, suggest, reject, add missed, answer, approve, sign off', async () => {
    const chart = await newChart();
    const coder = await room('coder', chart.id);
    const reviewer = await room('reviewer', chart.id);
    const supervisor = await room('supervisor', chart.id);
    const all = [coder, reviewer, supervisor];

    for (const code of ['99214', '20610', '73562']) {
      await send(
        coder,
        'line:add',
        {
          line: {
            code,
            pointers: ['A'],
            rationale: `Documented ${code}`,
            evidence: { start: 0, end: 11, quote: 'Established' },
          },
        },
        all,
      );
    }
    const [visit, injection, xray] = coder.state.lines.map((l) => l.id);
    await send(coder, 'encounter:transition', { transition: 'submit' }, all);
    expect(reviewer.state.status).toBe('submitted');

    await send(reviewer, 'encounter:transition', { transition: 'review.start' }, all);
    expect(coder.state).toMatchObject({
      status: 'in_review',
      reviewer: { id: org.users.reviewer.id },
    });
    await send(reviewer, 'review:accept', { lineId: injection }, all);
    await send(
      reviewer,
      'review:suggest',
      {
        lineId: visit,
        patch: { modifiers: ['25'] },
        category: 'missing-modifier',
        comment: 'Separate E/M',
      },
      all,
    );
    await send(
      reviewer,
      'review:reject',
      { lineId: xray, category: 'unsupported', comment: 'No imaging in the note' },
      all,
    );
    await send(
      reviewer,
      'review:add-missed',
      { line: { code: 'J3301', units: 4, pointers: ['A'] }, comment: 'Drug supply' },
      all,
    );

    const suggestion = coder.state.suggestions[0]!;
    expect(suggestion).toMatchObject({
      status: 'open',
      before: { modifiers: [] },
      proposed: { modifiers: ['25'] },
      category: 'missing-modifier',
    });

    // Approval waits for the coder's answer.
    const early = await emitAck(reviewer.socket, 'encounter:transition', {
      encounterId: chart.id,
      ...meta(reviewer.state.version),
      transition: 'approve',
    });
    expect(early).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_state',
        message: 'The chart cannot be approved yet: 1 suggestion is not answered',
      },
    });

    await send(coder, 'suggestion:answer', { suggestionId: suggestion.id, answer: 'accept' }, all);
    expect(reviewer.state.lines[0]).toMatchObject({
      code: '99214',
      modifiers: ['25'],
      review: { state: 'accepted', category: 'missing-modifier' },
    });

    await send(reviewer, 'encounter:transition', { transition: 'approve' }, all);
    await send(supervisor, 'encounter:transition', { transition: 'sign-off' }, all);
    expect(coder.state.status).toBe('signed_off');

    // Signed off: locked.
    const late = await emitAck(coder.socket, 'line:update', {
      encounterId: chart.id,
      ...meta(coder.state.version),
      lineId: visit!,
      patch: { units: 2 },
    });
    expect(late).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_state',
        message: 'You cannot change lines while the chart is signed off',
      },
    });
    const lateComment = await emitAck(reviewer.socket, 'comment:add', {
      encounterId: chart.id,
      ...meta(reviewer.state.version),
      body: 'One more thing',
    });
    expect(lateComment).toMatchObject({ ok: false, error: { code: 'invalid_state' } });

    // Everyone converged on what a fresh load shows, and the history has every step.
    const fresh = (
      await api<Encounter>(server.url, cookies.coder!, 'GET', `/api/encounters/${chart.id}`)
    ).body;
    for (const w of all) expect(w.state).toEqual(fresh);
    const log = (
      await api<{ items: EncounterEvent[] }>(
        server.url,
        cookies.reviewer!,
        'GET',
        `/api/encounters/${chart.id}/events`,
      )
    ).body.items;
    expect(log.map((e) => e.type)).toEqual([
      'encounter.created',
      'line.added',
      'line.added',
      'line.added',
      'status.changed',
      'status.changed',
      'line.reviewed',
      'suggestion.made',
      'line.reviewed',
      'line.added',
      'suggestion.answered.v2',
      'status.changed',
      'status.changed',
    ]);

    // The outcomes accuracy will be built on.
    const outcomes = await server.dataSource.query(
      `SELECT l.code, o.outcome, o.category, o.coder_line, o.final_line
         FROM review_outcomes o JOIN claim_lines l ON l.id = o.line_id WHERE o.encounter_id = $1 ORDER BY l.position`,
      [chart.id],
    );
    expect(outcomes).toEqual([
      {
        code: '99214',
        outcome: 'corrected',
        category: 'missing-modifier',
        coder_line: { code: '99214', modifiers: [], units: 1, pointers: ['A'] },
        final_line: { code: '99214', modifiers: ['25'], units: 1, pointers: ['A'] },
      },
      {
        code: '20610',
        outcome: 'accepted',
        category: null,
        coder_line: expect.objectContaining({ code: '20610' }),
        final_line: expect.objectContaining({ code: '20610' }),
      },
      {
        code: '73562',
        outcome: 'rejected',
        category: 'unsupported',
        coder_line: expect.objectContaining({ code: '73562' }),
        final_line: null,
      },
      {
        code: 'J3301',
        outcome: 'missed',
        category: 'missed-code',
        coder_line: null,
        final_line: expect.objectContaining({ code: 'J3301', units: 4 }),
      },
    ]);
  });

  it('refuses a stale command with a conflict that carries the current chart', async () => {
    const chart = await newChart();
    const coder = await room('coder', chart.id);
    await send(coder, 'line:add', { line: { code: '99213', pointers: ['A'] } });
    const lineId = coder.state.lines[0]!.id;
    const seenAt = coder.state.version;
    await send(coder, 'line:update', { lineId, patch: { units: 2 } });

    const stale = await emitAck(coder.socket, 'line:update', {
      encounterId: chart.id,
      ...meta(seenAt),
      lineId,
      patch: { units: 5 },
    });
    expect(stale.ok).toBe(false);
    if (stale.ok) return;
    expect(stale.error.code).toBe('conflict');
    expect((stale.error.details as { encounter: Encounter }).encounter).toEqual(coder.state);
    expect(coder.state.lines[0]!.units).toBe(2);

    // A command about something else is not stale just because the chart moved on.
    const other = await emitAck(coder.socket, 'line:add', {
      encounterId: chart.id,
      ...meta(seenAt),
      line: { code: '36415', pointers: ['A'] },
    });
    expect(other.ok).toBe(true);
  });

  it('applies a retried command once and answers the retry with the first seq', async () => {
    const chart = await newChart();
    const coder = await room('coder', chart.id);
    const command = {
      encounterId: chart.id,
      ...meta(1),
      line: { code: '99213', pointers: ['A' as const] },
    };
    const [first, retry] = await Promise.all([
      emitAck(coder.socket, 'line:add', command),
      emitAck(coder.socket, 'line:add', command),
    ]);
    const seqs = [ok(first), ok(retry)];
    expect(seqs.map((r) => r.seq)).toEqual([2, 2]);
    expect(seqs.map((r) => r.duplicate).sort()).toEqual([false, true]);
    const again = ok(await emitAck(coder.socket, 'line:add', command));
    expect(again).toEqual({ seq: 2, duplicate: true });
    const log = (
      await api<{ items: EncounterEvent[] }>(
        server.url,
        cookies.coder!,
        'GET',
        `/api/encounters/${chart.id}/events`,
      )
    ).body.items;
    expect(log.map((e) => e.seq)).toEqual([1, 2]);
    expect(log[1]!.opId).toBe(command.opId);
  });

  it('blocks approval while a line that stays on the claim has no pointer', async () => {
    const chart = await newChart();
    const coder = await room('coder', chart.id);
    const reviewer = await room('reviewer', chart.id);
    await send(coder, 'line:add', { line: { code: '99213', pointers: [] } }, [coder, reviewer]);
    await send(coder, 'line:add', { line: { code: '36415', pointers: [] } }, [coder, reviewer]);
    await send(coder, 'encounter:transition', { transition: 'submit' }, [coder, reviewer]);
    await send(reviewer, 'encounter:transition', { transition: 'review.start' }, [coder, reviewer]);
    const refused = await emitAck(reviewer.socket, 'encounter:transition', {
      encounterId: chart.id,
      ...meta(reviewer.state.version),
      transition: 'approve',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
    // The review's own gate, and the edits engine's error findings for the same lines.
    expect(!refused.ok && refused.error.message).toBe(
      'The chart cannot be approved yet: lines 1 and 2 are not reviewed; lines 1 and 2 have no diagnosis pointer; 2 error findings are open',
    );
    // Rejected lines leave the claim, so they no longer block.
    await send(reviewer, 'review:reject', {
      lineId: reviewer.state.lines[1]!.id,
      category: 'unsupported',
      comment: 'No venipuncture',
    });
    await send(
      reviewer,
      'review:suggest',
      {
        lineId: reviewer.state.lines[0]!.id,
        patch: { pointers: ['A'] },
        category: 'diagnosis-pointer',
      },
      [coder, reviewer],
    );
    await send(
      coder,
      'suggestion:answer',
      { suggestionId: coder.state.suggestions[0]!.id, answer: 'accept' },
      [coder, reviewer],
    );
    await send(reviewer, 'encounter:transition', { transition: 'approve' });
    expect(reviewer.state.status).toBe('approved');
  });

  it('opens a thread when the coder disputes, lets the reviewer withdraw, and requests changes with a reason', async () => {
    const chart = await newChart();
    const coder = await room('coder', chart.id);
    const reviewer = await room('reviewer', chart.id);
    const both = [coder, reviewer];
    await send(coder, 'line:add', { line: { code: '99214', pointers: ['A'] } }, both);
    await send(coder, 'encounter:transition', { transition: 'submit' }, both);
    await send(reviewer, 'encounter:transition', { transition: 'review.start' }, both);
    const lineId = reviewer.state.lines[0]!.id;
    await send(
      reviewer,
      'review:suggest',
      { lineId, patch: { code: '99213' }, category: 'wrong-level', comment: 'Low MDM' },
      both,
    );

    const noReason = await emitAck(coder.socket, 'suggestion:answer', {
      encounterId: chart.id,
      ...meta(coder.state.version),
      suggestionId: coder.state.suggestions[0]!.id,
      answer: 'dispute',
    });
    expect(noReason).toMatchObject({
      ok: false,
      error: { code: 'validation_failed', message: 'comment: Say why you dispute it' },
    });

    await send(
      coder,
      'suggestion:answer',
      {
        suggestionId: coder.state.suggestions[0]!.id,
        answer: 'dispute',
        comment: 'Two chronic illnesses: moderate',
      },
      both,
    );
    expect(reviewer.state.suggestions[0]).toMatchObject({ status: 'disputed' });
    expect(reviewer.state.threads).toEqual([
      expect.objectContaining({
        lineId,
        suggestionId: reviewer.state.suggestions[0]!.id,
        comments: [expect.objectContaining({ body: 'Two chronic illnesses: moderate' })],
      }),
    ]);
    await send(
      reviewer,
      'comment:add',
      {
        threadId: reviewer.state.threads[0]!.id,
        body: `Agreed, @${org.users.coder.name}`,
        mentions: [org.users.coder.id],
      },
      both,
    );
    await send(
      reviewer,
      'suggestion:withdraw',
      { suggestionId: reviewer.state.suggestions[0]!.id },
      both,
    );
    await send(
      reviewer,
      'thread:resolve',
      { threadId: reviewer.state.threads[0]!.id, resolved: true },
      both,
    );
    expect(coder.state.threads[0]).toMatchObject({
      resolved: true,
      comments: [expect.anything(), expect.objectContaining({ mentions: [org.users.coder.id] })],
    });
    expect(coder.state.lines[0]!.code).toBe('99214');

    const noWhy = await emitAck(reviewer.socket, 'encounter:transition', {
      encounterId: chart.id,
      ...meta(reviewer.state.version),
      transition: 'request-changes',
    });
    expect(noWhy).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    await send(
      reviewer,
      'encounter:transition',
      { transition: 'request-changes', reason: 'Add the pointer for the knee' },
      both,
    );
    expect(coder.state.status).toBe('changes_requested');
    const lastEvent = coder.received[coder.received.length - 1]!;
    expect(lastEvent).toMatchObject({
      type: 'status.changed',
      payload: {
        from: 'in_review',
        to: 'changes_requested',
        reason: 'Add the pointer for the knee',
      },
    });
  });

  it('refuses what makes no sense, with a message a person can act on', async () => {
    const chart = await newChart();
    const coder = await room('coder', chart.id);
    const submitEmpty = await emitAck(coder.socket, 'encounter:transition', {
      encounterId: chart.id,
      ...meta(1),
      transition: 'submit',
    });
    expect(submitEmpty).toMatchObject({
      ok: false,
      error: { code: 'invalid_state', message: 'Add at least one line before you submit' },
    });
    await send(coder, 'line:add', { line: { code: '99213', pointers: ['A'] } });
    await send(coder, 'encounter:transition', { transition: 'submit' });

    const mention = await emitAck(coder.socket, 'comment:add', {
      encounterId: chart.id,
      ...meta(coder.state.version),
      body: 'Hello',
      mentions: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(mention).toMatchObject({
      ok: false,
      error: {
        code: 'validation_failed',
        message: 'You can only mention people of your organization',
      },
    });

    const reviewer = await room('reviewer', chart.id);
    await send(reviewer, 'encounter:transition', { transition: 'review.start' }, [coder, reviewer]);
    const nothing = await emitAck(reviewer.socket, 'review:suggest', {
      encounterId: chart.id,
      ...meta(reviewer.state.version),
      lineId: reviewer.state.lines[0]!.id,
      patch: { code: '99213' },
      category: 'wrong-code',
    });
    expect(nothing).toMatchObject({
      ok: false,
      error: { code: 'validation_failed', message: 'The suggestion changes nothing' },
    });
    await send(
      reviewer,
      'encounter:transition',
      { transition: 'request-changes', reason: 'Check the level' },
      [coder, reviewer],
    );
    const remove = await emitAck(coder.socket, 'line:remove', {
      encounterId: chart.id,
      ...meta(coder.state.version),
      lineId: coder.state.lines[0]!.id,
    });
    expect(remove).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
    const versionBefore = coder.state.version;
    const fresh = (
      await api<Encounter>(server.url, cookies.coder!, 'GET', `/api/encounters/${chart.id}`)
    ).body;
    expect(fresh.version).toBe(versionBefore);
  });

  it('shows which line each person is on, and updates the worklist of those watching it', async () => {
    const chart = await newChart();
    const coder = await room('coder', chart.id);
    const reviewer = await room('reviewer', chart.id);
    await send(coder, 'line:add', { line: { code: '99213', pointers: ['A'] } }, [coder, reviewer]);
    const lineId = coder.state.lines[0]!.id;
    coder.socket.emit('presence:focus', { encounterId: chart.id, lineId });
    await eventually(
      () =>
        reviewer.presence.some((m) => m.userId === org.users.coder.id && m.focusLineId === lineId),
      5000,
      'the focus to show',
    );

    const supervisorSocket = await connectSocket(server.url, cookies.supervisor!);
    sockets.push(supervisorSocket);
    const changes: string[] = [];
    supervisorSocket.on('worklist:rows', ({ rows }) =>
      rows.forEach((row) => changes.push(`${row.id}:${row.status}`)),
    );
    expect(await emitAck(supervisorSocket, 'worklist:watch', {})).toEqual({ ok: true, data: null });
    await send(coder, 'encounter:transition', { transition: 'submit' });
    await eventually(() => changes.includes(`${chart.id}:submitted`), 5000, 'the worklist change');
  });

  it('keeps findings in the live state: warnings are acknowledged with a reason, and approval waits for them', async () => {
    const chart = await newChart();
    const coder = await room('coder', chart.id);
    const reviewer = await room('reviewer', chart.id);
    const both = [coder, reviewer];
    const edits: Array<{
      version: number;
      findings: Array<{ id: string; ruleId: string; severity: string }>;
      impact: unknown;
    }> = [];
    reviewer.socket.on('encounter:edits', (e) => edits.push(e));

    await send(coder, 'line:add', { line: { code: '99213', pointers: ['A'] } }, both);
    await send(coder, 'line:add', { line: { code: '99214', pointers: ['B'] } }, both);
    await eventually(() => edits.some((e) => e.version === 3), 5000, 'the edits of version 3');
    const latest = edits.find((e) => e.version === 3)!;
    const warning = latest.findings.find((f) => f.ruleId === 'office-visit-repeated')!;
    expect(warning).toMatchObject({ severity: 'warning' });
    expect(latest.impact).toBeNull();

    // A fresh join answers the same edits.
    const joined = await emitAck(reviewer.socket, 'room:join', { encounterId: chart.id });
    expect(ok(joined).edits.findings.map((f) => f.id)).toEqual(latest.findings.map((f) => f.id));

    await send(coder, 'encounter:transition', { transition: 'submit' }, both);
    await send(reviewer, 'encounter:transition', { transition: 'review.start' }, both);
    const blocked = await emitAck(reviewer.socket, 'encounter:transition', {
      encounterId: chart.id,
      ...meta(reviewer.state.version),
      transition: 'approve',
    });
    expect(blocked).toMatchObject({
      ok: false,
      error: {
        message:
          'The chart cannot be approved yet: lines 1 and 2 are not reviewed; 1 warning is not acknowledged',
      },
    });
    for (const line of reviewer.state.lines)
      await send(reviewer, 'review:accept', { lineId: line.id }, both);

    const noReason = await emitAck(reviewer.socket, 'finding:acknowledge', {
      encounterId: chart.id,
      ...meta(reviewer.state.version),
      findingId: warning.id,
      reason: ' ',
    });
    expect(noReason).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    const unknown = await emitAck(reviewer.socket, 'finding:acknowledge', {
      encounterId: chart.id,
      ...meta(reviewer.state.version),
      findingId: 'nope',
      reason: 'x',
    });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
    await send(
      reviewer,
      'finding:acknowledge',
      { findingId: warning.id, reason: 'Separate problem-oriented visit documented' },
      both,
    );
    expect(coder.state.acknowledgements).toEqual([
      expect.objectContaining({
        findingId: warning.id,
        reason: 'Separate problem-oriented visit documented',
        by: { id: org.users.reviewer.id, name: org.users.reviewer.name },
      }),
    ]);
    await eventually(
      () => edits.some((e) => e.version === reviewer.state.version && e.impact !== null),
      5000,
      'the review impact',
    );
    expect(edits.at(-1)!.impact).toMatchObject({
      coderTotal: expect.any(Number),
      reviewedTotal: expect.any(Number),
      impact: expect.any(Number),
    });

    await send(reviewer, 'encounter:transition', { transition: 'approve' }, both);
    expect(coder.state.status).toBe('approved');
    const rest = await api<{ findings: unknown[] }>(
      server.url,
      cookies.coder!,
      'GET',
      `/api/encounters/${chart.id}/edits`,
    );
    expect(rest.status).toBe(200);
    expect(rest.body.findings).toHaveLength(1);
  });
});
