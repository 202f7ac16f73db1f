import { TestBed } from '@angular/core/testing';
import type { Encounter, RoomSnapshot } from '@countersign/shared';
import {
  CODER_PRESENCE,
  ENCOUNTER_ID,
  REVIEWER_PRESENCE,
  REVIEWER,
  encounterUpdated,
  lineAdded,
  lineRemoved,
  lineUpdated,
  makeEdits,
  makeFinding,
  makeEncounter,
  makeLine,
} from '../../../testing/encounter-fixtures';
import { FakeLiveSocket, deferred, flush } from '../../../testing/fake-live-socket';
import { ApiError } from '../api/api-error';
import { AuthService } from '../auth/auth.service';
import { ConflictError } from './conflict';
import { LIVE_ACK_TIMEOUT_MS, LiveRoom } from './live-room';
import { LIVE_SOCKET_FACTORY } from './live-socket';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** The production default: the specs move a fake clock past it, so no real time passes. */
const ACK_TIMEOUT_MS = 5_000;

describe(LiveRoom.name, () => {
  let socket: FakeLiveSocket;
  let room: LiveRoom;
  let sessionEnded: jest.Mock;
  let initial: Encounter;

  beforeEach(() => {
    // Ack timeouts and retries run on a fake clock that each spec moves itself.
    jest.useFakeTimers();
    initial = makeEncounter({ version: 3 });
    socket = new FakeLiveSocket().answer('room:join', () => ({
      ok: true,
      data: {
        encounter: initial,
        seq: initial.version,
        presence: [CODER_PRESENCE],
        edits: makeEdits(initial.version),
      },
    }));
    sessionEnded = jest.fn();
    TestBed.configureTestingModule({
      providers: [
        LiveRoom,
        { provide: LIVE_SOCKET_FACTORY, useValue: () => socket.asSocket() },
        { provide: AuthService, useValue: { sessionEnded } },
        { provide: LIVE_ACK_TIMEOUT_MS, useValue: ACK_TIMEOUT_MS },
      ],
    });
    room = TestBed.inject(LiveRoom);
  });

  afterEach(() => jest.useRealTimers());

  async function openRoom(): Promise<void> {
    room.open(ENCOUNTER_ID);
    await flush();
  }

  it('joins the room on connect and shows the snapshot, its presence and Live', async () => {
    expect(room.status()).toBe('reconnecting');
    await openRoom();
    expect(socket.sentOf('room:join')).toEqual([{ encounterId: ENCOUNTER_ID }]);
    expect(room.encounter()).toEqual(initial);
    expect(room.presence()).toEqual([CODER_PRESENCE]);
    expect(room.status()).toBe('live');
  });

  it('folds the next event into the encounter', async () => {
    await openRoom();
    const line = makeLine({ code: '20610', modifiers: ['RT'] });
    socket.push('encounter:event', lineAdded(4, line, 1));
    expect(room.encounter()?.version).toBe(4);
    expect(room.encounter()?.lines.map((l) => l.code)).toEqual(['99203', '20610']);
  });

  it('ignores an event at or below its version', async () => {
    await openRoom();
    socket.push('encounter:event', lineAdded(3, makeLine({ code: '11111' }), 0));
    socket.push('encounter:event', lineAdded(2, makeLine({ code: '22222' }), 0));
    expect(room.encounter()).toEqual(initial);
    expect(socket.sentOf('room:catch-up')).toEqual([]);
  });

  it('ignores an event of another encounter', async () => {
    await openRoom();
    socket.push('encounter:event', { ...lineAdded(4, makeLine(), 0), encounterId: 'other' });
    expect(room.encounter()?.version).toBe(3);
  });

  it('catches up over a gap, then folds the early event after the missing ones', async () => {
    await openRoom();
    const missing5 = lineAdded(4, makeLine({ code: '73562' }), 1);
    const missing6 = encounterUpdated(5, { diagnoses: ['M25561', 'E119', 'I10'] });
    socket.answer('room:catch-up', () => ({ ok: true, data: { events: [missing5, missing6] } }));

    socket.push('encounter:event', lineAdded(6, makeLine({ code: '20610' }), 2));
    expect(socket.sentOf('room:catch-up')).toEqual([{ encounterId: ENCOUNTER_ID, afterSeq: 3 }]);
    await flush();

    const state = room.encounter()!;
    expect(state.version).toBe(6);
    expect(state.lines.map((l) => l.code)).toEqual(['99203', '73562', '20610']);
    expect(state.diagnoses).toEqual(['M25561', 'E119', 'I10']);
  });

  it('catch-up that already includes the early event does not apply it twice', async () => {
    await openRoom();
    const e4 = lineAdded(4, makeLine({ code: '73562' }), 1);
    const e5 = lineAdded(5, makeLine({ code: '20610' }), 2);
    socket.answer('room:catch-up', () => ({ ok: true, data: { events: [e4, e5] } }));
    socket.push('encounter:event', e5);
    await flush();
    expect(room.encounter()?.version).toBe(5);
    expect(room.encounter()?.lines.map((l) => l.code)).toEqual(['99203', '73562', '20610']);
  });

  it('holds events that arrive during a catch-up and folds them in order afterwards', async () => {
    await openRoom();
    const answer = deferred<{ ok: true; data: { events: ReturnType<typeof lineAdded>[] } }>();
    socket.answer('room:catch-up', () => answer.promise);
    const e4 = lineAdded(4, makeLine({ code: '44444' }), 1);
    const e5 = lineAdded(5, makeLine({ code: '55555' }), 2);
    const e6 = lineAdded(6, makeLine({ code: '66666' }), 3);
    const e7 = lineAdded(7, makeLine({ code: '77777' }), 4);

    socket.push('encounter:event', e5);
    socket.push('encounter:event', e7);
    socket.push('encounter:event', e6);
    expect(room.encounter()?.version).toBe(3);

    answer.resolve({ ok: true, data: { events: [e4, e5] } });
    await flush();
    expect(room.encounter()?.version).toBe(7);
    expect(room.encounter()?.lines.map((l) => l.code)).toEqual([
      '99203',
      '44444',
      '55555',
      '66666',
      '77777',
    ]);
    expect(socket.sentOf('room:catch-up')).toHaveLength(1);
  });

  it('joins again when a catch-up fails, and takes the snapshot', async () => {
    await openRoom();
    socket.answer('room:catch-up', () => ({
      ok: false,
      error: { code: 'internal', message: 'boom' },
    }));
    const later = makeEncounter({ version: 9, lines: [makeLine({ code: '99999' })] });
    socket.answer('room:join', () => ({
      ok: true,
      data: { encounter: later, seq: 9, presence: [], edits: makeEdits(9) },
    }));
    socket.push('encounter:event', lineAdded(8, makeLine(), 0));
    await flush();
    expect(socket.sentOf('room:join')).toHaveLength(2);
    expect(room.encounter()).toEqual(later);
    expect(room.status()).toBe('live');
  });

  it('drops events that arrive before the join answer when the snapshot already has them', async () => {
    const answer = deferred<{ ok: true; data: RoomSnapshot }>();
    socket.answer('room:join', () => answer.promise);
    room.open(ENCOUNTER_ID);
    const e3 = lineRemoved(3, initial.lines[0]!.id);
    const e4 = lineAdded(4, makeLine({ code: '20610' }), 1);
    socket.push('encounter:event', e4);
    socket.push('encounter:event', e3);
    answer.resolve({
      ok: true,
      data: { encounter: initial, seq: 3, presence: [], edits: makeEdits(3) },
    });
    await flush();
    expect(room.encounter()?.version).toBe(4);
    expect(room.encounter()?.lines.map((l) => l.code)).toEqual(['99203', '20610']);
  });

  it('rejoins with afterSeq after a reconnect, folds the missed events and then trusts the snapshot', async () => {
    await openRoom();
    socket.dropConnection();
    const missed4 = lineAdded(4, makeLine({ code: '73562' }), 1, REVIEWER);
    const missed5 = encounterUpdated(5, { diagnoses: ['M25561'] });
    const folded = [missed4, missed5].reduce((state, e) => ({ ...state, version: e.seq }), initial);
    const snapshot = makeEncounter({
      ...folded,
      lines: [...initial.lines, makeLine({ code: '73562' })],
      diagnoses: ['M25561'],
      version: 5,
    });
    socket.answer('room:join', () => ({
      ok: true,
      data: {
        encounter: snapshot,
        seq: 5,
        presence: [CODER_PRESENCE],
        edits: makeEdits(5),
        events: [missed4, missed5],
      },
    }));
    socket.reconnect();
    await flush();
    expect(socket.sentOf('room:join')).toEqual([
      { encounterId: ENCOUNTER_ID },
      { encounterId: ENCOUNTER_ID, afterSeq: 3 },
    ]);
    expect(room.encounter()).toEqual(snapshot);
    expect(room.recentEvents().map((e) => e.seq)).toEqual([4, 5]);
    expect(room.status()).toBe('live');
  });

  it('shows Reconnecting when the connection drops and replaces the state with a fresh snapshot on reconnect', async () => {
    await openRoom();
    socket.dropConnection();
    expect(room.status()).toBe('reconnecting');

    const fresh = makeEncounter({ version: 12, lines: [] });
    socket.answer('room:join', () => ({
      ok: true,
      data: {
        encounter: fresh,
        seq: 12,
        presence: [CODER_PRESENCE, REVIEWER_PRESENCE],
        edits: makeEdits(12),
      },
    }));
    socket.reconnect();
    await flush();
    expect(socket.sentOf('room:join')).toHaveLength(2);
    expect(room.encounter()).toEqual(fresh);
    expect(room.presence()).toEqual([CODER_PRESENCE, REVIEWER_PRESENCE]);
    expect(room.status()).toBe('live');
  });

  it('takes the edits of the join answer, then only newer edits from the server', async () => {
    await openRoom();
    expect(room.edits()?.version).toBe(3);
    const finding = makeFinding([initial.lines[0]!.id]);
    socket.push('encounter:edits', makeEdits(5, { findings: [finding] }));
    expect(room.edits()?.version).toBe(5);
    expect(room.edits()?.errors).toBe(1);
    // Late edits of an older version must not bring back findings already fixed.
    socket.push('encounter:edits', makeEdits(4));
    expect(room.edits()?.findings).toEqual([finding]);
    socket.push('encounter:edits', makeEdits(5, { findings: [] }));
    expect(room.edits()?.findings).toEqual([]);
    socket.push('encounter:edits', { ...makeEdits(9), encounterId: 'another' });
    expect(room.edits()?.version).toBe(5);
  });

  it('keeps newer edits when a rejoin answers with an older version', async () => {
    await openRoom();
    socket.push('encounter:edits', makeEdits(6));
    socket.dropConnection();
    socket.reconnect();
    await flush();
    expect(room.edits()?.version).toBe(6);
  });

  it('acknowledges a warning with its reason', async () => {
    socket.answer('finding:acknowledge', () => ({ ok: true, data: { seq: 4, duplicate: false } }));
    await openRoom();
    await room.acknowledgeFinding('office-visit-repeated:x', 'Separate problem, documented');
    expect(socket.sentOf('finding:acknowledge')).toEqual([
      expect.objectContaining({
        encounterId: ENCOUNTER_ID,
        baseVersion: 3,
        findingId: 'office-visit-repeated:x',
        reason: 'Separate problem, documented',
      }),
    ]);
  });

  it('follows presence changes of its own room only', async () => {
    await openRoom();
    socket.push('presence:changed', {
      encounterId: ENCOUNTER_ID,
      members: [CODER_PRESENCE, REVIEWER_PRESENCE],
    });
    socket.push('presence:changed', { encounterId: 'another', members: [] });
    expect(room.presence()).toEqual([CODER_PRESENCE, REVIEWER_PRESENCE]);
  });

  it('sends a command and resolves with its seq without touching the state before the event', async () => {
    await openRoom();
    socket.answer('line:add', () => ({ ok: true, data: { seq: 4, duplicate: false } }));
    const result = await room.addLine({ code: '20610', modifiers: [], units: 1, pointers: ['A'] });
    expect(result).toEqual({ seq: 4, duplicate: false });
    expect(socket.sentOf('line:add')).toEqual([
      {
        encounterId: ENCOUNTER_ID,
        baseVersion: 3,
        opId: expect.stringMatching(UUID),
        line: { code: '20610', modifiers: [], units: 1, pointers: ['A'] },
      },
    ]);
    expect(room.encounter()?.lines).toHaveLength(1);
  });

  it('sends an unanswered command again with the same opId until it is answered', async () => {
    await openRoom();
    let calls = 0;
    socket.answer('review:accept', () =>
      ++calls < 3 ? new Promise(() => undefined) : { ok: true, data: { seq: 4, duplicate: true } },
    );
    const lineId = initial.lines[0]!.id;
    const result = room.acceptLine(lineId);
    await flush();
    expect(socket.sentOf('review:accept')).toHaveLength(1);
    expect(room.retrying()).toBe(false);
    // Just short of the timeout nothing is sent again; at it, the second try goes out.
    await jest.advanceTimersByTimeAsync(ACK_TIMEOUT_MS - 1);
    expect(socket.sentOf('review:accept')).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(socket.sentOf('review:accept')).toHaveLength(2);
    expect(room.retrying()).toBe(true);
    await jest.advanceTimersByTimeAsync(ACK_TIMEOUT_MS);
    await expect(result).resolves.toEqual({ seq: 4, duplicate: true });
    const sent = socket.sentOf('review:accept');
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((s) => s.opId)).size).toBe(1);
    expect(sent.every((s) => s.baseVersion === 3 && s.lineId === lineId)).toBe(true);
    expect(room.retrying()).toBe(false);
  });

  it('waits through a dropped connection and sends the command again after the rejoin', async () => {
    await openRoom();
    let calls = 0;
    socket.answer('encounter:transition', () =>
      ++calls === 1
        ? new Promise(() => undefined)
        : { ok: true, data: { seq: 4, duplicate: true } },
    );
    const result = room.transition('submit');
    socket.dropConnection();
    // Three timeouts pass on the clock while the connection is down: nothing is sent again.
    await jest.advanceTimersByTimeAsync(ACK_TIMEOUT_MS * 3);
    expect(socket.sentOf('encounter:transition')).toHaveLength(1);

    socket.reconnect();
    await expect(result).resolves.toEqual({ seq: 4, duplicate: true });
    const [first, second] = socket.sentOf('encounter:transition');
    expect(second).toEqual(first);
    expect(socket.sentOf('room:join')).toHaveLength(2);
  });

  it('takes the chart a conflict carries and says who changed the line', async () => {
    await openRoom();
    const line = initial.lines[0]!;
    const changed = { ...line, modifiers: ['25'] };
    socket.push('encounter:event', lineUpdated(4, changed, REVIEWER));
    const current = makeEncounter({ version: 5, lines: [{ ...changed, units: 2 }] });
    socket.answer('line:update', () => ({
      ok: false,
      error: {
        code: 'conflict',
        message: 'Someone changed this line after you last saw it; look again and retry',
        details: { encounter: current },
      },
    }));

    const error = (await room
      .updateLine(line.id, { units: 3 }, 3)
      .catch((e: unknown) => e)) as ConflictError;
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.code).toBe('conflict');
    expect(error.changedBy?.actor).toEqual(REVIEWER);
    expect(error.current).toEqual(current);
    expect(room.encounter()).toEqual(current);
    expect(socket.sentOf('line:update')[0]).toMatchObject({ baseVersion: 3 });
  });

  it('keeps its state when a conflict carries an older chart than it already has', async () => {
    await openRoom();
    socket.push('encounter:event', lineAdded(4, makeLine({ code: '20610' }), 1));
    socket.answer('review:accept', () => ({
      ok: false,
      error: {
        code: 'conflict',
        message: 'Someone changed this line',
        details: { encounter: initial },
      },
    }));
    await expect(room.acceptLine(initial.lines[0]!.id)).rejects.toBeInstanceOf(ConflictError);
    expect(room.encounter()?.version).toBe(4);
  });

  it('tells the room which line this person works on, once per change and again after a rejoin', async () => {
    await openRoom();
    const lineId = initial.lines[0]!.id;
    room.focus(lineId);
    room.focus(lineId);
    room.focus(null);
    expect(socket.sentOf('presence:focus')).toEqual([
      { encounterId: ENCOUNTER_ID, lineId },
      { encounterId: ENCOUNTER_ID, lineId: null },
    ]);
    room.focus(lineId);
    socket.dropConnection();
    socket.reconnect();
    await flush();
    expect(socket.sentOf('presence:focus').at(-1)).toEqual({ encounterId: ENCOUNTER_ID, lineId });
    expect(socket.sentOf('presence:focus')).toHaveLength(4);
  });

  it('rejects a refused command with the server message', async () => {
    await openRoom();
    socket.answer('line:update', () => ({
      ok: false,
      error: {
        code: 'validation_failed',
        message: 'Diagnosis pointer K points at no diagnosis: pointers go from A to B',
      },
    }));
    const lineId = initial.lines[0]!.id;
    await expect(room.updateLine(lineId, { pointers: ['K'] })).rejects.toEqual(
      new ApiError(
        'validation_failed',
        'Diagnosis pointer K points at no diagnosis: pointers go from A to B',
      ),
    );
    expect(room.encounter()).toEqual(initial);
  });

  it('refuses commands while not live, sending nothing', async () => {
    await openRoom();
    socket.dropConnection();
    await expect(room.removeLine(initial.lines[0]!.id)).rejects.toMatchObject({
      code: 'unavailable',
    });
    expect(socket.sentOf('line:remove')).toEqual([]);
  });

  it('leaves the room and disconnects on close', async () => {
    await openRoom();
    room.close();
    expect(socket.sentOf('room:leave')).toEqual([{ encounterId: ENCOUNTER_ID }]);
    expect(socket.connected).toBe(false);
    expect(room.status()).toBe('offline');
  });

  it('reports a join refusal instead of a state', async () => {
    socket.answer('room:join', () => ({
      ok: false,
      error: { code: 'not_found', message: 'The encounter was not found' },
    }));
    await openRoom();
    expect(room.encounter()).toBeNull();
    expect(room.joinError()?.message).toBe('The encounter was not found');
    expect(room.status()).toBe('offline');
  });

  it('ends the session when the socket handshake is refused as unauthenticated', async () => {
    await openRoom();
    socket.dropConnection();
    socket.refuse('unauthenticated');
    expect(sessionEnded).toHaveBeenCalledTimes(1);
    expect(room.status()).toBe('offline');
  });

  it('ends the session when the server says it ended (logout elsewhere, idle, role change)', async () => {
    await openRoom();
    socket.push('session:ended', { reason: 'role_changed' });
    expect(sessionEnded).toHaveBeenCalledWith('role_changed');
  });

  it('shows Offline when the browser goes offline and joins again when it is back', async () => {
    await openRoom();
    window.dispatchEvent(new Event('offline'));
    expect(room.status()).toBe('offline');
    expect(socket.connected).toBe(false);

    window.dispatchEvent(new Event('online'));
    await flush();
    expect(socket.sentOf('room:join')).toHaveLength(2);
    expect(room.status()).toBe('live');
  });
});
