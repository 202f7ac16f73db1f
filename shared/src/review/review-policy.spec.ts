import { ENCOUNTER_STATUSES, type EncounterStatus } from '../encounter/encounter.schema.js';
import {
  ENCOUNTER_ACTIONS,
  createRefusal,
  organizationRefusal,
  refusal,
  type EncounterAction,
  type PolicyActor,
  type PolicySubject,
} from './review-policy.js';

const coder = { id: 'u-coder', name: 'Casey Coder' };
const reviewer = { id: 'u-reviewer', name: 'Riley Reviewer' };

/** Who tries: the assigned coder, another coder, the assigned reviewer, another reviewer, a supervisor, an admin, the instance operator. */
const ACTORS: Record<string, PolicyActor> = {
  'assigned coder': { id: coder.id, role: 'coder' },
  'other coder': { id: 'u-coder-2', role: 'coder' },
  'assigned reviewer': { id: reviewer.id, role: 'reviewer' },
  'other reviewer': { id: 'u-reviewer-2', role: 'reviewer' },
  supervisor: { id: 'u-supervisor', role: 'supervisor' },
  admin: { id: 'u-admin', role: 'admin' },
  operator: { id: 'u-operator', role: 'operator' },
};

type Who = keyof typeof ACTORS;
const C: Who[] = ['assigned coder'];
const R: Who[] = ['assigned reviewer'];
const S: Who[] = ['supervisor'];
const ALL = Object.keys(ACTORS);

/**
 * The expected table: for each action, who may do it in which states. Everything not listed
 * is refused. A reviewer may start the review of a submitted chart when no reviewer is assigned.
 */
const ALLOWED: Record<EncounterAction, Partial<Record<EncounterStatus, Who[]>>> = {
  'encounter.edit': { draft: C, changes_requested: C },
  'encounter.assign': Object.fromEntries(
    (['draft', 'submitted', 'in_review', 'changes_requested', 'approved'] as const).map((s) => [
      s,
      ['supervisor', 'admin', 'operator'],
    ]),
  ),
  // The table's chart has a coder, so nobody can claim it (claiming an unassigned one: below).
  'encounter.claim': {},
  'line.add': { draft: C, changes_requested: C },
  'line.edit': { draft: C, changes_requested: C },
  'line.remove': { draft: C, changes_requested: C },
  submit: { draft: C, changes_requested: C },
  'review.start': { submitted: R },
  'review.accept': { in_review: R },
  'review.reject': { in_review: R },
  'review.suggest': { in_review: R },
  'review.add-missed': { in_review: R },
  'suggestion.withdraw': { in_review: R },
  'suggestion.answer': { in_review: C, changes_requested: C },
  'suggestion.escalate': { in_review: [...C, ...R], changes_requested: [...C, ...R] },
  'suggestion.decide': { in_review: S, changes_requested: S },
  approve: { in_review: R },
  'request-changes': { in_review: R },
  'sign-off': { approved: S },
  reopen: { approved: S, signed_off: S },
  comment: { draft: ALL, submitted: ALL, in_review: ALL, changes_requested: ALL, approved: ALL },
  'thread.resolve': {
    draft: ALL,
    submitted: ALL,
    in_review: ALL,
    changes_requested: ALL,
    approved: ALL,
  },
  'finding.acknowledge': {
    draft: [...C, ...R],
    changes_requested: [...C, ...R],
    in_review: [...C, ...R],
  },
};

const cases = ENCOUNTER_ACTIONS.flatMap((action) =>
  ENCOUNTER_STATUSES.flatMap((status) =>
    Object.keys(ACTORS).map((who) => [action, status, who] as const),
  ),
);

