import {
  REVIEWER,
  makeEncounter,
  makeLine,
  makeSuggestion,
} from '../../../testing/encounter-fixtures';
import { RoomHarness } from '../../../testing/room-harness';
import { LineDetail } from './line-detail';

describe(LineDetail.name, () => {
  const bare = makeLine({ code: '99213' });
  const supported = makeLine({
    code: '20610',
    rationale: 'Knee injection',
    evidence: { start: 0, end: 16, quote: 'Right knee pain ' },
  });
  const rejected = makeLine({
    code: '73562',
    review: { state: 'rejected', category: 'unsupported', comment: 'No film read', by: REVIEWER },
  });
  const missed = makeLine({
    code: 'J3301',
    origin: 'reviewer',
    review: { state: 'accepted', category: 'missed-code', comment: 'Drug supply', by: REVIEWER },
  });
  const suggested = makeLine({ code: '99214' });
  let room: RoomHarness;

  beforeEach(async () => {
    room = await RoomHarness.open(
      makeEncounter({
        status: 'in_review',
        version: 12,
        lines: [bare, supported, rejected, missed, suggested],
        suggestions: [makeSuggestion(suggested, { author: REVIEWER })],
      }),
      'coder',
    );
  });

  it('shows under a line only when there is something to show', () => {
    expect(room.detail(bare.id)).toBeNull();
    for (const line of [supported, rejected, missed, suggested])
      expect(room.detail(line.id)).not.toBeNull();
  });

  it('shows the rationale and the evidence, which lights the line up in the note', async () => {
    const detail = room.detail(supported.id);
    expect(room.text(room.one('line-rationale', detail))).toBe('Knee injection');
    room.one<HTMLButtonElement>('line-evidence', detail).click();
    await room.settle();
    expect(room.row(supported.id).classList).toContain('line--active');
  });

  it('shows a rejection with its category, comment and reviewer, and a missed line’s comment', () => {
    expect(room.text(room.one('rejection', room.detail(rejected.id)))).toBe(
      'Rejected · Not supported by documentation — No film read Riley Reviewer',
    );
    expect(room.text(room.detail(missed.id))).toBe('Missed code — Drug supply Riley Reviewer');
  });

  it('shows a line’s open suggestion as a card', () => {
    expect(room.one('suggestion', room.detail(suggested.id))).not.toBeNull();
  });
});
