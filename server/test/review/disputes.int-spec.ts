import type { Ack, CommandResult, Encounter } from '@countersign/shared';
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

type Role = 'coder' | 'reviewer' | 'supervisor';

/**
 * Review rigour (docs/domain.md section 10.1): approval waits for every line to be reviewed and
 * every dispute to be settled; a dispute is accepted after all, withdrawn, or escalated to a
 * supervisor who decides it; each settled dispute becomes a precedent; and the outcomes
 * approval records are what was reviewed, line by line.
 */
describe('disputes and approval', () => {
  let server: RunningServer;
  let org: TestOrganization;
  const cookies: Record<string, string> = {};
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    server = await startTestApp();
    org = await createOrganization(server.dataSource, 'Dispute Clinic');
    for (const role of ['coder', 'reviewer', 'supervisor'] as const)
      cookies[role] = await login(server.url, org.users[role]);
  });
  afterEach(() => sockets.splice(0).forEach((s) => s.close()));
  afterAll(() => server.stop());

  async function room(role: Role, encounterId: string): Promise<RoomWatcher> {
    const socket = await connectSocket(server.url, cookies[role]!);
    sockets.push(socket);
    return RoomWatcher.join(socket, encounterId);
  }

  /** A chart coded by `coder` with these lines, submitted, and in review by the reviewer. */
  async function inReview(
    lines: Array<{ code: string; units?: number }>,
    coder: Role = 'coder',
  ): Promise<{ chart: Encounter; rooms: Record<Role, RoomWatcher> }> {
    const chart = (
      await api<Encounter>(
        server.url,
        cookies[coder]!,
        'POST',
        '/api/encounters',
        encounterBody({ coderId: org.users[coder].id }),
      )
    ).body;
    const rooms = {
      coder: await room('coder', chart.id),
      reviewer: await room('reviewer', chart.id),
      supervisor: await room('supervisor', chart.id),
    };
    const all = Object.values(rooms);
    for (const line of lines)
      await send(rooms[coder], 'line:add', { line: { ...line, pointers: ['A'] } }, all);
    await send(rooms[coder], 'encounter:transition', { transition: 'submit' }, all);
    await send(rooms.reviewer, 'encounter:transition', { transition: 'review.start' }, all);
    return { chart, rooms };
  }

  async function send(
    who: RoomWatcher,
    event: Parameters<typeof emitAck>[1],
    payload: Record<string, unknown>,
    everyone: RoomWatcher[] = [who],
  ): Promise<CommandResult> {
    const result = ok(await attempt(who, event, payload));
    await eventually(
      () => everyone.every((w) => w.state.version >= result.seq),
      5000,
      `everyone to see seq ${result.seq}`,
    );
    return result;
  }

  function attempt(
    who: RoomWatcher,
    event: Parameters<typeof emitAck>[1],
    payload: Record<string, unknown>,
  ): Promise<Ack<CommandResult>> {
    return emitAck(
      who.socket,
      event as 'line:add',
      { encounterId: who.state.id, ...meta(who.state.version), ...payload } as never,
    );
  }

  /** What blocks approval now, as the server answers an attempt to approve. */
  async function blockers(reviewer: RoomWatcher): Promise<unknown> {
    const refused = await attempt(reviewer, 'encounter:transition', { transition: 'approve' });
    if (refused.ok) throw new Error('The chart was approved');
    expect(refused.error.code).toBe('invalid_state');
    return (refused.error.details as { blockers: string[] }).blockers;
  }

  async function outcomes(encounterId: string): Promise<unknown[]> {
    return server.dataSource.query(
      `SELECT l.code, o.outcome, o.category FROM review_outcomes o JOIN claim_lines l ON l.id = o.line_id
        WHERE o.encounter_id = $1 ORDER BY l.position`,
      [encounterId],
    );
  }

  async function precedentOf(suggestionId: string): Promise<Record<string, unknown>> {
    const [row] = await server.dataSource.query(
      `SELECT id, number, question, codes, modifiers, decision, reasoning, settled_how, decided_by_name
         FROM precedents WHERE source_suggestion_id = $1`,
      [suggestionId],
    );
    return row;
  }

  it('refuses approval while a line is pending, a dispute is open or an escalation waits; a supervisor’s decision settles it', async () => {
    const { chart, rooms } = await inReview([
      { code: '99213' },
      { code: '20610' },
      { code: '36415' },
    ]);
    const { coder, reviewer, supervisor } = rooms;
    const all = [coder, reviewer, supervisor];
    const [visit, injection, draw] = reviewer.state.lines.map((l) => l.id);
    await send(
      reviewer,
      'review:suggest',
      { lineId: visit, patch: { modifiers: ['25'] }, category: 'missing-modifier' },
      all,
    );
    await send(
      reviewer,
      'review:reject',
      { lineId: draw, category: 'unsupported', comment: 'No draw in the note' },
      all,
    );
    expect(await blockers(reviewer)).toEqual([
      '1 suggestion is not answered',
      'line 2 is not reviewed',
    ]);
    await send(reviewer, 'review:accept', { lineId: injection }, all);

    const suggestionId = coder.state.suggestions[0]!.id;
    await send(
      coder,
      'suggestion:answer',
      { suggestionId, answer: 'dispute', comment: 'The visit was for the knee only' },
      all,
    );
    expect(await blockers(reviewer)).toEqual([
      '1 dispute is open: withdraw the suggestion, or escalate it to a supervisor',
    ]);

    // Only a supervisor decides, and only an escalated dispute.
    const early = await attempt(supervisor, 'suggestion:decide', {
      suggestionId,
      decision: 'uphold',
      reason: 'Separate E/M',
    });
    expect(early).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
    await send(reviewer, 'suggestion:escalate', { suggestionId, comment: 'Need a ruling' }, all);
    expect(coder.state.suggestions[0]).toMatchObject({
      status: 'escalated',
      escalation: { by: { id: org.users.reviewer.id }, comment: 'Need a ruling' },
    });
    expect(await blockers(reviewer)).toEqual(['1 dispute is waiting for a supervisor’s decision']);
    const byCoder = await attempt(coder, 'suggestion:decide', {
      suggestionId,
      decision: 'overrule',
      reason: 'Mine',
    });
    expect(byCoder).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'Only a supervisor can decide a dispute' },
    });

    // A decision without a reason is refused and changes nothing.
    const version = supervisor.state.version;
    const noReason = await attempt(supervisor, 'suggestion:decide', {
      suggestionId,
      decision: 'uphold',
      reason: '  ',
    });
    expect(noReason).toMatchObject({
      ok: false,
      error: { code: 'validation_failed', details: expect.anything() },
    });
    const fresh = (
      await api<Encounter>(server.url, cookies.supervisor!, 'GET', `/api/encounters/${chart.id}`)
    ).body;
    expect(fresh.version).toBe(version);
    expect(fresh.suggestions[0]!.status).toBe('escalated');

    await send(
      supervisor,
      'suggestion:decide',
      { suggestionId, decision: 'uphold', reason: 'A separately identifiable E/M is documented' },
      all,
    );
    const decided = coder.state.suggestions[0]!;
    expect(decided).toMatchObject({
      status: 'upheld',
      decision: {
        decision: 'uphold',
        reason: 'A separately identifiable E/M is documented',
        by: { id: org.users.supervisor.id },
      },
      precedent: { number: 1 },
    });
    expect(coder.state.lines[0]).toMatchObject({
      modifiers: ['25'],
      review: { state: 'accepted', category: 'missing-modifier' },
    });
    expect(await precedentOf(suggestionId)).toEqual({
      id: decided.precedent!.id,
      number: 1,
      question: 'Should 99213 be billed as 99213-25 beside 20610?',
      codes: ['99213', '20610'],
      modifiers: ['25'],
      decision: '99213-25 stands beside 20610',
      reasoning: 'A separately identifiable E/M is documented',
      settled_how: 'upheld',
      decided_by_name: org.users.supervisor.name,
    });

    await send(
      reviewer,
      'review:add-missed',
      { line: { code: 'J3301', units: 4, pointers: ['A'] }, comment: 'Drug supply' },
      all,
    );
    await send(reviewer, 'encounter:transition', { transition: 'approve' }, all);
    expect(coder.state.status).toBe('approved');
    expect(await outcomes(chart.id)).toEqual([
      { code: '99213', outcome: 'corrected', category: 'missing-modifier' },
      { code: '20610', outcome: 'accepted', category: null },
      { code: '36415', outcome: 'rejected', category: 'unsupported' },
      { code: 'J3301', outcome: 'missed', category: 'missed-code' },
    ]);
    // What everyone folded is what a fresh load shows.
    const loaded = (
      await api<Encounter>(server.url, cookies.coder!, 'GET', `/api/encounters/${chart.id}`)
    ).body;
    for (const w of all) expect(w.state).toEqual(loaded);
  });

  it('settles disputes by overruling, by the coder accepting after all, and by withdrawing, each into a precedent', async () => {
    const { chart, rooms } = await inReview([
      { code: '99214' },
      { code: '20610' },
      { code: '36415', units: 2 },
    ]);
    const { coder, reviewer, supervisor } = rooms;
    const all = [coder, reviewer, supervisor];
    const [visit, injection, draw] = reviewer.state.lines.map((l) => l.id);
    const suggest = (lineId: string | undefined, patch: object, category: string) =>
      send(reviewer, 'review:suggest', { lineId, patch, category, comment: 'See the note' }, all);
    await suggest(visit, { code: '99213' }, 'wrong-level');
    await suggest(injection, { modifiers: ['RT'] }, 'missing-modifier');
    await suggest(draw, { units: 1 }, 'units');
    const [level, side, units] = coder.state.suggestions.map((s) => s.id);
    for (const suggestionId of [level, side, units])
      await send(
        coder,
        'suggestion:answer',
        { suggestionId, answer: 'dispute', comment: 'I read it differently' },
        all,
      );

    // The coder escalates the level; a supervisor keeps the coder's line.
    await send(coder, 'suggestion:escalate', { suggestionId: level }, all);
    await send(
      supervisor,
      'suggestion:decide',
      { suggestionId: level, decision: 'overrule', reason: 'Moderate MDM is documented' },
      all,
    );
    expect(reviewer.state.lines[0]).toMatchObject({
      code: '99214',
      review: {
        state: 'accepted',
        category: null,
        comment: 'Moderate MDM is documented',
        by: { id: org.users.supervisor.id },
      },
    });
    expect(await precedentOf(level!)).toMatchObject({
      settled_how: 'overruled',
      codes: ['99214', '99213'],
      decision: '99214 stands beside 20610 and 36415',
    });

    // The coder accepts the modifier after all; the thread's last word is the reasoning.
    await send(
      reviewer,
      'comment:add',
      { threadId: coder.state.suggestions[1]!.threadId, body: 'The note says right knee' },
      all,
    );
    await send(coder, 'suggestion:answer', { suggestionId: side, answer: 'accept' }, all);
    expect(coder.state.suggestions[1]).toMatchObject({
      status: 'accepted',
      precedent: { number: expect.any(Number) },
    });
    expect(await precedentOf(side!)).toMatchObject({
      settled_how: 'accepted',
      reasoning: 'The note says right knee',
      modifiers: ['RT'],
    });

    // The reviewer withdraws the units; the line still needs a review.
    await send(reviewer, 'suggestion:withdraw', { suggestionId: units }, all);
    expect(await precedentOf(units!)).toMatchObject({
      settled_how: 'withdrawn',
      reasoning: 'I read it differently',
    });
    expect(await blockers(reviewer)).toEqual(['line 3 is not reviewed']);
    await send(reviewer, 'review:accept', { lineId: draw }, all);
    await send(reviewer, 'encounter:transition', { transition: 'approve' }, all);
    expect(await outcomes(chart.id)).toEqual([
      { code: '99214', outcome: 'accepted', category: null },
      { code: '20610', outcome: 'corrected', category: 'missing-modifier' },
      { code: '36415', outcome: 'accepted', category: null },
    ]);
    const numbers = coder.state.suggestions.map((s) => s.precedent!.number);
    expect(new Set(numbers).size).toBe(3);
  });

  it('keeps a line as it is while its suggestion waits, so a decision never lands on a line nobody reviewed', async () => {
    const { rooms } = await inReview([{ code: '99214' }]);
    const { coder, reviewer, supervisor } = rooms;
    const all = [coder, reviewer, supervisor];
    const lineId = reviewer.state.lines[0]!.id;
    await send(
      reviewer,
      'review:suggest',
      { lineId, patch: { code: '99213' }, category: 'wrong-level', comment: 'Low MDM' },
      all,
    );
    await send(
      reviewer,
      'encounter:transition',
      { transition: 'request-changes', reason: 'See the suggestion' },
      all,
    );
    const edit = () => attempt(coder, 'line:update', { lineId, patch: { code: '99215' } });

    const whileOpen = await edit();
    expect(whileOpen.ok ? null : whileOpen.error).toMatchObject({
      code: 'invalid_state',
      message: expect.stringContaining('accept or dispute it'),
    });
    const suggestionId = coder.state.suggestions[0]!.id;
    await send(coder, 'suggestion:answer', { suggestionId, answer: 'dispute', comment: 'No' }, all);
    await send(coder, 'suggestion:escalate', { suggestionId }, all);
    const whileEscalated = await edit();
    expect(whileEscalated.ok ? null : whileEscalated.error).toMatchObject({
      code: 'invalid_state',
      message: expect.stringContaining('until the dispute is settled'),
    });
    expect(coder.state.lines[0]).toMatchObject({ code: '99214' });

    // Once settled, the line is the coder's to change again (and needs a fresh review).
    await send(
      supervisor,
      'suggestion:decide',
      { suggestionId, decision: 'overrule', reason: 'Moderate MDM is documented' },
      all,
    );
    const settled = await edit();
    expect(settled.ok).toBe(true);
  });

  it('lets only a supervisor who did not code the chart decide its dispute', async () => {
    const { rooms } = await inReview([{ code: '99213' }], 'supervisor');
    const { reviewer, supervisor } = rooms;
    const all = [reviewer, supervisor];
    await send(
      reviewer,
      'review:suggest',
      { lineId: reviewer.state.lines[0]!.id, patch: { code: '99212' }, category: 'wrong-level' },
      all,
    );
    const suggestionId = supervisor.state.suggestions[0]!.id;
    await send(
      supervisor,
      'suggestion:answer',
      { suggestionId, answer: 'dispute', comment: 'Two problems addressed' },
      all,
    );
    await send(supervisor, 'suggestion:escalate', { suggestionId }, all);
    const own = await attempt(supervisor, 'suggestion:decide', {
      suggestionId,
      decision: 'overrule',
      reason: 'I agree with myself',
    });
    expect(own).toMatchObject({
      ok: false,
      error: {
        code: 'forbidden',
        message: 'You coded this chart, so another supervisor must decide a dispute',
      },
    });
  });

  it('lists charts with an escalated dispute in the supervisors’ Disputes queue', async () => {
    const { chart, rooms } = await inReview([{ code: '99213' }]);
    const { coder, reviewer } = rooms;
    await send(reviewer, 'review:suggest', {
      lineId: reviewer.state.lines[0]!.id,
      patch: { code: '99212' },
      category: 'wrong-level',
    });
    await eventually(() => coder.state.suggestions.length === 1, 5000, 'the suggestion');
    const suggestionId = coder.state.suggestions[0]!.id;
    await send(coder, 'suggestion:answer', { suggestionId, answer: 'dispute', comment: 'No' });
    const queue = () =>
      api<{ items: Array<{ id: string }>; queues: { disputes: number }; total: number }>(
        server.url,
        cookies.supervisor!,
        'GET',
        '/api/encounters?queue=disputes',
      );
    const before = (await queue()).body;
    expect(before.items.map((i) => i.id)).not.toContain(chart.id);
    await send(coder, 'suggestion:escalate', { suggestionId, comment: 'Please rule' });
    const after = (await queue()).body;
    expect(after.items.map((i) => i.id)).toContain(chart.id);
    expect(after.queues.disputes).toBe(before.queues.disputes + 1);
    expect(after.total).toBe(after.queues.disputes);
  });
});
