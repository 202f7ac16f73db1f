import { PENDING_REVIEW, type Suggestion } from '../review/review-state.schema.js';
import {
  applyEncounterEvent,
  applyEncounterEvents,
  encounterAt,
  EventSequenceError,
  updatedAtAfter,
  type EncounterEvent,
} from './encounter-events.js';
import type { ClaimLine, Encounter } from './encounter.schema.js';

const actor = { id: '00000000-0000-4000-8000-000000000001', name: 'Casey Coder' };
const encounterId = '00000000-0000-4000-8000-0000000000e1';

function baseEncounter(): Encounter {
  return {
    id: encounterId,
    organizationId: '00000000-0000-4000-8000-0000000000a1',
    patient: { mrn: 'MRN1', name: 'Pat Example', dateOfBirth: '1970-01-01' },
    dateOfService: '2026-03-02',
    provider: { name: 'Dr Example', npi: null },
    placeOfService: '11',
    clinicalNote: 'Note',
    diagnoses: ['E119'],
    lines: [],
    suggestions: [],
    threads: [],
    acknowledgements: [],
    status: 'draft',
    coder: null,
    reviewer: null,
    codedBy: [],
    version: 1,
    createdAt: '2026-03-02T10:00:00.000Z',
    updatedAt: '2026-03-02T10:00:00.000Z',
  };
}

const line = (id: string, code: string): ClaimLine => ({
  id,
  code,
  modifiers: [],
  units: 1,
  pointers: ['A'],
  rationale: '',
  evidence: null,
  origin: 'coder',
  review: PENDING_REVIEW,
  submitted: false,
});

function event<E extends EncounterEvent>(
  e: Omit<E, 'encounterId' | 'actor' | 'at' | 'opId'>,
): EncounterEvent {
  return {
    ...e,
    encounterId,
    actor,
    opId: null,
    at: `2026-03-02T10:00:0${e.seq}.000Z`,
  } as EncounterEvent;
}

describe(applyEncounterEvent.name, () => {
  it('adds, updates and removes lines in order and advances the version', () => {
    const l1 = line('00000000-0000-4000-8000-000000000101', '99213');
    const l2 = line('00000000-0000-4000-8000-000000000102', '20610');
    const state = applyEncounterEvents(baseEncounter(), [
      event({ seq: 2, type: 'line.added', payload: { line: l1, index: 0 } }),
      event({ seq: 3, type: 'line.added', payload: { line: l2, index: 0 } }),
      event({ seq: 4, type: 'line.updated', payload: { line: { ...l1, modifiers: ['25'] } } }),
      event({
        seq: 5,
        type: 'encounter.updated',
        payload: { changes: { diagnoses: ['E119', 'M1711'] } },
      }),
      event({ seq: 6, type: 'line.removed', payload: { lineId: l2.id } }),
    ]);
    expect(state.version).toBe(6);
    // All within ten seconds of the last change: updatedAt stays (see updatedAtAfter).
    expect(state.updatedAt).toBe('2026-03-02T10:00:00.000Z');
    expect(state.lines).toEqual([{ ...l1, modifiers: ['25'] }]);
    expect(state.diagnoses).toEqual(['E119', 'M1711']);
  });

  it('moves updatedAt to an event ten seconds or more after the last change, to the millisecond', () => {
    const last = '2026-03-02T10:00:00.000Z';
    expect(updatedAtAfter(last, '2026-03-02T10:00:09.999Z')).toBe(last);
    expect(updatedAtAfter(last, '2026-03-02T10:00:10.000Z')).toBe('2026-03-02T10:00:10.000Z');
    const state = applyEncounterEvent(
      baseEncounter(),
      event({ seq: 2, type: 'line.removed', payload: { lineId: encounterId } }),
    );
    expect(state.updatedAt).toBe(last);
    const later = applyEncounterEvent(state, {
      ...event({ seq: 3, type: 'line.removed', payload: { lineId: encounterId } }),
      at: '2026-03-02T10:00:12.000Z',
    });
    expect(later.updatedAt).toBe('2026-03-02T10:00:12.000Z');
  });

  it('does not mutate the state it is given', () => {
    const before = baseEncounter();
    const snapshot = structuredClone(before);
    applyEncounterEvent(
      before,
      event({
        seq: 2,
        type: 'line.added',
        payload: { line: line(encounterId, '99213'), index: 0 },
      }),
    );
    expect(before).toEqual(snapshot);
  });

  it('refuses an event that skips or repeats a sequence number', () => {
    const skip = event({ seq: 3, type: 'line.removed', payload: { lineId: encounterId } });
    expect(() => applyEncounterEvent(baseEncounter(), skip)).toThrow(EventSequenceError);
    const repeat = event({ seq: 1, type: 'line.removed', payload: { lineId: encounterId } });
    expect(() => applyEncounterEvent(baseEncounter(), repeat)).toThrow(
      'Expected event 2, received 1',
    );
  });
});

