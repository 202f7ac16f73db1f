import type { TeamMember } from '@countersign/shared';
import {
  CODER,
  ENCOUNTER_ID,
  REVIEWER,
  SUPERVISOR,
  event,
  makeComment,
  makeEncounter,
  makeLine,
  makeThread,
} from '../../../testing/encounter-fixtures';
import { RoomHarness } from '../../../testing/room-harness';
import { mentionCandidates, mentionParts, mentionQuery, mentionedIds } from './mentions';
import { ThreadPanel } from './thread-panel';

const TEAM: TeamMember[] = [
  { ...CODER, email: 'coder@riverside.example', role: 'coder' },
  { ...REVIEWER, email: 'reviewer@riverside.example', role: 'reviewer' },
  { ...SUPERVISOR, email: 'supervisor@riverside.example', role: 'supervisor' },
];
const UUID = expect.stringMatching(/^[0-9a-f-]{36}$/);

describe(ThreadPanel.name, () => {
  const line = makeLine({ code: '73562' });
  let room: RoomHarness;

  async function openLineComments(
    threads = [
      makeThread(line.id, [makeComment(`@${CODER.name} no imaging today`, REVIEWER, [CODER.id])]),
    ],
  ): Promise<void> {
    room = await RoomHarness.open(
      makeEncounter({ status: 'in_review', version: 20, lines: [line], threads }),
      'coder',
    );
    room.ignoreLookups();
    room.one<HTMLButtonElement>('line-comments').click();
    await room.settle();
    room.http.match((r) => r.url === '/api/users').forEach((r) => r.flush({ items: TEAM }));
    await room.settle();
  }

  it('shows the line’s threads with the mentioned teammate highlighted, and a count on the line', async () => {
    await openLineComments();
    expect(room.text(room.one('thread-panel-title'))).toBe('Line 1 · 73562');
    expect(room.text(room.one('line-comments'))).toBe('1');
    expect(room.text(room.one('mention'))).toBe('@Casey Coder');
    expect(room.text(room.one('comment-body'))).toBe('@Casey Coder no imaging today');
  });

  it('replies with an @mention picked from the team', async () => {
    await openLineComments();
    const field = room.all<HTMLTextAreaElement>('comment-field')[0]!;
    room.type(field, 'Agreed @ri');
    await room.settle();
    expect(room.all('mention-option').map((o) => room.text(o.querySelector('.name')))).toEqual([
      'Riley Reviewer',
    ]);
    room.press(field, 'Enter');
    await room.settle();
    expect(field.value).toBe('Agreed @Riley Reviewer ');
    room.type(field, `${field.value}will remove it`);
    room.socket.answer('comment:add', () => ({ ok: true, data: { seq: 21, duplicate: false } }));
    room.press(field, 'Enter');
    field.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }),
    );
    await room.settle();
    expect(room.socket.sentOf('comment:add')).toEqual([
      {
        encounterId: ENCOUNTER_ID,
        baseVersion: 20,
        opId: UUID,
        threadId: expect.any(String),
        lineId: line.id,
        body: 'Agreed @Riley Reviewer will remove it',
        mentions: [REVIEWER.id],
      },
    ]);
    expect(field.value).toBe('');
  });

  it('starts a thread on a line without comments, and resolves it when its event arrives', async () => {
    await openLineComments([]);
    expect(room.text(room.one('thread-panel'))).toContain('No comments on this line yet.');
    room.socket.answer('comment:add', () => ({ ok: true, data: { seq: 21, duplicate: false } }));
    const field = room.one<HTMLTextAreaElement>('comment-field');
    room.type(field, 'Is there an x-ray report?');
    await room.settle();
    room.one<HTMLButtonElement>('send-comment').click();
    await room.settle();
    expect(room.socket.sentOf('comment:add')[0]).toMatchObject({
      lineId: line.id,
      body: 'Is there an x-ray report?',
      mentions: [],
    });

    const thread = makeThread(line.id, [makeComment('Is there an x-ray report?', CODER)]);
    room.socket.push('encounter:event', event(21, 'thread.opened', { thread }, CODER));
    await room.settle();
    room.socket.answer('thread:resolve', () => ({ ok: true, data: { seq: 22, duplicate: false } }));
    room.one<HTMLButtonElement>('resolve-thread').click();
    await room.settle();
    expect(room.socket.sentOf('thread:resolve')).toEqual([
      {
        encounterId: ENCOUNTER_ID,
        baseVersion: 21,
        opId: UUID,
        threadId: thread.id,
        resolved: true,
      },
    ]);
    room.socket.push(
      'encounter:event',
      event(22, 'thread.resolved', { threadId: thread.id, resolved: true }, CODER),
    );
    await room.settle();
    expect(room.one('thread').dataset['resolved']).toBe('true');
    expect(room.text(room.one('resolve-thread'))).toBe('Reopen');
  });

  it('opens a line’s comments with c, ready to type, and closes them with Esc twice', async () => {
    room = await RoomHarness.open(
      makeEncounter({ status: 'in_review', lines: [line] }),
      'reviewer',
    );
    room.ignoreLookups();
    room.row(line.id).focus();
    room.press(room.row(line.id), 'c');
    await room.settle();
    const field = room.all<HTMLTextAreaElement>('comment-field').at(-1)!;
    expect(document.activeElement).toBe(field);
    room.press(field, 'Escape');
    room.press(document.body, 'Escape');
    await room.settle();
    expect(room.one('thread-panel')).toBeNull();
  });

  it('opens the chart’s own discussion from the header', async () => {
    room = await RoomHarness.open(
      makeEncounter({ threads: [makeThread(null, [makeComment('Chart-level note')])] }),
      'coder',
    );
    room.ignoreLookups();
    room.one<HTMLButtonElement>('open-discussion').click();
    await room.settle();
    expect(room.text(room.one('thread-panel-title'))).toBe('Chart discussion');
    expect(room.text(room.one('thread-panel'))).toContain('Chart-level note');
  });
});

describe('mentions', () => {
  it('finds the @word being typed before the caret', () => {
    expect(mentionQuery('Hi @ri', 6)).toEqual({ start: 3, query: 'ri' });
    expect(mentionQuery('mail@example', 12)).toBeNull();
    expect(mentionQuery('@', 1)).toEqual({ start: 0, query: '' });
  });

  it('offers teammates by the start of a name, never the writer', () => {
    expect(mentionCandidates(TEAM, 'c', REVIEWER.id).map((m) => m.name)).toEqual(['Casey Coder']);
    expect(mentionCandidates(TEAM, '', CODER.id).map((m) => m.name)).toEqual([
      'Riley Reviewer',
      'Sam Supervisor',
    ]);
  });

  it('keeps only the mentions still in the text, and cuts a body into mentions for display', () => {
    expect(mentionedIds('Thanks @Sam Supervisor', TEAM)).toEqual([SUPERVISOR.id]);
    expect(mentionParts('Hi @Sam Supervisor, see', ['Sam Supervisor'])).toEqual([
      { text: 'Hi ', mention: false },
      { text: '@Sam Supervisor', mention: true },
      { text: ', see', mention: false },
    ]);
  });
});
