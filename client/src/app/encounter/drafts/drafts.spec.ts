import { TestBed } from '@angular/core/testing';
import type { WritableSignal } from '@angular/core';
import type { Encounter, SessionUser, TeamMember } from '@countersign/shared';
import { AuthService } from '../../core/auth/auth.service';
import {
  CODER,
  ENCOUNTER_ID,
  REVIEWER,
  event,
  makeComment,
  makeEdits,
  makeEncounter,
  makeLine,
  makeSuggestion,
  makeThread,
  sessionUser,
} from '../../../testing/encounter-fixtures';
import { RoomHarness } from '../../../testing/room-harness';

// The first spec of a file compiles the whole page; on a busy machine that can take more than Jest's default 5 s.
jest.setTimeout(20_000);

const TEAM: TeamMember[] = [
  { ...CODER, email: 'coder@riverside.example', role: 'coder' },
  { ...REVIEWER, email: 'reviewer@riverside.example', role: 'reviewer' },
];

/** The drafts this tab keeps, as stored. */
function storedDrafts(): Record<string, { text: string }> {
  const drafts: Record<string, { text: string }> = {};
  for (let i = 0; i < sessionStorage.length; i++) {
    const key = sessionStorage.key(i)!;
    if (key.startsWith('cs.draft.v1:'))
      drafts[key] = JSON.parse(sessionStorage.getItem(key)!) as { text: string };
  }
  return drafts;
}

/**
 * Nothing typed is lost: comment, reply, dispute and reason drafts survive a dropped connection,
 * a re-render, a withdrawn suggestion and a reload, and go once sent. The real room and page,
 * only the transport faked; fake timers, so the "one-second blip" takes no real time.
 */
