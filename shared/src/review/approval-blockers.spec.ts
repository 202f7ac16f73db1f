import type { ClaimLine } from '../encounter/encounter.schema.js';
import { reviewBlockers } from './approval-blockers.js';
import { PENDING_REVIEW, type Suggestion, type SuggestionStatus } from './review-state.schema.js';

const reviewer = { id: 'u-r', name: 'Riley Reviewer' };
const accepted = { state: 'accepted' as const, category: null, comment: null, by: reviewer };

const line = (id: string, review: ClaimLine['review'] = accepted): ClaimLine => ({
  id,
  code: '99213',
  modifiers: [],
  units: 1,
  pointers: ['A'],
  rationale: '',
  evidence: null,
  origin: 'coder',
  review,
  submitted: true,
});

const suggestion = (lineId: string, status: SuggestionStatus): Suggestion => ({
  id: `s-${lineId}`,
  lineId,
  author: reviewer,
  before: { code: '99213', modifiers: [], units: 1, pointers: ['A'] },
  proposed: { code: '99212', modifiers: [], units: 1, pointers: ['A'] },
  category: 'wrong-level',
  comment: '',
  status,
  answeredBy: null,
  threadId: null,
  createdAt: 'x',
  escalation: null,
  decision: null,
  precedent: null,
});

describe(reviewBlockers.name, () => {
  it('lets a chart whose every line is reviewed and every dispute settled through', () => {
    const rejected = { ...accepted, state: 'rejected' as const, category: 'unsupported' as const };
    const chart = {
      lines: [line('1'), line('2', rejected), line('3')],
      suggestions: [suggestion('1', 'upheld'), suggestion('3', 'overruled')],
    };
    expect(reviewBlockers(chart)).toEqual([]);
  });

  it('names the lines nobody reviewed', () => {
    expect(
      reviewBlockers({ lines: [line('1'), line('2', PENDING_REVIEW)], suggestions: [] }),
    ).toEqual(['line 2 is not reviewed']);
    expect(
      reviewBlockers({
        lines: [line('1', PENDING_REVIEW), line('2', PENDING_REVIEW), line('3', PENDING_REVIEW)],
        suggestions: [],
      }),
    ).toEqual(['lines 1, 2 and 3 are not reviewed']);
  });

  it('says what an open dispute and an escalated one wait for, without counting their lines twice', () => {
    const chart = {
      lines: [line('1', PENDING_REVIEW), line('2', PENDING_REVIEW), line('3', PENDING_REVIEW)],
      suggestions: [suggestion('1', 'disputed'), suggestion('2', 'escalated')],
    };
    expect(reviewBlockers(chart)).toEqual([
      '1 dispute is open: withdraw the suggestion, or escalate it to a supervisor',
      '1 dispute is waiting for a supervisor’s decision',
      'line 3 is not reviewed',
    ]);
  });
});
