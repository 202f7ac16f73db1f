import type { Role } from '../auth/roles.js';
import type { UserRef } from '../users/user.schema.js';

/** A person who could be given a chart: what the assignment rules look at. */
export interface Assignee {
  id: string;
  name: string;
  role: Role;
  active: boolean;
  /** A coder still on practice charts (docs/domain.md section 11.1): no real chart until promoted. */
  trainee?: boolean;
}

/** The chart's people before an assignment, and who wrote its lines (from the event log). */
export interface AssignmentSubject {
  coder: UserRef | null;
  reviewer: UserRef | null;
  codedBy: readonly string[];
}

/** Why a person cannot take a chart: a wrong person is bad input; a conflict of duties, forbidden. */
export interface AssigneeRefusal {
  code: 'validation_failed' | 'forbidden';
  message: string;
}

/**
 * Why `person` may not become the chart's coder or reviewer, or null when they may
 * (docs/domain.md section 6.1): coders code and reviewers review, only active people are given
 * work, and nobody reviews a chart they code or wrote lines of.
 */
export function assigneeRefusal(
  as: 'coder' | 'reviewer',
  person: Assignee,
  chart: AssignmentSubject,
): AssigneeRefusal | null {
  if (!person.active)
    return {
      code: 'validation_failed',
      message: `${person.name} is deactivated and cannot be given charts`,
    };
  if (person.role !== as)
    return {
      code: 'validation_failed',
      message: `${person.name} is a ${person.role}, not a ${as}: only a ${as} can be a chart’s ${as}`,
    };
  if (as === 'coder' && person.trainee)
    return {
      code: 'validation_failed',
      message: traineeRefusalMessage(person.name),
    };
  if (as === 'reviewer' && (chart.coder?.id === person.id || chart.codedBy.includes(person.id)))
    return {
      code: 'forbidden',
      message: `${person.name} coded this chart, so another reviewer must review it`,
    };
  if (as === 'coder' && chart.reviewer?.id === person.id)
    return {
      code: 'forbidden',
      message: `${person.name} reviews this chart, so they cannot also code it`,
    };
  return null;
}

/** Why a trainee gets no real chart: the one wording for assignment, claims and new charts. */
export function traineeRefusalMessage(name: string): string {
  return `${name} is a trainee: they code practice charts until a supervisor promotes them to real charts`;
}

/**
 * The next reviewer in a round-robin over `reviewers`: the first one, in id order, after the
 * last one routed to (`after`), wrapping around, skipping anyone `excluded` (who coded the
 * chart). Null when nobody is eligible. Pure: the pointer lives in the database.
 */
export function nextInRotation<T extends { id: string }>(
  reviewers: readonly T[],
  after: string | null,
  excluded: ReadonlySet<string>,
): T | null {
  const eligible = [...reviewers]
    .filter((r) => !excluded.has(r.id))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (eligible.length === 0) return null;
  return (after === null ? undefined : eligible.find((r) => r.id > after)) ?? eligible[0]!;
}
