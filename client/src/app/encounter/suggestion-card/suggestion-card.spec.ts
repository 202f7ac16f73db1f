import { TestBed } from '@angular/core/testing';
import type { Encounter, Suggestion } from '@countersign/shared';
import {
  CODER,
  ENCOUNTER_ID,
  SUPERVISOR,
  event,
  makeEncounter,
  makeId,
  makeLine,
  makeSuggestion,
  makeThread,
  makeComment,
} from '../../../testing/encounter-fixtures';
import { RoomHarness } from '../../../testing/room-harness';
import { SuggestionCard, suggestionDiff } from './suggestion-card';

const UUID = expect.stringMatching(/^[0-9a-f-]{36}$/);

describe(SuggestionCard.name, () => {
  let room: RoomHarness;
  let encounter: Encounter;
  const line = makeLine({ code: '99214', pointers: ['A'] });
  const suggestion = makeSuggestion(line);

  beforeEach(() => {
    encounter = makeEncounter({
      status: 'in_review',
      version: 12,
      lines: [line],
      suggestions: [suggestion],
    });
  });

  it('shows the suggestion on its line as a diff with category, comment and author', async () => {
    room = await RoomHarness.open(encounter, 'coder');
    const card = room.one('suggestion', room.detail(line.id));
    expect(room.text(room.one('suggestion-diff', card))).toBe('Modifiers—25');
    expect(card.querySelector('del')?.getAttribute('aria-label')).toBe('was —');
    expect(card.querySelector('ins')?.getAttribute('aria-label')).toBe('becomes 25');
    expect(card.getAttribute('aria-label')).toBe('Suggestion by Riley Reviewer: Missing modifier');
    expect(room.text(card)).toContain('Separate E/M on the day of the injection');
  });

  it('lets the coder accept it, and shows the line corrected when the answer arrives', async () => {
    room = await RoomHarness.open(encounter, 'coder');
    expect(room.one('withdraw-suggestion')).toBeNull();
    room.socket.answer('suggestion:answer', () => ({
      ok: true,
      data: { seq: 13, duplicate: false },
    }));
    room.one<HTMLButtonElement>('accept-suggestion').click();
    await room.settle();
    expect(room.socket.sentOf('suggestion:answer')).toEqual([
      {
        encounterId: ENCOUNTER_ID,
        baseVersion: 12,
        opId: UUID,
        suggestionId: suggestion.id,
        answer: 'accept',
        comment: '',
      },
    ]);
    const corrected = {
      ...line,
      modifiers: ['25'],
      review: {
        state: 'accepted' as const,
        category: suggestion.category,
        comment: suggestion.comment,
        by: suggestion.author,
      },
    };
    room.socket.push(
      'encounter:event',
      event(
        13,
        'suggestion.answered',
        {
          suggestionId: suggestion.id,
          status: 'accepted',
          answeredBy: CODER,
          line: corrected,
          thread: null,
        },
        CODER,
      ),
    );
    await room.settle();
    expect(room.text(room.row(line.id))).toMatch(/99214.*Accepted.*25/);
    expect(room.one('suggestion').dataset['status']).toBe('accepted');
    expect(room.one('accept-suggestion')).toBeNull();
  });

  it('lets the coder dispute it only with a comment, which opens the thread', async () => {
    room = await RoomHarness.open(encounter, 'coder');
    room.one<HTMLButtonElement>('dispute-suggestion').click();
    await room.settle();
    room.one<HTMLButtonElement>('send-dispute').click();
    await room.settle();
    expect(room.socket.sentOf('suggestion:answer')).toEqual([]);
    expect(room.text(room.one('suggestion-error'))).toContain('Say why you dispute it');

    room.type(room.one('dispute-comment'), 'The visit was the reason for the injection');
    room.socket.answer('suggestion:answer', () => ({
      ok: true,
      data: { seq: 13, duplicate: false },
    }));
    room.one<HTMLButtonElement>('send-dispute').click();
    await room.settle();
    expect(room.socket.sentOf('suggestion:answer')[0]).toMatchObject({
      answer: 'dispute',
      comment: 'The visit was the reason for the injection',
    });

    const thread = makeThread(
      line.id,
      [makeComment('The visit was the reason for the injection', CODER)],
      { suggestionId: suggestion.id },
    );
    room.socket.push(
      'encounter:event',
      event(
        13,
        'suggestion.answered',
        { suggestionId: suggestion.id, status: 'disputed', answeredBy: CODER, line: null, thread },
        CODER,
      ),
    );
    await room.settle();
    expect(room.text(room.one('suggestion'))).toContain('Disputed by Casey Coder');
    room.one<HTMLButtonElement>('suggestion-thread').click();
    await room.settle();
    expect(room.text(room.one('thread-panel'))).toContain('Dispute of a suggestion');
    expect(room.text(room.one('thread-panel'))).toContain(
      'The visit was the reason for the injection',
    );
  });

  it('lets the reviewer withdraw it, not answer it', async () => {
    room = await RoomHarness.open(encounter, 'reviewer');
    expect(room.one('accept-suggestion')).toBeNull();
    expect(room.one('dispute-suggestion')).toBeNull();
    room.socket.answer('suggestion:withdraw', () => ({
      ok: true,
      data: { seq: 13, duplicate: false },
    }));
    room.one<HTMLButtonElement>('withdraw-suggestion').click();
    await room.settle();
    expect(room.socket.sentOf('suggestion:withdraw')).toEqual([
      { encounterId: ENCOUNTER_ID, baseVersion: 12, opId: UUID, suggestionId: suggestion.id },
    ]);
  });

  describe('a dispute', () => {
    const thread = makeThread(line.id, [makeComment('The visit was the reason', CODER)], {
      suggestionId: suggestion.id,
    });
    const disputed = {
      ...suggestion,
      status: 'disputed' as const,
      answeredBy: CODER,
      threadId: thread.id,
    };
    const escalation = { by: CODER, comment: 'We read the note differently', at: 'x' };

    function inDispute(s: Suggestion): Encounter {
      return { ...encounter, suggestions: [s], threads: [thread] };
    }

    async function confirmReason(text: string): Promise<void> {
      await room.settle();
      if (text) room.type(document.querySelector('[data-testid="reason"]')!, text);
      document.querySelector<HTMLButtonElement>('[data-testid="confirm-reason"]')!.click();
      await room.settle();
      await room.settle();
    }

    it('lets the coder accept it after all, or escalate it with why', async () => {
      room = await RoomHarness.open(inDispute(disputed), 'coder');
      expect(room.one('dispute-suggestion')).toBeNull();
      expect(room.one('accept-suggestion')).not.toBeNull();
      room.socket.answer('suggestion:escalate', () => ({
        ok: true,
        data: { seq: 13, duplicate: false },
      }));
      room.one<HTMLButtonElement>('escalate-suggestion').click();
      await confirmReason('We read the note differently');
      expect(room.socket.sentOf('suggestion:escalate')).toEqual([
        {
          encounterId: ENCOUNTER_ID,
          baseVersion: 12,
          opId: UUID,
          suggestionId: suggestion.id,
          comment: 'We read the note differently',
        },
      ]);
      room.socket.push(
        'encounter:event',
        event(13, 'suggestion.escalated', { suggestionId: suggestion.id, escalation }, CODER),
      );
      await room.settle();
      const card = room.one('suggestion');
      expect(card.dataset['status']).toBe('escalated');
      expect(room.text(card)).toContain('Waiting for a supervisor');
      expect(room.text(room.one('suggestion-escalation'))).toBe(
        'Escalated by Casey Coder: “We read the note differently”',
      );
      expect(room.one('accept-suggestion')).toBeNull();
      expect(room.one('escalate-suggestion')).toBeNull();
    });

    it('lets the reviewer withdraw or escalate it, with the comment optional', async () => {
      room = await RoomHarness.open(inDispute(disputed), 'reviewer');
      expect(room.one('accept-suggestion')).toBeNull();
      expect(room.one('withdraw-suggestion')).not.toBeNull();
      room.socket.answer('suggestion:escalate', () => ({
        ok: true,
        data: { seq: 13, duplicate: false },
      }));
      room.one<HTMLButtonElement>('escalate-suggestion').click();
      await confirmReason('');
      expect(room.socket.sentOf('suggestion:escalate')).toMatchObject([{ comment: '' }]);
    });

    it('lets a supervisor uphold it with a reason, and shows the decision and its precedent', async () => {
      const escalated = { ...disputed, status: 'escalated' as const, escalation };
      room = await RoomHarness.open(inDispute(escalated), 'supervisor');
      expect(room.text(room.one('uphold-suggestion'))).toContain('Uphold suggestion');
      expect(room.text(room.one('overrule-suggestion'))).toBe('Keep the coder’s line');
      room.socket.answer('suggestion:decide', () => ({
        ok: true,
        data: { seq: 13, duplicate: false },
      }));
      room.one<HTMLButtonElement>('uphold-suggestion').click();
      await confirmReason('');
      expect(document.body.textContent).toContain('Give a reason');
      expect(room.socket.sentOf('suggestion:decide')).toEqual([]);
      await confirmReason('A separate E/M is documented');
      expect(room.socket.sentOf('suggestion:decide')).toEqual([
        {
          encounterId: ENCOUNTER_ID,
          baseVersion: 12,
          opId: UUID,
          suggestionId: suggestion.id,
          decision: 'uphold',
          reason: 'A separate E/M is documented',
        },
      ]);
      const decision = {
        decision: 'uphold' as const,
        reason: 'A separate E/M is documented',
        by: SUPERVISOR,
        at: 'y',
      };
      const corrected = {
        ...line,
        modifiers: ['25'],
        review: {
          state: 'accepted' as const,
          category: suggestion.category,
          comment: suggestion.comment,
          by: suggestion.author,
        },
      };
      room.socket.push(
        'encounter:event',
        event(
          13,
          'suggestion.decided',
          {
            suggestionId: suggestion.id,
            status: 'upheld',
            decision,
            line: corrected,
            precedent: { id: makeId('dddddddd'), number: 12 },
          },
          SUPERVISOR,
        ),
      );
      await room.settle();
      expect(room.one('suggestion').dataset['status']).toBe('upheld');
      expect(room.text(room.one('suggestion-decision'))).toBe(
        'Suggestion upheld by Sam Supervisor: “A separate E/M is documented”',
      );
      expect(room.text(room.one('suggestion-precedent'))).toBe('Recorded as precedent 12');
      expect(room.one('uphold-suggestion')).toBeNull();
      expect(room.text(room.row(line.id))).toMatch(/99214.*Accepted.*25/);
    });

    it('offers the decision to nobody but a supervisor', async () => {
      const escalated = { ...disputed, status: 'escalated' as const, escalation };
      for (const role of ['coder', 'reviewer'] as const) {
        room = await RoomHarness.open(inDispute(escalated), role);
        expect(room.one('uphold-suggestion')).toBeNull();
        expect(room.one('accept-suggestion')).toBeNull();
        expect(room.one('withdraw-suggestion')).toBeNull();
        room.fixture.destroy();
        TestBed.resetTestingModule();
      }
    });
  });
});

describe(suggestionDiff.name, () => {
  it('lists each changed field as old and new', () => {
    expect(
      suggestionDiff(
        { code: '99214', modifiers: ['59'], units: 1, pointers: ['A'] },
        { code: '99213', modifiers: ['25'], units: 2, pointers: ['A', 'B'] },
      ),
    ).toEqual([
      { field: 'Code', before: '99214', after: '99213' },
      { field: 'Modifiers', before: '59', after: '25' },
      { field: 'Units', before: '1', after: '2' },
      { field: 'Pointers', before: 'A', after: 'A, B' },
    ]);
  });
});
