import { isAdminRole, type Role } from '../auth/roles.js';
import type { EncounterStatus } from '../encounter/encounter.schema.js';
import type { UserRef } from '../users/user.schema.js';

/**
 * Who may do what to a chart, in which state: the one role x state x action table. The
 * server enforces it on every command; the client reads it to show only the buttons that work.
 */
export const ENCOUNTER_ACTIONS = [
  'encounter.edit',
  'encounter.assign',
  'encounter.claim',
  'line.add',
  'line.edit',
  'line.remove',
  'submit',
  'review.start',
  'review.accept',
  'review.reject',
  'review.suggest',
  'review.add-missed',
  'suggestion.withdraw',
  'suggestion.answer',
  'suggestion.escalate',
  'suggestion.decide',
  'approve',
  'request-changes',
  'sign-off',
  'reopen',
  'comment',
  'thread.resolve',
  'finding.acknowledge',
] as const;
export type EncounterAction = (typeof ENCOUNTER_ACTIONS)[number];

export interface PolicyActor {
  id: string;
  role: Role;
}

export interface PolicySubject {
  status: EncounterStatus;
  coder: UserRef | null;
  reviewer: UserRef | null;
  /** Who wrote the coded lines, from the event log (not the current assignment). */
  codedBy: readonly string[];
}

export interface Refusal {
  code: 'forbidden' | 'invalid_state';
  message: string;
}

/**
 * Separation of duties is part of `who`: the reviewer kinds and `independent-supervisor` refuse
 * anyone who wrote the chart's lines or is its coder, whatever the assignment says.
 */
type Who =
  | 'assigned-coder'
  | 'unassigned-coder'
  | 'assigned-reviewer'
  | 'coder-or-reviewer'
  | 'assigned-coder-or-reviewer'
  | 'reviewer'
  | 'supervisor'
  | 'independent-supervisor'
  | 'supervisor-or-admin'
  | 'anyone';

interface Rule {
  who: Who;
  states: readonly EncounterStatus[];
  /** What the action is, for messages: "change the lines". */
  doing: string;
}

const CODING: readonly EncounterStatus[] = ['draft', 'changes_requested'];
const OPEN: readonly EncounterStatus[] = [
  'draft',
  'submitted',
  'in_review',
  'changes_requested',
  'approved',
];

const RULES: Record<EncounterAction, Rule> = {
  'encounter.edit': {
    who: 'assigned-coder',
    states: CODING,
    doing: 'change the diagnoses and header',
  },
  'encounter.assign': { who: 'supervisor-or-admin', states: OPEN, doing: 'assign the chart' },
  'encounter.claim': { who: 'unassigned-coder', states: ['draft'], doing: 'claim the chart' },
  'line.add': { who: 'assigned-coder', states: CODING, doing: 'add lines' },
  'line.edit': { who: 'assigned-coder', states: CODING, doing: 'change lines' },
  'line.remove': { who: 'assigned-coder', states: CODING, doing: 'remove lines' },
  submit: { who: 'assigned-coder', states: CODING, doing: 'submit the chart for review' },
  'review.start': { who: 'reviewer', states: ['submitted'], doing: 'start the review' },
  'review.accept': { who: 'assigned-reviewer', states: ['in_review'], doing: 'accept a line' },
  'review.reject': { who: 'assigned-reviewer', states: ['in_review'], doing: 'reject a line' },
  'review.suggest': {
    who: 'assigned-reviewer',
    states: ['in_review'],
    doing: 'suggest a correction',
  },
  'review.add-missed': {
    who: 'assigned-reviewer',
    states: ['in_review'],
    doing: 'add a missed line',
  },
  'suggestion.withdraw': {
    who: 'assigned-reviewer',
    states: ['in_review'],
    doing: 'withdraw a suggestion',
  },
  'suggestion.answer': {
    who: 'assigned-coder',
    states: ['in_review', 'changes_requested'],
    doing: 'answer a suggestion',
  },
  'suggestion.escalate': {
    who: 'assigned-coder-or-reviewer',
    states: ['in_review', 'changes_requested'],
    doing: 'escalate a dispute',
  },
  'suggestion.decide': {
    who: 'independent-supervisor',
    states: ['in_review', 'changes_requested'],
    doing: 'decide a dispute',
  },
  approve: { who: 'assigned-reviewer', states: ['in_review'], doing: 'approve the chart' },
  'request-changes': { who: 'assigned-reviewer', states: ['in_review'], doing: 'request changes' },
  'sign-off': { who: 'independent-supervisor', states: ['approved'], doing: 'sign the chart off' },
  reopen: { who: 'supervisor', states: ['approved', 'signed_off'], doing: 'reopen the chart' },
  comment: { who: 'anyone', states: OPEN, doing: 'comment' },
  'thread.resolve': { who: 'anyone', states: OPEN, doing: 'resolve a thread' },
  'finding.acknowledge': {
    who: 'coder-or-reviewer',
    states: ['draft', 'changes_requested', 'in_review'],
    doing: 'acknowledge a warning',
  },
};

