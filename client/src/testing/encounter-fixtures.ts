import {
  PENDING_REVIEW,
  type ClaimLine,
  type Comment,
  type Encounter,
  type EncounterChanges,
  type EncounterEvent,
  type EncounterEventPayloads,
  type EncounterEventType,
  type EncounterStatus,
  type EncounterSummary,
  type FeeEstimate,
  type Finding,
  type LiveEdits,
  type PresenceMember,
  type SessionUser,
  type Suggestion,
  type Thread,
  type UserRef,
} from '@countersign/shared';

/** Test data: a small encounter and the events that change it. */
export const ENCOUNTER_ID = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
export const ORGANIZATION_ID = '33333333-3333-4333-8333-333333333333';
export const CODER: UserRef = { id: '11111111-1111-4111-8111-111111111111', name: 'Casey Coder' };
export const REVIEWER: UserRef = {
  id: '22222222-2222-4222-8222-222222222222',
  name: 'Riley Reviewer',
};
export const SUPERVISOR: UserRef = {
  id: '44444444-4444-4444-8444-444444444444',
  name: 'Sam Supervisor',
};

export const CODER_PRESENCE: PresenceMember = {
  userId: CODER.id,
  name: CODER.name,
  role: 'coder',
  focusLineId: null,
};
export const REVIEWER_PRESENCE: PresenceMember = {
  userId: REVIEWER.id,
  name: REVIEWER.name,
  role: 'reviewer',
  focusLineId: null,
};

/** The signed-in person of a spec, by role. */
export function sessionUser(role: 'coder' | 'reviewer' | 'supervisor'): SessionUser {
  const ref = role === 'coder' ? CODER : role === 'reviewer' ? REVIEWER : SUPERVISOR;
  return {
    ...ref,
    email: `${role}@riverside.example`,
    role,
    organizationId: ORGANIZATION_ID,
    organizationName: 'Riverside Orthopedics & Family Medicine',
  };
}

let counter = 0;

/** A fresh uuid-shaped id with a readable prefix. */
export function makeId(prefix = 'aaaaaaaa'): string {
  counter++;
  return `${prefix}-bbbb-4ccc-8ddd-${counter.toString(16).padStart(12, '0')}`;
}

/** A claim line with a fresh uuid. */
export function makeLine(overrides: Partial<ClaimLine> = {}): ClaimLine {
  return {
    id: makeId(),
    code: '99213',
    modifiers: [],
    units: 1,
    pointers: ['A'],
    rationale: '',
    evidence: null,
    origin: 'coder',
    review: PENDING_REVIEW,
    submitted: false,
    ...overrides,
  };
}

export function makeEncounter(overrides: Partial<Encounter> = {}): Encounter {
  return {
    id: ENCOUNTER_ID,
    organizationId: ORGANIZATION_ID,
    patient: { mrn: 'CS-100231', name: 'Gregory Halvorsen', dateOfBirth: '1971-03-08' },
    dateOfService: '2025-10-14',
    provider: { name: 'Samuel Ridgeway, MD', npi: '1748203654' },
    placeOfService: '11',
    clinicalNote: 'Right knee pain for three weeks.\nNo trauma.',
    diagnoses: ['M25561', 'E119'],
    lines: [makeLine({ code: '99203', pointers: ['A'] })],
    suggestions: [],
    threads: [],
    acknowledgements: [],
    status: 'draft',
    purpose: 'claim',
    coder: CODER,
    reviewer: REVIEWER,
    codedBy: [CODER.id],
    version: 3,
    createdAt: '2026-01-01T10:00:00.000Z',
    updatedAt: '2026-01-01T10:00:00.000Z',
    ...overrides,
  };
}

/** The worklist row of an encounter. */
export function makeSummary(overrides: Partial<Encounter> = {}): EncounterSummary {
  const {
    clinicalNote: _note,
    lines,
    suggestions: _s,
    threads: _t,
    acknowledgements: _a,
    organizationId: _org,
    ...rest
  } = makeEncounter(overrides);
  return { ...rest, lineCount: lines.length };
}

export function makeSuggestion(line: ClaimLine, overrides: Partial<Suggestion> = {}): Suggestion {
  const before = {
    code: line.code,
    modifiers: line.modifiers,
    units: line.units,
    pointers: line.pointers,
  };
  return {
    id: makeId('cccccccc'),
    lineId: line.id,
    author: REVIEWER,
    before,
    proposed: { ...before, modifiers: ['25'] },
    category: 'missing-modifier',
    comment: 'Separate E/M on the day of the injection',
    status: 'open',
    answeredBy: null,
    citedPrecedent: null,
    threadId: null,
    createdAt: '2026-01-01T11:00:00.000Z',
    escalation: null,
    decision: null,
    precedent: null,
    ...overrides,
  };
}

