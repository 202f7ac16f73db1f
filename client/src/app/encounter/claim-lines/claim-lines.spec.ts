import { PENDING_REVIEW, type Encounter } from '@countersign/shared';
import {
  CODER,
  ENCOUNTER_ID,
  REVIEWER,
  REVIEWER_PRESENCE,
  CODER_PRESENCE,
  event,
  lineAccepted,
  makeEncounter,
  makeLine,
} from '../../../testing/encounter-fixtures';
import { RoomHarness } from '../../../testing/room-harness';
import { ClaimLines } from './claim-lines';

const UUID = expect.stringMatching(/^[0-9a-f-]{36}$/);

function chart(overrides: Partial<Encounter> = {}): Encounter {
  return makeEncounter({
    status: 'in_review',
    version: 9,
    lines: [
      makeLine({ code: '99214', pointers: ['B'], rationale: 'BP reviewed' }),
      makeLine({
        code: '20610',
        modifiers: ['RT'],
        evidence: { start: 0, end: 16, quote: 'Right knee pain ' },
      }),
    ],
    ...overrides,
  });
}

describe(ClaimLines.name, () => {
  let room: RoomHarness;
  let encounter: Encounter;
  const visit = () => encounter.lines[0]!;
  const injection = () => encounter.lines[1]!;
  const transitionNames = () =>
    [...room.root.querySelectorAll('[data-testid^="transition-"]')].map((b) =>
      b.getAttribute('data-testid'),
    );

  describe('as the chart’s reviewer, in review', () => {
    beforeEach(async () => {
      encounter = chart();
      room = await RoomHarness.open(encounter, 'reviewer');
    });

    it('offers accept, suggest and reject on each line, add missed, approve and request changes; no coder tools', () => {
      for (const line of encounter.lines) {
        const row = room.row(line.id);
        expect(room.one('accept-line', row)).not.toBeNull();
        expect(room.one('suggest-line', row)).not.toBeNull();
        expect(room.one('reject-line', row)).not.toBeNull();
        expect(room.one('edit-line', row)).toBeNull();
        expect(room.one('remove-line', row)).toBeNull();
      }
      expect(room.text(room.one('add-line'))).toBe('Add missed');
      expect(transitionNames()).toEqual(['transition-request-changes', 'transition-approve']);
      expect(room.one('new-diagnosis')).toBeNull();
    });

    it('accepts a line and shows it accepted when the event arrives', async () => {
      room.socket.answer('review:accept', () => ({
        ok: true,
        data: { seq: 10, duplicate: false },
      }));
      room.one<HTMLButtonElement>('accept-line', room.row(injection().id)).click();
      await room.settle();
      expect(room.socket.sentOf('review:accept')).toEqual([
        { encounterId: ENCOUNTER_ID, baseVersion: 9, opId: UUID, lineId: injection().id },
      ]);
      expect(room.row(injection().id).dataset['review']).toBe('pending');

      room.socket.push('encounter:event', lineAccepted(10, injection().id));
      await room.settle();
      expect(room.row(injection().id).dataset['review']).toBe('accepted');
      expect(room.text(room.one('review-state', room.row(injection().id)))).toBe('Accepted');
      expect(room.one('accept-line', room.row(injection().id))).toBeNull();
    });

    it('suggests a correction from a small form, telling the room which line it is on', async () => {
      room.one<HTMLButtonElement>('suggest-line', room.row(visit().id)).click();
      await room.settle();
      expect(room.socket.sentOf('presence:focus')).toEqual([
        { encounterId: ENCOUNTER_ID, lineId: visit().id },
      ]);
      const form = room.one('suggest-form');
      expect(room.one<HTMLInputElement>('suggest-code', form).value).toBe('99214');
      room.type(room.one('suggest-modifiers', form), '25');
      expect(room.one<HTMLSelectElement>('suggest-category', form).value).toBe('missing-modifier');
      room.type(room.one('suggest-comment', form), 'Separate E/M');
      room.socket.answer('review:suggest', () => ({
        ok: true,
        data: { seq: 10, duplicate: false },
      }));
      room.one<HTMLButtonElement>('send-suggest', form).click();
      await room.settle();
      expect(room.socket.sentOf('review:suggest')).toEqual([
        {
          encounterId: ENCOUNTER_ID,
          baseVersion: 9,
          opId: UUID,
          lineId: visit().id,
          patch: { modifiers: ['25'] },
          category: 'missing-modifier',
          comment: 'Separate E/M',
        },
      ]);
      expect(room.one('suggest-form')).toBeNull();
      expect(room.socket.sentOf('presence:focus').at(-1)).toEqual({
        encounterId: ENCOUNTER_ID,
        lineId: null,
      });
    });

    it('will not send a suggestion that changes nothing', async () => {
      room.one<HTMLButtonElement>('suggest-line', room.row(visit().id)).click();
      await room.settle();
      room.select(room.one('suggest-category'), 'wrong-code');
      room.one<HTMLButtonElement>('send-suggest').click();
      await room.settle();
      expect(room.socket.sentOf('review:suggest')).toEqual([]);
      expect(room.text(room.one('review-form-error'))).toContain(
        'Change the code, modifiers, units or pointers',
      );
    });

    it('rejects a line with a category and a comment', async () => {
      room.one<HTMLButtonElement>('reject-line', room.row(injection().id)).click();
      await room.settle();
      room.one<HTMLButtonElement>('send-reject').click();
      await room.settle();
      expect(room.text(room.one('review-form-error'))).toBe('Pick a category.');
      room.select(room.one('reject-category'), 'unsupported');
      room.one<HTMLButtonElement>('send-reject').click();
      await room.settle();
      expect(room.text(room.one('review-form-error'))).toBe('Say why in a comment.');
      room.type(room.one('reject-comment'), 'No procedure note');
      room.socket.answer('review:reject', () => ({
        ok: true,
        data: { seq: 10, duplicate: false },
      }));
      room.one<HTMLButtonElement>('send-reject').click();
      await room.settle();
      expect(room.socket.sentOf('review:reject')).toEqual([
        {
          encounterId: ENCOUNTER_ID,
          baseVersion: 9,
          opId: UUID,
          lineId: injection().id,
          category: 'unsupported',
          comment: 'No procedure note',
        },
      ]);
    });

    it('adds a missed line with the reviewer’s comment', async () => {
      room.type(room.one('new-line-code'), 'J3301');
      room.type(room.one('new-line-units'), '4');
      room.type(room.one('new-line-pointers'), 'A');
      room.type(room.one('new-line-rationale'), 'Drug supply');
      room.socket.answer('review:add-missed', () => ({
        ok: true,
        data: { seq: 10, duplicate: false },
      }));
      room.one<HTMLButtonElement>('add-line').click();
      await room.settle();
      expect(room.socket.sentOf('review:add-missed')).toEqual([
        {
          encounterId: ENCOUNTER_ID,
          baseVersion: 9,
          opId: UUID,
          line: { code: 'J3301', modifiers: [], units: 4, pointers: ['A'], evidence: null },
          comment: 'Drug supply',
        },
      ]);
    });

    it('shows who changed a line when an accept conflicts, and the line as it is now', async () => {
      const changed = { ...injection(), units: 3 };
      // The coder's change commits just before the reviewer's accept reaches the server.
      room.socket.answer('review:accept', () => {
        room.socket.push('encounter:event', event(10, 'line.updated', { line: changed }, CODER));
        return {
          ok: false,
          error: {
            code: 'conflict',
            message: 'Someone changed this line',
            details: { encounter: { ...encounter, version: 10, lines: [visit(), changed] } },
          },
        };
      });
      room.one<HTMLButtonElement>('accept-line', room.row(injection().id)).click();
      await room.settle();
      expect(room.text(room.one('line-notice'))).toBe(
        'Casey Coder changed this line (changed 20610: 3 units); your change was not applied — here is what it is now. It is now 20610-RT, 3 units, pointer A. Dismiss',
      );
      expect(room.text(room.row(injection().id))).toMatch(/20610.*RT.*3/);
    });

    it('moves between lines with j and k, and accepts, suggests and rejects from the keyboard', async () => {
      room.socket.answer('review:accept', () => ({
        ok: true,
        data: { seq: 10, duplicate: false },
      }));
      room.press(document.body, 'j');
      await room.settle();
      expect(document.activeElement).toBe(room.row(visit().id));
      room.press(room.row(visit().id), 'j');
      await room.settle();
      expect(document.activeElement).toBe(room.row(injection().id));
      room.press(room.row(injection().id), 'a');
      await room.settle();
      expect(room.socket.sentOf('review:accept')).toEqual([
        expect.objectContaining({ lineId: injection().id }),
      ]);

      room.press(room.row(injection().id), 'k');
      room.press(room.row(visit().id), 's');
      await room.settle();
      expect(room.one('suggest-form')).not.toBeNull();
      // Typing in the form's fields is not a shortcut.
      room.press(room.one('suggest-code'), 'r');
      room.press(room.one('suggest-code'), 'j');
      await room.settle();
      expect(room.one('reject-form')).toBeNull();
      room.press(document.body, 'Escape');
      await room.settle();
      expect(room.one('suggest-form')).toBeNull();

      room.press(document.body, 'r');
      await room.settle();
      expect(room.one('reject-form')).not.toBeNull();
    });

    it('lists the shortcuts on ?', async () => {
      room.press(document.body, '?');
      await room.settle();
      expect(room.text(room.one('shortcut-help'))).toContain('Accept the line');
      room.press(document.body, 'Escape');
      await room.settle();
      expect(room.one('shortcut-help')).toBeNull();
    });
  });

  describe('as the coder, while the chart is in review', () => {
    beforeEach(async () => {
      encounter = chart({
        lines: [
          makeLine({
            code: '99214',
            review: {
              state: 'rejected',
              category: 'unsupported',
              comment: 'No exam documented',
              by: REVIEWER,
            },
          }),
          makeLine({
            code: 'J3301',
            units: 4,
            origin: 'reviewer',
            review: {
              ...PENDING_REVIEW,
              state: 'accepted',
              category: 'missed-code',
              comment: 'Drug supply',
              by: REVIEWER,
            },
          }),
        ],
      });
      room = await RoomHarness.open(encounter, 'coder', [
        CODER_PRESENCE,
        { ...REVIEWER_PRESENCE, focusLineId: encounter.lines[1]!.id },
      ]);
    });

    it('shows each line’s review but no review or edit tools, and no transitions', () => {
      expect(room.all('accept-line')).toEqual([]);
      expect(room.all('suggest-line')).toEqual([]);
      expect(room.all('edit-line')).toEqual([]);
      expect(room.one('add-line')).toBeNull();
      expect(transitionNames()).toEqual([]);
      expect(room.text(room.one('next-step'))).toBe('Riley Reviewer is reviewing the lines.');
    });

    it('strikes a rejected line through with its category and comment, and badges a missed line', () => {
      const [rejected, missed] = encounter.lines;
      expect(room.row(rejected!.id).classList).toContain('line--rejected');
      expect(room.text(room.one('rejection', room.detail(rejected!.id)))).toBe(
        'Rejected · Not supported by documentation — No exam documented Riley Reviewer',
      );
      expect(room.text(room.one('missed-badge', room.row(missed!.id)))).toBe('Missed');
      expect(room.text(room.detail(missed!.id))).toContain('Drug supply');
    });

    it('shows who is working on a line: the soft lock', () => {
      const missed = encounter.lines[1]!;
      expect(room.one('soft-lock', room.row(missed.id)).getAttribute('aria-label')).toBe(
        'Riley is reviewing this line',
      );
      expect(room.text(room.one('soft-lock-note', room.detail(missed.id)))).toContain(
        'Riley is reviewing this line',
      );
      expect(room.one('soft-lock', room.row(encounter.lines[0]!.id))).toBeNull();
    });
  });

  it('offers the supervisor sign-off and reopen on an approved chart, and nothing on the lines', async () => {
    encounter = chart({ status: 'approved' });
    room = await RoomHarness.open(encounter, 'supervisor');
    expect(transitionNames()).toEqual(['transition-reopen', 'transition-sign-off']);
    expect(room.all('accept-line')).toEqual([]);
    expect(room.one('add-line')).toBeNull();
  });

  it('offers only Start review to a reviewer on a submitted chart', async () => {
    encounter = chart({ status: 'submitted', reviewer: null });
    room = await RoomHarness.open(encounter, 'reviewer');
    expect(transitionNames()).toEqual(['transition-review.start']);
    expect(room.all('accept-line')).toEqual([]);
  });
});
