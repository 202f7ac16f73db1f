import type { Encounter } from '@countersign/shared';
import {
  CODER,
  REVIEWER,
  event,
  lineUpdated,
  makeEdits,
  makeEncounter,
  makeFinding,
  makeLine,
  makeSuggestion,
  statusChanged,
} from '../../../testing/encounter-fixtures';
import { RoomHarness } from '../../../testing/room-harness';
import { approvalBlockers } from './approval-gate';

// The first spec of a file compiles the whole page; on a busy machine that can take more than Jest's default 5 s.
jest.setTimeout(20_000);

describe('approvalBlockers', () => {
  const line = makeLine({ pointers: ['A'] });

  it('lists open suggestions, unreviewed and unpointed lines, open errors and unacknowledged warnings in the server’s words', () => {
    const unpointed = makeLine({ pointers: [] });
    const rejected = makeLine({
      pointers: [],
      review: { state: 'rejected', category: 'other', comment: 'No', by: REVIEWER },
    });
    const encounter = makeEncounter({
      lines: [line, unpointed, rejected],
      suggestions: [makeSuggestion(line), makeSuggestion(line)],
    });
    const warning = makeFinding([line.id], { id: 'w1', severity: 'warning' });
    const acked = makeFinding([line.id], { id: 'w2', severity: 'warning' });
    const edits = makeEdits(3, { findings: [makeFinding([line.id]), warning, acked] });
    const acknowledgements = new Map([
      ['w2', { findingId: 'w2', reason: 'Documented', by: CODER, at: '2026-01-01T11:00:00.000Z' }],
    ]);
    expect(approvalBlockers(encounter, edits, acknowledgements)).toEqual([
      '2 suggestions are not answered',
      'line 2 is not reviewed',
      'line 2 has no diagnosis pointer',
      '1 error finding is open',
      '1 warning is not acknowledged',
    ]);
  });

  it('is empty for a chart ready to approve', () => {
    const reviewed = makeLine({
      pointers: ['A'],
      review: { state: 'accepted', category: null, comment: null, by: REVIEWER },
    });
    expect(approvalBlockers(makeEncounter({ lines: [reviewed] }), makeEdits(3), new Map())).toEqual(
      [],
    );
  });
});

/** The gate banner follows the live chart: the real room and page, only the transport faked, fake timers. */
describe('The approval gate banner', () => {
  let room: RoomHarness;
  let encounter: Encounter;
  const line = makeLine({ code: '99213', pointers: ['A'] });
  const suggestion = makeSuggestion(line);

  beforeEach(async () => {
    jest.useFakeTimers();
    encounter = makeEncounter({
      status: 'in_review',
      version: 9,
      lines: [line],
      suggestions: [suggestion],
    });
    const finding = makeFinding([line.id]);
    room = await RoomHarness.open(
      encounter,
      'reviewer',
      undefined,
      makeEdits(9, { findings: [finding] }),
    );
    room.socket.answer('encounter:transition', () => ({
      ok: false,
      error: {
        code: 'invalid_state',
        message:
          'The chart cannot be approved yet: 1 suggestion is not answered; 1 error finding is open',
        details: { blockers: ['1 suggestion is not answered', '1 error finding is open'] },
      },
    }));
    room.one<HTMLButtonElement>('transition-approve').click();
    await room.settle();
  });

  afterEach(() => {
    room.fixture.destroy();
    jest.useRealTimers();
  });

  const banner = () => room.text(room.one('workflow-error').querySelector('span'));

  it('shows the server’s words, then drops each cause as it goes, and disappears when none is left', async () => {
    expect(banner()).toBe(
      'The chart cannot be approved yet: 1 suggestion is not answered; 1 error finding is open',
    );

    room.socket.push(
      'encounter:event',
      event(
        10,
        'suggestion.answered',
        {
          suggestionId: suggestion.id,
          status: 'accepted',
          answeredBy: CODER,
          line: {
            ...line,
            modifiers: ['25'],
            review: {
              state: 'accepted',
              category: suggestion.category,
              comment: null,
              by: REVIEWER,
            },
          },
          thread: null,
        },
        CODER,
      ),
    );
    await room.settle();
    expect(banner()).toBe('The chart cannot be approved yet: 1 error finding is open');

    room.socket.push('encounter:edits', makeEdits(10, { findings: [] }));
    await room.settle();
    expect(room.one('workflow-error')).toBeNull();
  });

  it('shows a new cause that appears while it is up', async () => {
    room.socket.push('encounter:event', lineUpdated(10, { ...line, pointers: [] }, CODER));
    await room.settle();
    expect(banner()).toBe(
      'The chart cannot be approved yet: 1 suggestion is not answered; line 1 has no diagnosis pointer; 1 error finding is open',
    );
  });

  it('goes when the chart leaves review', async () => {
    room.socket.push(
      'encounter:event',
      statusChanged(10, 'in_review', 'changes_requested', REVIEWER, 'Fix the modifiers'),
    );
    await room.settle();
    expect(room.one('workflow-error')).toBeNull();
  });

  it('can still be dismissed', async () => {
    room.one('workflow-error').querySelector('button')!.click();
    await room.settle();
    expect(room.one('workflow-error')).toBeNull();
  });
});
