import type { ClaimLine } from '../encounter/encounter.schema.js';
import { PENDING_REVIEW, type Suggestion } from '../review/review-state.schema.js';
import { precedentDraft } from './precedent-draft.js';

const line = (id: string, code: string, extra: Partial<ClaimLine> = {}): ClaimLine => ({
  id,
  code,
  modifiers: [],
  units: 1,
  pointers: ['A'],
  rationale: '',
  evidence: null,
  origin: 'coder',
  review: PENDING_REVIEW,
  submitted: true,
  ...extra,
});

const em = line('l-1', '99213', { modifiers: ['25'] });
const injection = line('l-2', '20610');
const rejected = line('l-3', '36415', {
  review: { state: 'rejected', category: 'unsupported', comment: 'No draw', by: null },
});

function suggestion(
  before: Suggestion['before'],
  proposed: Suggestion['proposed'],
): Pick<Suggestion, 'lineId' | 'before' | 'proposed' | 'threadId' | 'comment'> {
  return { lineId: em.id, before, proposed, threadId: 't-1', comment: 'Level is lower' };
}

const thread = {
  id: 't-1',
  lineId: em.id,
  suggestionId: 's-1',
  resolved: false,
  comments: [
    {
      id: 'c-1',
      author: { id: 'u', name: 'Casey' },
      body: 'MDM is moderate',
      mentions: [],
      at: 'x',
    },
    {
      id: 'c-2',
      author: { id: 'r', name: 'Riley' },
      body: 'Fair, two problems',
      mentions: [],
      at: 'y',
    },
  ],
};
const chart = { lines: [em, injection, rejected], threads: [thread] };

describe(precedentDraft.name, () => {
  it('asks the question of a level dispute beside the other billed codes, and says what stands', () => {
    const s = suggestion(
      { code: '99213', modifiers: ['25'], units: 1, pointers: ['A'] },
      { code: '99212', modifiers: ['25'], units: 1, pointers: ['A'] },
    );
    expect(precedentDraft(chart, s, 'upheld', 'Straightforward MDM')).toEqual({
      question: 'Should 99213-25 be billed as 99212-25 beside 20610?',
      codes: ['99213', '99212'],
      modifiers: [],
      decision: '99212-25 stands beside 20610',
      reasoning: 'Straightforward MDM',
    });
    expect(precedentDraft(chart, s, 'overruled', 'Moderate MDM').decision).toBe(
      '99213-25 stands beside 20610',
    );
  });

  it('keeps the other billed codes for a modifier dispute on one code, and the modifier that differs', () => {
    const s = suggestion(
      { code: '99213', modifiers: [], units: 1, pointers: ['A'] },
      { code: '99213', modifiers: ['25'], units: 1, pointers: ['A'] },
    );
    const draft = precedentDraft(chart, s, 'withdrawn', null);
    expect(draft.codes).toEqual(['99213', '20610']);
    expect(draft.modifiers).toEqual(['25']);
    expect(draft.question).toBe('Should 99213 be billed as 99213-25 beside 20610?');
    expect(draft.decision).toBe('99213 stands beside 20610');
  });

  it('takes the reasoning from the dispute thread’s last comment, else the suggestion’s comment', () => {
    const s = suggestion(
      { code: '99213', modifiers: ['25'], units: 1, pointers: ['A'] },
      { code: '99212', modifiers: ['25'], units: 1, pointers: ['A'] },
    );
    expect(precedentDraft(chart, s, 'accepted', null).reasoning).toBe('Fair, two problems');
    expect(precedentDraft({ ...chart, threads: [] }, s, 'accepted', null).reasoning).toBe(
      'Level is lower',
    );
  });

  it('names the units when the units were in question', () => {
    const s = suggestion(
      { code: '97110', modifiers: [], units: 3, pointers: ['A'] },
      { code: '97110', modifiers: [], units: 2, pointers: ['A'] },
    );
    const draft = precedentDraft({ lines: [line('l-1', '97110')], threads: [] }, s, 'upheld', 'x');
    expect(draft.question).toBe('Should 97110 × 3 be billed as 97110 × 2?');
    expect(draft.codes).toEqual(['97110']);
    expect(draft.decision).toBe('97110 × 2 stands');
  });
});
