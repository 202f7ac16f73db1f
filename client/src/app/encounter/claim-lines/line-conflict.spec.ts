import type { ClaimLine, Encounter } from '@countersign/shared';
import {
  CODER,
  ENCOUNTER_ID,
  REVIEWER,
  lineUpdated,
  makeEncounter,
  makeLine,
} from '../../../testing/encounter-fixtures';
import { RoomHarness } from '../../../testing/room-harness';

// The first spec of a file compiles the whole page; on a busy machine that can take more than Jest's default 5 s.
jest.setTimeout(20_000);

const UUID = expect.stringMatching(/^[0-9a-f-]{36}$/);

/**
 * After a `conflict` on saving a line, the draft is rebased on the line as it is now (three-way
 * merge): nobody's change is undone without asking. The real room, only the transport faked.
 */
describe('Editing a line that someone else changed', () => {
  let room: RoomHarness;
  let encounter: Encounter;
  let line: ClaimLine;

  beforeEach(async () => {
    jest.useFakeTimers();
    line = makeLine({
      code: '99213',
      modifiers: ['25'],
      units: 1,
      pointers: ['A', 'B'],
      rationale: 'Separate E/M',
    });
    encounter = makeEncounter({ status: 'draft', version: 5, lines: [line] });
    room = await RoomHarness.open(encounter, 'coder');
    room.ignoreLookups();
    room.one<HTMLButtonElement>('edit-line').click();
    await room.settle();
  });

  afterEach(() => {
    room.fixture.destroy();
    jest.useRealTimers();
  });

  /** The other change commits first; the save comes back as a conflict carrying the chart now. */
  async function saveAgainst(now: ClaimLine, actor = REVIEWER): Promise<void> {
    room.socket.answer('line:update', () => {
      room.socket.push('encounter:event', lineUpdated(6, now, actor));
      return {
        ok: false,
        error: {
          code: 'conflict',
          message: 'Someone changed this line',
          details: { encounter: { ...encounter, version: 6, lines: [now] } },
        },
      };
    });
    room.press(room.one('edit-line-units'), 'Enter');
    await room.settle();
  }

  const field = (name: string) => room.one<HTMLInputElement>(`edit-line-${name}`);

  it('takes their change to a field I did not touch, keeps mine, and saves only mine', async () => {
    room.type(field('units'), '3');
    await saveAgainst({ ...line, modifiers: ['25', '59'] });

    expect(field('modifiers').value).toBe('25, 59');
    expect(field('units').value).toBe('3');
    expect(room.text(room.one('line-rebased'))).toBe(
      'Your draft now has Riley Reviewer’s change: modifiers 25 → 25, 59. Save to keep both.',
    );
    expect(room.one('line-conflict')).toBeNull();

    room.socket.answer('line:update', () => ({ ok: true, data: { seq: 7, duplicate: false } }));
    room.press(field('units'), 'Enter');
    await room.settle();
    const [, second] = room.socket.sentOf('line:update');
    // Their modifiers are not sent back: the patch is only the units this person changed.
    expect(second).toEqual({
      encounterId: ENCOUNTER_ID,
      baseVersion: 6,
      opId: UUID,
      lineId: line.id,
      patch: { units: 3 },
    });
    expect(room.one('edit-line-code')).toBeNull();
  });

  it('shows a field both changed side by side and will not save over theirs until I choose', async () => {
    room.type(field('units'), '3');
    await saveAgainst({ ...line, units: 2 });

    const conflict = room.one('line-conflict');
    expect(conflict.dataset['field']).toBe('units');
    expect(room.text(conflict.querySelector('.conflict-text'))).toBe(
      'Riley Reviewer changed units 1 → 2; yours: 3',
    );
    expect(field('units').value).toBe('3');

    room.press(field('units'), 'Enter');
    await room.settle();
    expect(room.socket.sentOf('line:update')).toHaveLength(1);
    expect(room.text(room.one('line-error'))).toBe(
      "Choose theirs or yours for units before saving, so nobody's change is overwritten unasked.",
    );

    room.one<HTMLButtonElement>('use-mine').click();
    await room.settle();
    expect(room.one('line-conflict')).toBeNull();
    room.socket.answer('line:update', () => ({ ok: true, data: { seq: 7, duplicate: false } }));
    room.press(field('units'), 'Enter');
    await room.settle();
    expect(room.socket.sentOf('line:update')[1]).toMatchObject({
      baseVersion: 6,
      patch: { units: 3 },
    });
  });

  it('keeps theirs when I choose it, leaving nothing of mine to save on that field', async () => {
    room.type(field('units'), '3');
    room.type(field('pointers'), 'A');
    await saveAgainst({ ...line, units: 2 });

    room.one<HTMLButtonElement>('keep-theirs').click();
    await room.settle();
    expect(field('units').value).toBe('2');
    room.socket.answer('line:update', () => ({ ok: true, data: { seq: 7, duplicate: false } }));
    room.press(field('units'), 'Enter');
    await room.settle();
    expect(room.socket.sentOf('line:update')[1]).toEqual(
      expect.objectContaining({ baseVersion: 6, patch: { pointers: ['A'] } }),
    );
  });

  it('shows what I typed after the conflict as mine', async () => {
    room.type(field('units'), '3');
    await saveAgainst({ ...line, units: 2 });
    room.type(field('units'), '4');
    await room.settle();
    expect(room.text(room.one('conflict-mine'))).toBe('4');
    expect(room.text(room.one('use-mine'))).toBe('Use mine (4)');
  });

  it('names my own other window when that is where the change came from', async () => {
    room.type(field('units'), '3');
    await saveAgainst({ ...line, units: 2 }, CODER);
    expect(room.text(room.one('line-conflict').querySelector('.conflict-text'))).toBe(
      'You (in another window) changed units 1 → 2; yours: 3',
    );
  });

  it('asks again when they change a field once more after I chose mine, and takes their other change', async () => {
    room.type(field('units'), '3');
    await saveAgainst({ ...line, units: 2 });
    room.one<HTMLButtonElement>('use-mine').click();
    await room.settle();
    const later = { ...line, units: 5, rationale: 'Documented separately' };
    room.socket.answer('line:update', () => {
      room.socket.push('encounter:event', lineUpdated(7, later, REVIEWER));
      return {
        ok: false,
        error: {
          code: 'conflict',
          message: 'Someone changed this line',
          details: { encounter: { ...encounter, version: 7, lines: [later] } },
        },
      };
    });
    room.press(field('units'), 'Enter');
    await room.settle();
    expect(
      room.all('line-conflict').map((c) => room.text(c.querySelector('.conflict-text'))),
    ).toEqual(['Riley Reviewer changed units 2 → 5; yours: 3']);
    expect(field('rationale').value).toBe('Documented separately');
  });
});