export function makeComment(
  body: string,
  author: UserRef = REVIEWER,
  mentions: string[] = [],
): Comment {
  return { id: makeId('dddddddd'), author, body, mentions, at: '2026-01-01T11:05:00.000Z' };
}

export function makeThread(
  lineId: string | null,
  comments: Comment[],
  overrides: Partial<Thread> = {},
): Thread {
  return {
    id: makeId('eeeeeeee'),
    lineId,
    suggestionId: null,
    resolved: false,
    comments,
    ...overrides,
  };
}

const at = (seq: number) => new Date(Date.UTC(2026, 0, 1, 11, 0, seq)).toISOString();

/** Any event of the log. */
export function event<T extends EncounterEventType>(
  seq: number,
  type: T,
  payload: EncounterEventPayloads[T],
  actor: UserRef = CODER,
): EncounterEvent {
  return {
    encounterId: ENCOUNTER_ID,
    seq,
    type,
    actor,
    payload,
    opId: null,
    at: at(seq),
  } as EncounterEvent;
}

export function encounterCreated(encounter: Encounter, actor: UserRef = CODER): EncounterEvent {
  return event(1, 'encounter.created', { encounter: { ...encounter, version: 1 } }, actor);
}

export function lineAdded(
  seq: number,
  line: ClaimLine,
  index: number,
  actor: UserRef = CODER,
): EncounterEvent {
  return event(seq, 'line.added', { line, index }, actor);
}

export function lineUpdated(seq: number, line: ClaimLine, actor: UserRef = CODER): EncounterEvent {
  return event(seq, 'line.updated', { line }, actor);
}

export function lineRemoved(seq: number, lineId: string, actor: UserRef = CODER): EncounterEvent {
  return event(seq, 'line.removed', { lineId }, actor);
}

export function encounterUpdated(
  seq: number,
  changes: EncounterChanges,
  actor: UserRef = CODER,
): EncounterEvent {
  return event(seq, 'encounter.updated', { changes }, actor);
}

export function statusChanged(
  seq: number,
  from: EncounterStatus,
  to: EncounterStatus,
  actor: UserRef,
  reason: string | null = null,
): EncounterEvent {
  return event(
    seq,
    'status.changed',
    { from, to, reason, reviewer: to === 'in_review' && from === 'submitted' ? REVIEWER : null },
    actor,
  );
}

export function lineAccepted(seq: number, lineId: string): EncounterEvent {
  return event(
    seq,
    'line.reviewed',
    { lineId, review: { state: 'accepted', category: null, comment: null, by: REVIEWER } },
    REVIEWER,
  );
}

export function suggestionMade(seq: number, suggestion: Suggestion): EncounterEvent {
  return event(seq, 'suggestion.made', { suggestion }, suggestion.author);
}

/** A finding of the edits engine on `lines`; a data-independent rule unless told otherwise. */
export function makeFinding(lineIds: string[], overrides: Partial<Finding> = {}): Finding {
  return {
    id: `line-without-pointer:${lineIds.join(',')}`,
    ruleId: 'line-without-pointer',
    severity: 'error',
    lineIds,
    codes: ['99213'],
    message: 'Line 99213 has no diagnosis pointer.',
    source: {
      dataset: 'Claim rules',
      edition: null,
      file: null,
      row: null,
      effectiveDate: null,
      text: 'CMS-1500 item 24E: every line points at a diagnosis',
    },
    ...overrides,
  };
}

/** A fee estimate with nothing priced. */
export function makeFees(overrides: Partial<FeeEstimate> = {}): FeeEstimate {
  return {
    facility: false,
    conversionFactor: null,
    lines: [],
    total: 0,
    source: 'No fee schedule loaded',
    rvuEdition: null,
    conversionFactorYear: null,
    warnings: [],
    ...overrides,
  };
}

/** The server's edits of the chart at `version`; errors and warnings are counted from the findings. */
export function makeEdits(version: number, overrides: Partial<LiveEdits> = {}): LiveEdits {
  const findings = overrides.findings ?? [];
  return {
    encounterId: ENCOUNTER_ID,
    version,
    findings,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    fees: makeFees(),
    impact: null,
    ...overrides,
  };
}
