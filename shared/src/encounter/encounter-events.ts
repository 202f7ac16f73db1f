import type {
  Acknowledgement,
  Comment,
  DisputeDecisionRecord,
  Escalation,
  LineReview,
  PrecedentRef,
  Suggestion,
  SuggestionStatus,
  Thread,
} from '../review/review-state.schema.js';
import type { IntakeSource } from '../intake/intake.schema.js';
import type { AssignmentKind } from '../assignment/assignment.schema.js';
import type { UserRef } from '../users/user.schema.js';
import type { ClaimLine, Encounter, EncounterStatus } from './encounter.schema.js';

/**
 * The encounter event log: every change to an encounter is one event with a per-encounter,
 * gapless sequence number (`seq`). The server appends it in the same transaction as the change
 * and broadcasts it after commit; a client folds events into the state it joined with.
 *
 * Versioning rule: a payload never changes shape under an existing type. A new shape gets a
 * new type name (for example `line.updated.v2`), and `applyEncounterEvent` learns both.
 */
export interface EncounterEventPayloads {
  /** The encounter as created, lines included; `imported` when a file import created it. */
  'encounter.created': { encounter: Encounter; imported?: IntakeSource };
  /**
   * Header fields, note, diagnoses or assignment changed; only the changed keys are present.
   * When diagnoses change, `lines` carries every line with its pointers moved to follow them.
   */
  'encounter.updated': { changes: EncounterChanges };
  /** A line was added at `index` in the line order. */
  'line.added': { line: ClaimLine; index: number };
  /** A line's fields changed; the whole line as it now stands. */
  'line.updated': { line: ClaimLine };
  'line.removed': { lineId: string };
  /** A reviewer accepted or rejected a line. */
  'line.reviewed': { lineId: string; review: LineReview };
  'suggestion.made': { suggestion: Suggestion };
  /**
   * The coder accepted or disputed a suggestion, or the reviewer withdrew it. Accepting
   * carries the line as corrected; disputing carries the thread it opened.
   */
  'suggestion.answered': {
    suggestionId: string;
    status: SuggestionStatus;
    answeredBy: UserRef;
    line: ClaimLine | null;
    thread: Thread | null;
  };
  /**
   * `suggestion.answered` with the precedent a settled dispute became: a disputed suggestion
   * accepted by the coder after all, or withdrawn by the reviewer (null otherwise).
   */
  'suggestion.answered.v2': EncounterEventPayloads['suggestion.answered'] & {
    precedent: PrecedentRef | null;
  };
  /** The coder or the reviewer sent a disputed suggestion to a supervisor. */
  'suggestion.escalated': { suggestionId: string; escalation: Escalation };
  /**
   * A supervisor decided an escalated dispute. Upholding carries the line as corrected;
   * overruling the coder's line, now accepted by the supervisor.
   */
  'suggestion.decided': {
    suggestionId: string;
    status: 'upheld' | 'overruled';
    decision: DisputeDecisionRecord;
    line: ClaimLine;
    precedent: PrecedentRef | null;
  };
  'thread.opened': { thread: Thread };
  'comment.added': { threadId: string; comment: Comment };
  'thread.resolved': { threadId: string; resolved: boolean };
  /** A warning finding was acknowledged with a reason. */
  'finding.acknowledged': { acknowledgement: Acknowledgement };
  /** A workflow transition; starting a review names the reviewer. */
  'status.changed': {
    from: EncounterStatus;
    to: EncounterStatus;
    reason: string | null;
    reviewer: UserRef | null;
  };
  /**
   * Submitted and not sampled for review (docs/domain.md section 10, "Sampling"): the chart went
   * straight to `to` (awaiting sign-off) with the reasons and the coder's level at the time. It
   * is not a review: no review result is recorded for it.
   */
  'review.skipped': {
    from: EncounterStatus;
    to: EncounterStatus;
    reasons: string[];
    level: 'full' | 'sampled';
    /** The level in words: "25% sample: 97% line accuracy over the last 30 charts". */
    explanation: string;
  };
  /**
   * The chart's coder or reviewer changed: a coder claimed it, a supervisor or admin assigned
   * it, or routing gave it to the next reviewer in the rotation. Only the changed keys are
   * present; null unassigns.
   */
  'assignment.changed': { how: AssignmentKind; coder?: UserRef | null; reviewer?: UserRef | null };
}