describe('role x state x action', () => {
  it.each(cases)('%s in %s by %s', (action, status, who) => {
    const subject = { status, coder, reviewer, codedBy: [coder.id] };
    const allowed = ALLOWED[action][status]?.includes(who) ?? false;
    const answer = refusal(action, ACTORS[who]!, subject);
    if (allowed) {
      expect(answer).toBeNull();
    } else {
      expect(answer).not.toBeNull();
      expect(answer!.message.length).toBeGreaterThan(10);
    }
  });

  it('lets any reviewer but the coder start the review of a chart with no reviewer yet', () => {
    const subject = { status: 'submitted' as const, coder, reviewer: null, codedBy: [coder.id] };
    expect(refusal('review.start', ACTORS['other reviewer']!, subject)).toBeNull();
    expect(refusal('review.start', { id: coder.id, role: 'reviewer' }, subject)).toEqual({
      code: 'forbidden',
      message: 'You coded this chart, so another reviewer must start the review',
    });
  });

  it('says forbidden for the wrong person and invalid_state for the wrong moment', () => {
    expect(
      refusal('approve', ACTORS['assigned coder']!, {
        status: 'in_review',
        coder,
        reviewer,
        codedBy: [],
      })?.code,
    ).toBe('forbidden');
    expect(
      refusal('approve', ACTORS['assigned reviewer']!, {
        status: 'draft',
        coder,
        reviewer,
        codedBy: [],
      }),
    ).toEqual({
      code: 'invalid_state',
      message: 'You cannot approve the chart while the chart is a draft',
    });
    expect(
      refusal('line.add', ACTORS['assigned coder']!, {
        status: 'draft',
        coder: null,
        reviewer: null,
        codedBy: [],
      })?.message,
    ).toBe('Assign a coder to the chart before anyone can add lines');
  });
});

describe('claiming', () => {
  const unassigned = { status: 'draft' as const, coder: null, reviewer: null, codedBy: [] };

  it('lets a coder, and only a coder, claim a draft nobody codes', () => {
    expect(refusal('encounter.claim', ACTORS['other coder']!, unassigned)).toBeNull();
    for (const who of ['assigned reviewer', 'supervisor', 'admin'])
      expect(refusal('encounter.claim', ACTORS[who]!, unassigned)).toEqual({
        code: 'forbidden',
        message: 'Only a coder can claim the chart',
      });
  });

  it('names who claimed it first', () => {
    const claimed = { ...unassigned, coder };
    expect(refusal('encounter.claim', ACTORS['other coder']!, claimed)?.message).toBe(
      'Casey Coder has already claimed this chart',
    );
    expect(refusal('encounter.claim', ACTORS['assigned coder']!, claimed)?.message).toBe(
      'The chart is already yours',
    );
  });

  it('is for drafts only', () => {
    expect(
      refusal('encounter.claim', ACTORS['other coder']!, { ...unassigned, status: 'submitted' })
        ?.code,
    ).toBe('invalid_state');
  });
});