const STATUS_WORDS: Record<EncounterStatus, string> = {
  draft: 'a draft',
  submitted: 'submitted',
  in_review: 'in review',
  changes_requested: 'waiting for the coder’s changes',
  approved: 'approved',
  signed_off: 'signed off',
};

/** Why `actor` may not do `action` to the chart, or null when they may. */
export function refusal(
  action: EncounterAction,
  actor: PolicyActor,
  subject: PolicySubject,
): Refusal | null {
  const rule = RULES[action];
  const who = whoRefusal(rule, actor, subject);
  if (who) return { code: 'forbidden', message: who };
  if (!rule.states.includes(subject.status)) {
    return {
      code: 'invalid_state',
      message: `You cannot ${rule.doing} while the chart is ${STATUS_WORDS[subject.status]}`,
    };
  }
  return null;
}

export function can(action: EncounterAction, actor: PolicyActor, subject: PolicySubject): boolean {
  return refusal(action, actor, subject) === null;
}

/** The states in which an action is possible at all, for documentation and tests. */
export function statesFor(action: EncounterAction): readonly EncounterStatus[] {
  return RULES[action].states;
}

function whoRefusal(rule: Rule, actor: PolicyActor, subject: PolicySubject): string | null {
  switch (rule.who) {
    case 'anyone':
      return null;
    case 'assigned-coder':
      if (!subject.coder) return `Assign a coder to the chart before anyone can ${rule.doing}`;
      return subject.coder.id === actor.id
        ? null
        : `Only the chart’s coder, ${subject.coder.name}, can ${rule.doing}`;
    case 'unassigned-coder':
      if (actor.role !== 'coder') return `Only a coder can ${rule.doing}`;
      if (subject.coder)
        return subject.coder.id === actor.id
          ? 'The chart is already yours'
          : `${subject.coder.name} has already claimed this chart`;
      return null;
    case 'assigned-coder-or-reviewer':
      if (subject.coder?.id === actor.id) return null;
      if (actor.role === 'reviewer' && subject.reviewer?.id === actor.id)
        return wroteOrCodes(actor, subject)
          ? `You coded this chart, so another reviewer must ${rule.doing}`
          : null;
      return `Only the chart’s coder or reviewer can ${rule.doing}`;
    case 'reviewer':
      if (actor.role !== 'reviewer') return `Only a reviewer can ${rule.doing}`;
      if (wroteOrCodes(actor, subject))
        return `You coded this chart, so another reviewer must ${rule.doing}`;
      if (subject.reviewer && subject.reviewer.id !== actor.id)
        return `${subject.reviewer.name} is this chart’s reviewer`;
      return null;
    case 'assigned-reviewer':
      if (actor.role !== 'reviewer') return `Only a reviewer can ${rule.doing}`;
      if (wroteOrCodes(actor, subject))
        return `You coded this chart, so another reviewer must ${rule.doing}`;
      if (!subject.reviewer) return `Start the review before you ${rule.doing}`;
      return subject.reviewer.id === actor.id
        ? null
        : `Only the chart’s reviewer, ${subject.reviewer.name}, can ${rule.doing}`;
    case 'coder-or-reviewer':
      if (
        subject.coder?.id === actor.id ||
        (subject.reviewer?.id === actor.id && actor.role === 'reviewer')
      )
        return null;
      return `Only the chart’s coder or reviewer can ${rule.doing}`;
    case 'supervisor':
      return actor.role === 'supervisor' ? null : `Only a supervisor can ${rule.doing}`;
    case 'independent-supervisor':
      if (actor.role !== 'supervisor') return `Only a supervisor can ${rule.doing}`;
      return wroteOrCodes(actor, subject)
        ? `You coded this chart, so another supervisor must ${rule.doing}`
        : null;
    case 'supervisor-or-admin':
      return actor.role === 'supervisor' || isAdminRole(actor.role)
        ? null
        : `Only a supervisor or an admin can ${rule.doing}`;
    default:
      return assertNever(rule.who);
  }
}