export type EncounterChanges = Partial<
  Pick<
    Encounter,
    | 'patient'
    | 'dateOfService'
    | 'provider'
    | 'placeOfService'
    | 'clinicalNote'
    | 'diagnoses'
    | 'lines'
    | 'coder'
    | 'reviewer'
    | 'status'
  >
>;

export type EncounterEventType = keyof EncounterEventPayloads;

interface EncounterEventBase<T extends EncounterEventType> {
  encounterId: string;
  /** 1 for `encounter.created`, then +1 per event, without gaps. */
  seq: number;
  type: T;
  actor: UserRef;
  payload: EncounterEventPayloads[T];
  /** The client operation id of the command that produced it (null for REST and seeds). */
  opId: string | null;
  /** Commit time, ISO. */
  at: string;
}

export type EncounterEvent = {
  [T in EncounterEventType]: EncounterEventBase<T>;
}[EncounterEventType];

/** Thrown when an event does not follow the state's version: the caller must catch up first. */
export class EventSequenceError extends Error {
  constructor(
    readonly expected: number,
    readonly received: number,
  ) {
    super(`Expected event ${expected}, received ${received}`);
    this.name = 'EventSequenceError';
  }
}

/**
 * How stale a chart's `updatedAt` may be while it is edited continuously: an event within this
 * long of the last change leaves it as it is. The server stores it the same way (the version
 * bump in encounter.repository.ts), which keeps an edit's update of the encounter row free of
 * index changes, so Postgres can make it a HOT update (docs: ARCHITECTURE "How one edit travels").
 */
export const UPDATED_AT_GRAIN_MS = 10_000;

/** A chart's `updatedAt` after an event at `at` (both ISO timestamps to the millisecond). */
export function updatedAtAfter(updatedAt: string, at: string): string {
  return Date.parse(at) - Date.parse(updatedAt) < UPDATED_AT_GRAIN_MS ? updatedAt : at;
}

/**
 * Folds one event into an encounter state. Pure: returns a new object and never mutates.
 * The event must be the next one (`seq === state.version + 1`).
 */
export function applyEncounterEvent(state: Encounter, event: EncounterEvent): Encounter {
  if (event.seq !== state.version + 1) throw new EventSequenceError(state.version + 1, event.seq);
  const next: Encounter = {
    ...state,
    version: event.seq,
    updatedAt: updatedAtAfter(state.updatedAt, event.at),
    codedBy: codedByAfter(state.codedBy, event),
  };
  switch (event.type) {
    case 'encounter.created':
      return { ...event.payload.encounter, codedBy: createdCodedBy(event), version: event.seq };
    case 'encounter.updated':
      return { ...next, ...event.payload.changes };
    case 'line.added': {
      const lines = [...state.lines];
      lines.splice(event.payload.index, 0, event.payload.line);
      return { ...next, lines };
    }
    case 'line.updated':
      return {
        ...next,
        lines: state.lines.map((line) =>
          line.id === event.payload.line.id ? event.payload.line : line,
        ),
      };
    case 'line.removed':
      return { ...next, lines: state.lines.filter((line) => line.id !== event.payload.lineId) };
    case 'line.reviewed':
      return {
        ...next,
        lines: state.lines.map((line) =>
          line.id === event.payload.lineId ? { ...line, review: event.payload.review } : line,
        ),
      };
    case 'suggestion.made':
      return {
        ...next,
        suggestions: [...state.suggestions, madeSuggestion(event.payload.suggestion)],
      };
    case 'suggestion.answered':
    case 'suggestion.answered.v2': {
      const { suggestionId, status, answeredBy, line, thread } = event.payload;
      const precedent = 'precedent' in event.payload ? event.payload.precedent : null;
      return {
        ...next,
        suggestions: state.suggestions.map((s) =>
          s.id === suggestionId
            ? {
                ...s,
                status,
                answeredBy,
                threadId: thread?.id ?? s.threadId,
                precedent: precedent ?? s.precedent,
              }
            : s,
        ),
        lines: withLine(state.lines, line),
        threads: thread ? [...state.threads, thread] : state.threads,
      };
    }
    case 'suggestion.escalated':
      return {
        ...next,
        suggestions: state.suggestions.map((s) =>
          s.id === event.payload.suggestionId
            ? { ...s, status: 'escalated', escalation: event.payload.escalation }
            : s,
        ),
      };
    case 'suggestion.decided': {
      const { suggestionId, status, decision, line, precedent } = event.payload;
      return {
        ...next,
        suggestions: state.suggestions.map((s) =>
          s.id === suggestionId ? { ...s, status, decision, precedent } : s,
        ),
        lines: withLine(state.lines, line),
      };
    }
    case 'thread.opened':
      return { ...next, threads: [...state.threads, event.payload.thread] };
    case 'comment.added':
      return {
        ...next,
        threads: state.threads.map((t) =>
          t.id === event.payload.threadId
            ? { ...t, comments: [...t.comments, event.payload.comment] }
            : t,
        ),
      };
    case 'thread.resolved':
      return {
        ...next,
        threads: state.threads.map((t) =>
          t.id === event.payload.threadId ? { ...t, resolved: event.payload.resolved } : t,
        ),
      };
    case 'finding.acknowledged':
      return {
        ...next,
        acknowledgements: [
          ...state.acknowledgements.filter(
            (a) => a.findingId !== event.payload.acknowledgement.findingId,
          ),
          event.payload.acknowledgement,
        ],
      };
    case 'assignment.changed': {
      const { coder, reviewer } = event.payload;
      return {
        ...next,
        coder: coder === undefined ? state.coder : coder,
        reviewer: reviewer === undefined ? state.reviewer : reviewer,
      };
    }
    case 'status.changed':
      return {
        ...next,
        status: event.payload.to,
        reviewer: event.payload.reviewer ?? state.reviewer,
        // Submitting keeps every line as it was submitted (the server records the same).
        lines: event.payload.to === 'submitted' ? submittedLines(state.lines) : state.lines,
      };
    case 'review.skipped':
      return { ...next, status: event.payload.to, lines: submittedLines(state.lines) };
    default:
      return assertNever(event);
  }
}

