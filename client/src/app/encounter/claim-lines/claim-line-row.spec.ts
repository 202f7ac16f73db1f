import type { Ack, CommandResult, Encounter } from '@countersign/shared';
import {
  CODER_PRESENCE,
  REVIEWER,
  REVIEWER_PRESENCE,
  makeComment,
  makeEncounter,
  makeLine,
  makeSuggestion,
  makeThread,
} from '../../../testing/encounter-fixtures';
import { RoomHarness } from '../../../testing/room-harness';
import { ClaimLineRow } from './claim-line-row';

/** The actions a row offers, as their accessible names, in order. */
const actionNames = (room: RoomHarness, lineId: string) =>
  [...room.row(lineId).querySelectorAll<HTMLButtonElement>('.actions button')].map((b) =>
    b.getAttribute('aria-label'),
  );

describe(ClaimLineRow.name, () => {
  let room: RoomHarness;

  describe('for the reviewer, in review', () => {
    let encounter: Encounter;
    const first = () => encounter.lines[0]!;
    const second = () => encounter.lines[1]!;

    beforeEach(async () => {
      const lines = [
        makeLine({ code: '99214', pointers: ['B'] }),
        makeLine({ code: '20610', modifiers: ['RT'] }),
      ];
      encounter = makeEncounter({
        status: 'in_review',
        version: 9,
        lines,
        threads: [
          makeThread(lines[1]!.id, [makeComment('Which knee?'), makeComment('The right one')]),
        ],
      });
      room = await RoomHarness.open(encounter, 'reviewer');
    });

    it('names the line and offers accept, suggest, reject and the comments, each naming its line', () => {
      expect(room.row(second().id).getAttribute('aria-label')).toBe('Line 2: 20610');
      expect(actionNames(room, second().id)).toEqual([
        'Accept line 2 (20610)',
        'Suggest a correction to line 2 (20610)',
        'Reject line 2 (20610)',
        '2 comments on line 2',
      ]);
      expect(actionNames(room, first().id).at(-1)).toBe('Comment on line 1');
      const talk = room.one('line-comments', room.row(second().id));
      expect(talk.classList).toContain('comments--open');
      expect(room.text(talk)).toBe('2');
      expect(room.one('line-comments', room.row(first().id)).classList).toContain('comments--none');
    });

    it('disables one-click actions on the line whose command is on its way, and only there', async () => {
      let answer: (value: Ack<CommandResult>) => void = () => undefined;
      room.socket.answer('review:accept', () => new Promise((resolve) => (answer = resolve)));
      room.one<HTMLButtonElement>('accept-line', room.row(first().id)).click();
      await room.settle();
      expect(room.one<HTMLButtonElement>('accept-line', room.row(first().id)).disabled).toBe(true);
      expect(room.one<HTMLButtonElement>('suggest-line', room.row(first().id)).disabled).toBe(
        false,
      );
      expect(room.one<HTMLButtonElement>('accept-line', room.row(second().id)).disabled).toBe(
        false,
      );
      answer({ ok: true, data: { seq: 10, duplicate: false } });
      await room.settle();
      expect(room.one<HTMLButtonElement>('accept-line', room.row(first().id)).disabled).toBe(false);
    });
  });

  it('offers neither suggest nor reject on a line with an open suggestion', async () => {
    const line = makeLine({ code: '20610' });
    room = await RoomHarness.open(
      makeEncounter({
        status: 'in_review',
        version: 9,
        lines: [line],
        suggestions: [makeSuggestion(line, { author: REVIEWER })],
      }),
      'reviewer',
    );
    expect(actionNames(room, line.id)).toEqual(['Accept line 1 (20610)', 'Comment on line 1']);
  });

  describe('for the coder, on a draft', () => {
    const line = makeLine({ code: '99213', pointers: ['A'] });

    beforeEach(async () => {
      room = await RoomHarness.open(makeEncounter({ status: 'draft', version: 3, lines: [line] }));
    });

    it('offers edit and remove, and shows no review state', () => {
      expect(actionNames(room, line.id)).toEqual([
        'Edit line 1 (99213)',
        'Remove line 1 (99213)',
        'Comment on line 1',
      ]);
      expect(room.one('review-state', room.row(line.id))).toBeNull();
    });

    it('opens the editor on Enter on the row, not on Enter on one of its buttons', async () => {
      const row = room.row(line.id);
      room.press(room.one('line-comments', row), 'Enter');
      await room.settle();
      expect(room.one('save-line')).toBeNull();
      room.press(row, 'Enter');
      await room.settle();
      expect(room.one('save-line')).not.toBeNull();
    });

    it('opens the editor on a double click', async () => {
      room.row(line.id).dispatchEvent(new MouseEvent('dblclick', { bubbles: true }));
      await room.settle();
      expect(room.one<HTMLInputElement>('edit-line-code').value).toBe('99213');
    });
  });

  it('shows someone working on a line as a lock on the row and a note under it', async () => {
    const line = makeLine({ code: '20610' });
    room = await RoomHarness.open(
      makeEncounter({ status: 'in_review', version: 5, lines: [line] }),
      'coder',
      [CODER_PRESENCE, { ...REVIEWER_PRESENCE, focusLineId: line.id }],
    );
    expect(room.one('soft-lock', room.row(line.id)).getAttribute('aria-label')).toBe(
      'Riley is reviewing this line',
    );
    expect(room.text(room.one('soft-lock-note', room.detail(line.id)))).toBe(
      'RR Riley is reviewing this line',
    );
  });
});