describe('review events', () => {
  const reviewer = { id: '00000000-0000-4000-8000-000000000002', name: 'Riley Reviewer' };
  const l1 = line('00000000-0000-4000-8000-000000000101', '99213');
  const l2 = line('00000000-0000-4000-8000-000000000102', '20610');
  const suggestion: Suggestion = {
    id: '00000000-0000-4000-8000-000000000201',
    lineId: l1.id,
    author: reviewer,
    before: { code: '99213', modifiers: [], units: 1, pointers: ['A'] },
    proposed: { code: '99213', modifiers: ['25'], units: 1, pointers: ['A'] },
    category: 'missing-modifier',
    comment: 'Separate E/M',
    status: 'open',
    answeredBy: null,
    threadId: null,
    createdAt: '2026-03-02T10:00:00.000Z',
    escalation: null,
    decision: null,
    precedent: null,
    citedPrecedent: null,
  };
  const inReview = (): Encounter => ({
    ...baseEncounter(),
    lines: [l1, l2],
    status: 'in_review',
    reviewer,
  });

  it('records line reviews, suggestions and their answers, threads and status changes', () => {
    const thread = {
      id: '00000000-0000-4000-8000-000000000301',
      lineId: l2.id,
      suggestionId: null,
      resolved: false,
      comments: [],
    };
    const comment = {
      id: '00000000-0000-4000-8000-000000000401',
      author: actor,
      body: 'Why?',
      mentions: [reviewer.id],
      at: 'x',
    };
    const state = applyEncounterEvents(inReview(), [
      event({
        seq: 2,
        type: 'line.reviewed',
        payload: {
          lineId: l2.id,
          review: { state: 'rejected', category: 'unsupported', comment: 'No note', by: reviewer },
        },
      }),
      event({ seq: 3, type: 'suggestion.made', payload: { suggestion } }),
      event({
        seq: 4,
        type: 'suggestion.answered',
        payload: {
          suggestionId: suggestion.id,
          status: 'accepted',
          answeredBy: actor,
          line: { ...l1, modifiers: ['25'] },
          thread: null,
        },
      }),
      event({ seq: 5, type: 'thread.opened', payload: { thread } }),
      event({ seq: 6, type: 'comment.added', payload: { threadId: thread.id, comment } }),
      event({ seq: 7, type: 'thread.resolved', payload: { threadId: thread.id, resolved: true } }),
      event({
        seq: 8,
        type: 'status.changed',
        payload: { from: 'in_review', to: 'approved', reason: null, reviewer: null },
      }),
    ]);
    expect(state.lines[1]?.review.state).toBe('rejected');
    expect(state.lines[0]?.modifiers).toEqual(['25']);
    expect(state.suggestions).toEqual([{ ...suggestion, status: 'accepted', answeredBy: actor }]);
    expect(state.threads).toEqual([{ ...thread, resolved: true, comments: [comment] }]);
    expect(state.status).toBe('approved');
    expect(state.reviewer).toEqual(reviewer);
  });

  it('opens a thread when a suggestion is disputed', () => {
    const thread = {
      id: '00000000-0000-4000-8000-000000000302',
      lineId: l1.id,
      suggestionId: suggestion.id,
      resolved: false,
      comments: [],
    };
    const state = applyEncounterEvents(inReview(), [
      event({ seq: 2, type: 'suggestion.made', payload: { suggestion } }),
      event({
        seq: 3,
        type: 'suggestion.answered',
        payload: {
          suggestionId: suggestion.id,
          status: 'disputed',
          answeredBy: actor,
          line: null,
          thread,
        },
      }),
    ]);
    expect(state.suggestions[0]).toMatchObject({ status: 'disputed', threadId: thread.id });
    expect(state.threads).toEqual([thread]);
    expect(state.lines).toEqual([l1, l2]);
  });

  it('gives a suggestion logged before escalations existed no escalation, decision or precedent', () => {
    const {
      escalation: _e,
      decision: _d,
      precedent: _p,
      citedPrecedent: _c,
      ...older
    } = suggestion;
    const state = applyEncounterEvent(
      inReview(),
      event({
        seq: 2,
        type: 'suggestion.made',
        payload: { suggestion: older as Suggestion },
      }),
    );
    // Strict: a field missing (undefined) where the shape says null would fail here.
    expect(state.suggestions).toStrictEqual([suggestion]);
  });

  it('escalates a dispute, then a supervisor’s decision settles it with its precedent', () => {
    const supervisor = { id: '00000000-0000-4000-8000-000000000003', name: 'Sam Supervisor' };
    const escalation = { by: reviewer, comment: 'We disagree', at: 'x' };
    const decision = {
      decision: 'uphold' as const,
      reason: 'Separate procedure',
      by: supervisor,
      at: 'y',
    };
    const corrected: ClaimLine = {
      ...l1,
      modifiers: ['25'],
      review: { state: 'accepted', category: 'missing-modifier', comment: null, by: supervisor },
    };
    const precedent = { id: '00000000-0000-4000-8000-000000000501', number: 12 };
    const escalated = applyEncounterEvents(inReview(), [
      event({ seq: 2, type: 'suggestion.made', payload: { suggestion } }),
      event({
        seq: 3,
        type: 'suggestion.escalated',
        payload: { suggestionId: suggestion.id, escalation },
      }),
    ]);
    expect(escalated.suggestions[0]).toMatchObject({ status: 'escalated', escalation });
    const decided = applyEncounterEvent(
      escalated,
      event({
        seq: 4,
        type: 'suggestion.decided',
        payload: {
          suggestionId: suggestion.id,
          status: 'upheld',
          decision,
          line: corrected,
          precedent,
        },
      }),
    );
    expect(decided.suggestions[0]).toMatchObject({ status: 'upheld', decision, precedent });
    expect(decided.lines).toEqual([corrected, l2]);
  });

  it('records the precedent of a dispute the reviewer withdrew', () => {
    const precedent = { id: '00000000-0000-4000-8000-000000000502', number: 3 };
    const state = applyEncounterEvents(inReview(), [
      event({ seq: 2, type: 'suggestion.made', payload: { suggestion } }),
      event({
        seq: 3,
        type: 'suggestion.answered.v2',
        payload: {
          suggestionId: suggestion.id,
          status: 'withdrawn',
          answeredBy: reviewer,
          line: null,
          thread: null,
          precedent,
        },
      }),
    ]);
    expect(state.suggestions[0]).toMatchObject({ status: 'withdrawn', precedent });
    expect(state.lines).toEqual([l1, l2]);
  });
});