describe('A suggestion whose line changed meanwhile', () => {
  afterEach(() => jest.useRealTimers());

  it('is rebased too: the retry proposes only what the reviewer changed', async () => {
    jest.useFakeTimers();
    const line = makeLine({ code: '99213', modifiers: [], units: 1, pointers: ['A'] });
    const encounter = makeEncounter({ status: 'in_review', version: 9, lines: [line] });
    const room = await RoomHarness.open(encounter, 'reviewer');
    room.ignoreLookups();
    room.one<HTMLButtonElement>('suggest-line').click();
    await room.settle();
    room.type(room.one('suggest-modifiers'), '25');
    room.select(room.one('suggest-category'), 'missing-modifier');
    const now = { ...line, units: 2 };
    room.socket.answer('review:suggest', () => {
      room.socket.push('encounter:event', lineUpdated(10, now, CODER));
      return {
        ok: false,
        error: {
          code: 'conflict',
          message: 'Someone changed this line',
          details: { encounter: { ...encounter, version: 10, lines: [now] } },
        },
      };
    });
    room.one<HTMLButtonElement>('send-suggest').click();
    await room.settle();
    expect(room.one<HTMLInputElement>('suggest-units').value).toBe('2');
    expect(room.one<HTMLInputElement>('suggest-modifiers').value).toBe('25');

    room.socket.answer('review:suggest', () => ({ ok: true, data: { seq: 11, duplicate: false } }));
    room.one<HTMLButtonElement>('send-suggest').click();
    await room.settle();
    expect(room.socket.sentOf('review:suggest')[1]).toEqual(
      expect.objectContaining({ baseVersion: 10, patch: { modifiers: ['25'] } }),
    );
    room.fixture.destroy();
  });
});