describe('separation of duties', () => {
  const author = { id: 'u-author', name: 'Alex Author' };
  const REVIEW_ACTIONS: EncounterAction[] = [
    'review.accept',
    'review.reject',
    'review.suggest',
    'review.add-missed',
    'approve',
    'request-changes',
  ];

  it('keeps whoever wrote the lines from reviewing them after the chart is reassigned to another coder', () => {
    // The author was a coder who later became a reviewer; the chart now names someone else as coder.
    const actor: PolicyActor = { id: author.id, role: 'reviewer' };
    const assignedToAuthor: PolicySubject = {
      status: 'in_review',
      coder,
      reviewer: author,
      codedBy: [author.id],
    };
    for (const action of REVIEW_ACTIONS) {
      expect(refusal(action, actor, assignedToAuthor)).toEqual({
        code: 'forbidden',
        message: expect.stringContaining('You coded this chart'),
      });
    }
    expect(
      refusal('review.start', actor, {
        status: 'submitted',
        coder,
        reviewer: null,
        codedBy: [author.id],
      })?.code,
    ).toBe('forbidden');
  });

  it('lets a reviewer who wrote nothing review the same chart', () => {
    const subject: PolicySubject = {
      status: 'in_review',
      coder,
      reviewer,
      codedBy: [coder.id, author.id],
    };
    for (const action of REVIEW_ACTIONS)
      expect(refusal(action, ACTORS['assigned reviewer']!, subject)).toBeNull();
  });

  it('keeps a supervisor from signing off a chart they coded or wrote lines on', () => {
    const supervisor = { id: 'u-supervisor', name: 'Sam Supervisor' };
    const actor = ACTORS.supervisor!;
    expect(
      refusal('sign-off', actor, { status: 'approved', coder: supervisor, reviewer, codedBy: [] }),
    ).toEqual({
      code: 'forbidden',
      message: 'You coded this chart, so another supervisor must sign the chart off',
    });
    expect(
      refusal('sign-off', actor, {
        status: 'approved',
        coder,
        reviewer,
        codedBy: [coder.id, supervisor.id],
      })?.code,
    ).toBe('forbidden');
    expect(
      refusal('sign-off', actor, { status: 'approved', coder, reviewer, codedBy: [coder.id] }),
    ).toBeNull();
  });

  it('lets only a supervisor who wrote none of the lines decide a dispute', () => {
    const supervisor = { id: 'u-supervisor', name: 'Sam Supervisor' };
    const subject: PolicySubject = {
      status: 'in_review',
      coder,
      reviewer,
      codedBy: [coder.id, supervisor.id],
    };
    expect(refusal('suggestion.decide', ACTORS.supervisor!, subject)).toEqual({
      code: 'forbidden',
      message: 'You coded this chart, so another supervisor must decide a dispute',
    });
    expect(refusal('suggestion.decide', ACTORS['assigned coder']!, subject)).toEqual({
      code: 'forbidden',
      message: 'Only a supervisor can decide a dispute',
    });
  });

  it('keeps a reviewer who wrote lines from escalating as the reviewer', () => {
    const actor: PolicyActor = { id: author.id, role: 'reviewer' };
    expect(
      refusal('suggestion.escalate', actor, {
        status: 'in_review',
        coder,
        reviewer: author,
        codedBy: [author.id],
      })?.code,
    ).toBe('forbidden');
  });
});

describe(createRefusal.name, () => {
  it.each([
    ['assigned coder', { coderId: null, reviewerId: null }, null],
    ['assigned coder', { coderId: coder.id, reviewerId: null }, null],
    [
      'assigned coder',
      { coderId: 'u-coder-2', reviewerId: null },
      'Only a supervisor or an admin can assign the chart to another coder',
    ],
    [
      'assigned coder',
      { coderId: coder.id, reviewerId: reviewer.id },
      'Only a supervisor or an admin can assign the chart’s reviewer',
    ],
    [
      'assigned reviewer',
      { coderId: null, reviewerId: reviewer.id },
      'Only a supervisor or an admin can assign the chart’s reviewer',
    ],
    ['supervisor', { coderId: coder.id, reviewerId: reviewer.id }, null],
    ['admin', { coderId: coder.id, reviewerId: reviewer.id }, null],
    [
      'supervisor',
      { coderId: reviewer.id, reviewerId: reviewer.id },
      'The chart’s coder cannot also be its reviewer',
    ],
  ] as const)('%s creating with %j', (who, assignment, message) => {
    const answer = createRefusal(ACTORS[who]!, assignment);
    expect(answer).toEqual(message === null ? null : { code: 'forbidden', message });
  });
});

describe('organizationRefusal', () => {
  it.each([
    ['assigned coder', false],
    ['assigned reviewer', false],
    ['supervisor', true],
    ['admin', true],
    ['operator', true],
  ] as const)('precedent.edit by %s: allowed %s', (who, allowed) => {
    expect(organizationRefusal('precedent.edit', ACTORS[who]!)).toEqual(
      allowed
        ? null
        : {
            code: 'forbidden',
            message: 'Only a supervisor or an admin can edit, retire or reactivate a precedent',
          },
    );
  });
});