describe('Drafts', () => {
  let room: RoomHarness;
  const line = makeLine({ code: '73562' });
  const visit = makeLine({ code: '99213', modifiers: [] });

  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    room.fixture.destroy();
    jest.useRealTimers();
  });

  async function openComments(harness: RoomHarness, lineId: string): Promise<void> {
    harness.ignoreLookups();
    harness.one<HTMLButtonElement>('line-comments', harness.row(lineId)).click();
    await harness.settle();
    harness.http.match((r) => r.url === '/api/users').forEach((r) => r.flush({ items: TEAM }));
    await harness.settle();
  }

  const commentField = () =>
    room.one<HTMLTextAreaElement>(
      'comment-field',
      room.one('thread-panel').parentElement!.querySelector('footer')!,
    );

  describe('of a comment', () => {
    const encounter = () =>
      makeEncounter({ status: 'in_review', version: 20, lines: [line, visit] });

    beforeEach(async () => {
      room = await RoomHarness.open(encounter(), 'reviewer');
      await openComments(room, line.id);
    });

    it('outlive a one-second network blip: the field stays, sending waits, and it goes out once Live', async () => {
      room.type(commentField(), 'Is there an x-ray report for the');
      await room.settle();

      room.socket.dropConnection();
      await room.advance(1_000);
      expect(room.text(room.one('connection-status'))).toBe('Reconnecting');
      expect(commentField().value).toBe('Is there an x-ray report for the');
      expect(room.one<HTMLButtonElement>('send-comment').disabled).toBe(true);
      expect(room.text(room.one('comment-offline'))).toContain('your text is kept');
      // Typing goes on while the connection is down.
      room.type(commentField(), 'Is there an x-ray report for the knee?');

      room.socket.reconnect();
      await room.settle();
      expect(room.text(room.one('connection-status'))).toBe('Live');
      expect(commentField().value).toBe('Is there an x-ray report for the knee?');

      room.socket.answer('comment:add', () => ({ ok: true, data: { seq: 21, duplicate: false } }));
      room.one<HTMLButtonElement>('send-comment').click();
      await room.settle();
      expect(room.socket.sentOf('comment:add')).toEqual([
        expect.objectContaining({
          lineId: line.id,
          body: 'Is there an x-ray report for the knee?',
        }),
      ]);
      expect(commentField().value).toBe('');
      expect(storedDrafts()).toEqual({});
    });

    it('come back when the panel is closed and opened again, per line', async () => {
      room.type(commentField(), 'About the x-ray');
      await room.settle();
      await openComments(room, visit.id);
      expect(commentField().value).toBe('');
      room.type(commentField(), 'About the visit');
      await openComments(room, line.id);
      expect(commentField().value).toBe('About the x-ray');
      await openComments(room, visit.id);
      expect(commentField().value).toBe('About the visit');
    });

    it('come back after a reload in the same tab, kept in sessionStorage and not in localStorage', async () => {
      room.type(commentField(), 'Half-written before the reload');
      await room.settle();
      expect(Object.values(storedDrafts()).map((d) => d.text)).toEqual([
        'Half-written before the reload',
      ]);
      expect(localStorage.length).toBe(0);

      room.fixture.destroy();
      TestBed.resetTestingModule();
      room = await RoomHarness.open(encounter(), 'reviewer', undefined, undefined, {
        keepDrafts: true,
      });
      await openComments(room, line.id);
      expect(commentField().value).toBe('Half-written before the reload');
      expect(room.text(room.one('comment-draft-kept'))).toContain('Draft kept until sent');
    });

    it('stay when sending fails, and go when it succeeds', async () => {
      room.type(commentField(), 'Please add laterality');
      room.socket.answer('comment:add', () => ({
        ok: false,
        error: { code: 'forbidden', message: 'Not allowed' },
      }));
      room.one<HTMLButtonElement>('send-comment').click();
      await room.settle();
      expect(commentField().value).toBe('Please add laterality');
      expect(Object.values(storedDrafts()).map((d) => d.text)).toEqual(['Please add laterality']);
    });

    it('are emptied when the person signs out, and never shown to the next person', async () => {
      room.type(commentField(), 'Patient-specific remark');
      await room.settle();
      const user = TestBed.inject(AuthService)
        .user as unknown as WritableSignal<SessionUser | null>;
      user.set(null);
      await room.settle();
      expect(storedDrafts()).toEqual({});

      // Stored by someone else in this tab earlier: a new sign-in drops it rather than showing it.
      sessionStorage.setItem(
        `cs.draft.v1:someone-else:${ENCOUNTER_ID}|comment:line:${line.id}`,
        JSON.stringify({ text: 'Not yours', lineId: null }),
      );
      user.set(sessionUser('reviewer'));
      await room.settle();
      expect(storedDrafts()).toEqual({});
    });
  });

  it('of a reply are kept per thread', async () => {
    const first = makeThread(line.id, [makeComment('First question', CODER)]);
    const second = makeThread(line.id, [makeComment('Second question', CODER)]);
    room = await RoomHarness.open(
      makeEncounter({ status: 'in_review', version: 20, lines: [line], threads: [first, second] }),
      'reviewer',
    );
    await openComments(room, line.id);
    const replies = () =>
      room.all('thread').map((t) => room.one<HTMLTextAreaElement>('comment-field', t));
    room.type(replies()[1]!, 'Answer to the second');
    room.socket.dropConnection();
    await room.advance(1_000);
    room.socket.reconnect();
    await room.settle();
    expect(replies().map((r) => r.value)).toEqual(['', 'Answer to the second']);
  });

  describe('of a dispute', () => {
    const suggestion = makeSuggestion(visit, { comment: 'Separate E/M' });
    const encounter = (): Encounter =>
      makeEncounter({
        status: 'in_review',
        version: 12,
        lines: [visit],
        suggestions: [suggestion],
      });
    const withdrawn = () =>
      event(
        13,
        'suggestion.answered',
        {
          suggestionId: suggestion.id,
          status: 'withdrawn',
          answeredBy: REVIEWER,
          line: null,
          thread: null,
        },
        REVIEWER,
      );

    beforeEach(async () => {
      room = await RoomHarness.open(encounter(), 'coder');
      room.ignoreLookups();
      room.one<HTMLButtonElement>('dispute-suggestion').click();
      await room.settle();
      room.type(room.one('dispute-comment'), 'The visit was separate from the');
      await room.settle();
    });

    it('outlive a dropped connection and a rejoin that re-renders the card', async () => {
      room.socket.dropConnection();
      await room.advance(1_000);
      expect(room.one<HTMLTextAreaElement>('dispute-comment').value).toBe(
        'The visit was separate from the',
      );
      expect(room.one<HTMLButtonElement>('send-dispute').disabled).toBe(true);
      room.socket.reconnect();
      await room.settle();
      expect(room.one<HTMLTextAreaElement>('dispute-comment').value).toBe(
        'The visit was separate from the',
      );

      room.fixture.destroy();
      TestBed.resetTestingModule();
      room = await RoomHarness.open(encounter(), 'coder', undefined, undefined, {
        keepDrafts: true,
      });
      expect(room.one<HTMLTextAreaElement>('dispute-comment').value).toBe(
        'The visit was separate from the',
      );
    });

    it('is kept when the reviewer withdraws the suggestion, with a note and an offer to post it as a comment', async () => {
      room.socket.push('encounter:event', withdrawn());
      await room.settle();
      expect(room.one('suggestion')).toBeNull();
      expect(room.text(room.one('orphan-dispute'))).toContain(
        'Riley Reviewer withdrew the suggestion while you were writing your dispute. Your text is kept:',
      );
      expect(room.text(room.one('orphan-dispute-text'))).toBe('The visit was separate from the');

      room.socket.answer('comment:add', () => ({ ok: true, data: { seq: 14, duplicate: false } }));
      room.one<HTMLButtonElement>('post-dispute-as-comment').click();
      await room.settle();
      expect(room.socket.sentOf('comment:add')).toEqual([
        expect.objectContaining({
          lineId: visit.id,
          body: 'The visit was separate from the',
          mentions: [],
        }),
      ]);
      expect(room.one('orphan-dispute')).toBeNull();
      expect(storedDrafts()).toEqual({});
      expect(room.text(room.one('thread-panel-title'))).toBe('Line 1 · 99213');
    });

    it('is kept through a failed post, and can be discarded', async () => {
      room.socket.push('encounter:event', withdrawn());
      await room.settle();
      const after = {
        ...encounter(),
        version: 13,
        suggestions: [{ ...suggestion, status: 'withdrawn' as const, answeredBy: REVIEWER }],
      };
      room.socket.answer('room:join', () => ({
        ok: true,
        data: { encounter: after, seq: 13, presence: [], edits: makeEdits(13) },
      }));
      room.socket.dropConnection();
      await room.settle();
      expect(room.one<HTMLButtonElement>('post-dispute-as-comment').disabled).toBe(true);
      room.socket.reconnect();
      await room.settle();

      room.socket.answer('comment:add', () => ({
        ok: false,
        error: { code: 'invalid_state', message: 'The chart is locked' },
      }));
      room.one<HTMLButtonElement>('post-dispute-as-comment').click();
      await room.settle();
      expect(room.text(room.one('line-notice'))).toContain('The chart is locked');
      expect(room.text(room.one('orphan-dispute-text'))).toBe('The visit was separate from the');

      room.one<HTMLButtonElement>('discard-dispute').click();
      await room.settle();
      expect(room.one('orphan-dispute')).toBeNull();
      expect(storedDrafts()).toEqual({});
    });

    it('is cleared when the dispute is sent, and not offered again when its event arrives', async () => {
      room.socket.answer('suggestion:answer', () => ({
        ok: true,
        data: { seq: 13, duplicate: false },
      }));
      room.one<HTMLButtonElement>('send-dispute').click();
      await room.settle();
      const thread = makeThread(visit.id, [makeComment('The visit was separate from the', CODER)], {
        suggestionId: suggestion.id,
      });
      room.socket.push(
        'encounter:event',
        event(
          13,
          'suggestion.answered',
          {
            suggestionId: suggestion.id,
            status: 'disputed',
            answeredBy: CODER,
            line: null,
            thread,
          },
          CODER,
        ),
      );
      await room.settle();
      expect(storedDrafts()).toEqual({});
      expect(room.one('orphan-dispute')).toBeNull();
      expect(room.one('dispute-comment')).toBeNull();
    });
  });

  describe('of a transition reason', () => {
    beforeEach(async () => {
      room = await RoomHarness.open(
        makeEncounter({ status: 'in_review', version: 9, lines: [visit] }),
        'reviewer',
      );
    });

    const reasonField = () =>
      document.querySelector<HTMLTextAreaElement>('[data-testid="reason"]')!;
    async function openRequestChanges(): Promise<void> {
      room.one<HTMLButtonElement>('transition-request-changes').click();
      await room.settle();
    }

    it('is kept when the dialog closes or the transition fails, and cleared once it is made', async () => {
      await openRequestChanges();
      room.type(reasonField(), 'Add laterality');
      document.querySelector<HTMLButtonElement>('[mat-dialog-close]')!.click();
      await room.settle();
      await openRequestChanges();
      expect(reasonField().value).toBe('Add laterality');

      room.socket.answer('encounter:transition', () => ({
        ok: false,
        error: { code: 'unavailable', message: 'Try again' },
      }));
      document.querySelector<HTMLButtonElement>('[data-testid="confirm-reason"]')!.click();
      await room.settle();
      await openRequestChanges();
      expect(reasonField().value).toBe('Add laterality');

      room.socket.answer('encounter:transition', () => ({
        ok: true,
        data: { seq: 10, duplicate: false },
      }));
      document.querySelector<HTMLButtonElement>('[data-testid="confirm-reason"]')!.click();
      await room.settle();
      expect(room.socket.sentOf('encounter:transition').at(-1)).toMatchObject({
        transition: 'request-changes',
        reason: 'Add laterality',
      });
      expect(storedDrafts()).toEqual({});
    });
  });
});
