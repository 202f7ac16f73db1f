import { makeEncounter, makeLine } from '../../../testing/encounter-fixtures';
import { RoomHarness } from '../../../testing/room-harness';
import { ClinicalNote } from './clinical-note';
import { evidenceOf, segmentNote } from './note-segments';

const NOTE = 'Right knee pain for three weeks.\nInjected the right knee with triamcinolone.';

describe(ClinicalNote.name, () => {
  const injection = makeLine({
    code: '20610',
    evidence: { start: 33, end: 56, quote: 'Injected the right knee' },
  });
  const visit = makeLine({
    code: '99213',
    evidence: { start: 0, end: 15, quote: 'Right knee pain' },
  });
  let room: RoomHarness;

  beforeEach(async () => {
    room = await RoomHarness.open(
      makeEncounter({ clinicalNote: NOTE, lines: [visit, injection] }),
      'coder',
    );
    room.ignoreLookups();
  });

  it('highlights each line’s evidence in the note, and keeps the note’s text as it is', () => {
    expect(room.one('clinical-note').textContent).toBe(NOTE);
    expect(room.all('evidence-mark').map((m) => m.textContent)).toEqual([
      'Right knee pain',
      'Injected the right knee',
    ]);
  });

  it('lights up the evidence of the line under the pointer, and goes to a line from its highlight', async () => {
    room.row(injection.id).closest('tbody')!.dispatchEvent(new MouseEvent('mouseenter'));
    await room.settle();
    expect(room.all('evidence-mark').map((m) => m.classList.contains('mark--active'))).toEqual([
      false,
      true,
    ]);

    room.all('evidence-mark')[0]!.click();
    await room.settle();
    expect(document.activeElement).toBe(room.row(visit.id));
    expect(room.all('evidence-mark').map((m) => m.classList.contains('mark--active'))).toEqual([
      true,
      false,
    ]);
  });

  it('goes to a line from its highlight by keyboard too: each highlight is a button named for its line', async () => {
    const mark = room.all('evidence-mark')[1]!;
    expect(mark.getAttribute('role')).toBe('button');
    expect(mark.getAttribute('tabindex')).toBe('0');
    expect(mark.getAttribute('title')).toBe('Evidence for line 2');
    room.press(mark, 'Enter');
    await room.settle();
    expect(document.activeElement).toBe(room.row(injection.id));
  });

  it('attaches text selected in the note to the new line as its evidence', async () => {
    const text = room.all('clinical-note')[0]!.querySelector('[data-start="15"]')!.firstChild!;
    const range = document.createRange();
    range.setStart(text, 5);
    range.setEnd(text, 16);
    document.getSelection()!.removeAllRanges();
    document.getSelection()!.addRange(range);
    document.dispatchEvent(new Event('selectionchange'));
    await room.settle();
    expect(room.text(room.one('attach-evidence-bar'))).toContain('three weeks');

    room.one<HTMLButtonElement>('attach-evidence-new').click();
    await room.settle();
    expect(room.text(room.one('draft-evidence'))).toBe('three weeks');
    room.socket.answer('line:add', () => ({ ok: true, data: { seq: 4, duplicate: false } }));
    room.type(room.one('new-line-code'), '99213');
    room.type(room.one('new-line-pointers'), 'A');
    room.one<HTMLButtonElement>('add-line').click();
    await room.settle();
    expect(room.socket.sentOf('line:add')[0]?.line.evidence).toEqual({
      start: 20,
      end: 31,
      quote: 'three weeks',
    });
  });
});

describe(segmentNote.name, () => {
  it('cuts overlapping evidence so each run knows all its lines', () => {
    expect(
      segmentNote('abcdefgh', [
        { lineId: 'x', start: 1, end: 5 },
        { lineId: 'y', start: 3, end: 7 },
      ]),
    ).toEqual([
      { start: 0, text: 'a', lineIds: [] },
      { start: 1, text: 'bc', lineIds: ['x'] },
      { start: 3, text: 'de', lineIds: ['x', 'y'] },
      { start: 5, text: 'fg', lineIds: ['y'] },
      { start: 7, text: 'h', lineIds: [] },
    ]);
  });

  it('clips evidence past the end of a shortened note', () => {
    expect(segmentNote('abc', [{ lineId: 'x', start: 2, end: 40 }])).toEqual([
      { start: 0, text: 'ab', lineIds: [] },
      { start: 2, text: 'c', lineIds: ['x'] },
    ]);
  });
});

describe(evidenceOf.name, () => {
  it('leaves whitespace at either end out, and nothing but whitespace is no evidence', () => {
    expect(evidenceOf('a  knee  b', 1, 8)).toEqual({ start: 3, end: 7, quote: 'knee' });
    expect(evidenceOf('a    b', 1, 5)).toBeNull();
  });
});