/** Wrote any of the chart's coded lines, or is its coder now. */
function wroteOrCodes(actor: PolicyActor, subject: PolicySubject): boolean {
  return subject.coder?.id === actor.id || subject.codedBy.includes(actor.id);
}

/**
 * What someone may do to the organization's shared records, outside any one chart: the same
 * kinds of `who` as the chart table, with no state. Reading the precedent library is anyone's.
 */
export const ORGANIZATION_ACTIONS = ['precedent.edit'] as const;
export type OrganizationAction = (typeof ORGANIZATION_ACTIONS)[number];

const ORGANIZATION_RULES: Record<
  OrganizationAction,
  { who: 'supervisor-or-admin'; doing: string }
> = {
  'precedent.edit': { who: 'supervisor-or-admin', doing: 'edit, retire or reactivate a precedent' },
};

/** Why `actor` may not do `action` in their organization, or null when they may. */
export function organizationRefusal(
  action: OrganizationAction,
  actor: PolicyActor,
): Refusal | null {
  const rule = ORGANIZATION_RULES[action];
  return actor.role === 'supervisor' || isAdminRole(actor.role)
    ? null
    : { code: 'forbidden', message: `Only a supervisor or an admin can ${rule.doing}` };
}

/** The people a new chart is assigned to, as `POST /api/encounters` names them. */
export interface NewChartAssignment {
  coderId: string | null;
  reviewerId: string | null;
}

/**
 * Why `actor` may not create a chart with this assignment, or null. Creating follows the
 * assignment rule of `encounter.assign`: anyone may create a chart they code themselves
 * (or leave unassigned); naming another coder or any reviewer is a supervisor's or an admin's.
 * Nobody is both a chart's coder and its reviewer.
 */
export function createRefusal(actor: PolicyActor, assignment: NewChartAssignment): Refusal | null {
  const assigns = actor.role === 'supervisor' || isAdminRole(actor.role);
  if (!assigns && assignment.reviewerId !== null) {
    return {
      code: 'forbidden',
      message: 'Only a supervisor or an admin can assign the chart’s reviewer',
    };
  }
  if (!assigns && assignment.coderId !== null && assignment.coderId !== actor.id) {
    return {
      code: 'forbidden',
      message: 'Only a supervisor or an admin can assign the chart to another coder',
    };
  }
  if (assignment.reviewerId !== null && assignment.reviewerId === assignment.coderId) {
    return { code: 'forbidden', message: 'The chart’s coder cannot also be its reviewer' };
  }
  return null;
}

function assertNever(value: never): never {
  throw new Error(`Unexpected ${String(value)}`);
}