describe('codedBy', () => {
  it('names whoever added a coder line, changed or removed a line, not a reviewer adding a missed line or reviewing', () => {
    const l1 = line('00000000-0000-4000-8000-000000000301', '99213');
    const reviewerActor = { id: '00000000-0000-4000-8000-000000000009', name: 'Riley Reviewer' };
    const otherCoder = { id: '00000000-0000-4000-8000-000000000008', name: 'Other Coder' };
    const state = applyEncounterEvents(baseEncounter(), [
      event({ seq: 2, type: 'line.added', payload: { line: l1, index: 0 } }),
      {
        ...event({
          seq: 3,
          type: 'line.added',
          payload: {
            line: { ...l1, id: '00000000-0000-4000-8000-000000000302', origin: 'reviewer' },
            index: 1,
          },
        }),
        actor: reviewerActor,
      },
      {
        ...event({
          seq: 4,
          type: 'line.reviewed',
          payload: { lineId: l1.id, review: PENDING_REVIEW },
        }),
        actor: reviewerActor,
      },
      {
        ...event({ seq: 5, type: 'line.updated', payload: { line: { ...l1, units: 2 } } }),
        actor: otherCoder,
      },
      event({ seq: 6, type: 'line.removed', payload: { lineId: l1.id } }),
    ]);
    expect(state.codedBy).toEqual([actor.id, otherCoder.id]);
  });
});