function submittedLines(lines: ClaimLine[]): ClaimLine[] {
  return lines.map((line) => (line.submitted ? line : { ...line, submitted: true }));
}

/** Suggestions logged before disputes could be escalated or cite precedents lack those fields. */
function madeSuggestion(
  suggestion: Omit<Suggestion, 'escalation' | 'decision' | 'precedent' | 'citedPrecedent'> &
    Partial<Suggestion>,
): Suggestion {
  return { escalation: null, decision: null, precedent: null, citedPrecedent: null, ...suggestion };
}

/** The lines with `line` in place of the line of the same id (unchanged without one). */
function withLine(lines: ClaimLine[], line: ClaimLine | null): ClaimLine[] {
  return line ? lines.map((l) => (l.id === line.id ? line : l)) : lines;
}

/**
 * Who wrote the chart's coded lines after `event`: its actor joins when it added a coder's line,
 * changed or removed a line. A reviewer's missed line is a review correction, not coding.
 */
export function codedByAfter(
  codedBy: readonly string[],
  event: Pick<EncounterEvent, 'type' | 'payload'> & { actor: { id: string } },
): string[] {
  return writesLines(event) && !codedBy.includes(event.actor.id)
    ? [...codedBy, event.actor.id]
    : [...codedBy];
}

/** A chart created with lines was coded by its creator; events written before `codedBy` existed lack it. */
function createdCodedBy(event: EncounterEventBase<'encounter.created'>): string[] {
  const { encounter } = event.payload;
  return encounter.codedBy ?? (encounter.lines.length ? [event.actor.id] : []);
}

/** Whether an event (about to be) written by its actor counts as writing coded lines. */
export function writesLines(event: Pick<EncounterEvent, 'type' | 'payload'>): boolean {
  switch (event.type) {
    case 'line.added':
      return (event.payload as EncounterEventPayloads['line.added']).line.origin === 'coder';
    case 'line.updated':
    case 'line.removed':
      return true;
    default:
      return false;
  }
}

/**
 * The chart as it stood right after event `seq`, folded from the log's first event
 * (`encounter.created`); the history view shows it.
 */
export function encounterAt(events: readonly EncounterEvent[], seq: number): Encounter {
  const [created, ...rest] = events;
  if (!created || created.type !== 'encounter.created')
    throw new Error('The log must start with encounter.created');
  return applyEncounterEvents(
    { ...created.payload.encounter, codedBy: createdCodedBy(created), version: created.seq },
    rest.filter((e) => e.seq <= seq),
  );
}

/** Folds a run of events; the first must follow `state.version`. */
export function applyEncounterEvents(
  state: Encounter,
  events: readonly EncounterEvent[],
): Encounter {
  return events.reduce(applyEncounterEvent, state);
}

function assertNever(value: never): never {
  throw new Error(`Unknown encounter event ${JSON.stringify(value)}`);
}