describe('submitting', () => {
  it('marks every line as submitted, so it stays on the record', () => {
    const l1 = line('00000000-0000-4000-8000-000000000101', '99213');
    const state = applyEncounterEvent(
      { ...baseEncounter(), lines: [l1] },
      event({
        seq: 2,
        type: 'status.changed',
        payload: { from: 'draft', to: 'submitted', reason: null, reviewer: null },
      }),
    );
    expect(state.lines).toEqual([{ ...l1, submitted: true }]);
  });
});

describe(encounterAt.name, () => {
  it('shows the chart as it stood after any event', () => {
    const created = { ...baseEncounter() };
    const l1 = line('00000000-0000-4000-8000-000000000101', '99213');
    const log: EncounterEvent[] = [
      {
        encounterId,
        seq: 1,
        type: 'encounter.created',
        actor,
        payload: { encounter: created },
        opId: null,
        at: created.createdAt,
      },
      event({ seq: 2, type: 'line.added', payload: { line: l1, index: 0 } }),
      event({ seq: 3, type: 'line.removed', payload: { lineId: l1.id } }),
    ];
    expect(encounterAt(log, 1).lines).toEqual([]);
    expect(encounterAt(log, 2).lines).toEqual([l1]);
    expect(encounterAt(log, 3)).toMatchObject({ version: 3, lines: [] });
  });
});

describe('assignment', () => {
  const reviewer = { id: '00000000-0000-4000-8000-000000000002', name: 'Riley Reviewer' };

  it('sets only the people an assignment names, and null unassigns', () => {
    const claimed = applyEncounterEvent(
      baseEncounter(),
      event({ seq: 2, type: 'assignment.changed', payload: { how: 'claimed', coder: actor } }),
    );
    expect(claimed).toMatchObject({ coder: actor, reviewer: null, version: 2, codedBy: [] });
    const routed = applyEncounterEvent(
      claimed,
      event({ seq: 3, type: 'assignment.changed', payload: { how: 'routed', reviewer } }),
    );
    expect(routed).toMatchObject({ coder: actor, reviewer });
    const cleared = applyEncounterEvent(
      routed,
      event({ seq: 4, type: 'assignment.changed', payload: { how: 'assigned', coder: null } }),
    );
    expect(cleared).toMatchObject({ coder: null, reviewer });
  });

  it('takes the reviewer a submit was routed to', () => {
    const state = applyEncounterEvent(
      { ...baseEncounter(), coder: actor },
      event({
        seq: 2,
        type: 'status.changed',
        payload: { from: 'draft', to: 'submitted', reason: null, reviewer },
      }),
    );
    expect(state).toMatchObject({ status: 'submitted', reviewer });
  });
});
