import type { Encounter, EncounterEvent, UserRef } from '@countersign/shared';
import { ApiError } from '../api/api-error';

/** What a command changes, so a conflict can say who changed it first. */
export type ConflictTarget =
  | { kind: 'chart' }
  | { kind: 'line'; lineId: string }
  | { kind: 'suggestion'; suggestionId: string };

/** The latest change to a command's target after the version the command was made against. */
export interface ChangeBy {
  actor: UserRef;
  event: EncounterEvent;
  /** The chart right before that event, when the room still has it. */
  before?: Encounter | null;
}

/**
 * A command refused because what it changes moved on after the version the person saw. The
 * room has already taken `current`, the chart as the server has it; `changedBy` names who
 * moved it on when the room saw that event.
 */
export class ConflictError extends ApiError {
  constructor(
    message: string,
    readonly current: Encounter | null,
    readonly changedBy: ChangeBy | null,
    readonly target: ConflictTarget,
  ) {
    super('conflict', message, current ? { encounter: current } : undefined);
    this.name = 'ConflictError';
  }
}

/** Whether `event` changed line `lineId`; `state` maps suggestions to their lines. */
export function touchesLine(event: EncounterEvent, lineId: string, state: Encounter): boolean {
  switch (event.type) {
    case 'line.added':
    case 'line.updated':
      return event.payload.line.id === lineId;
    case 'line.removed':
    case 'line.reviewed':
      return event.payload.lineId === lineId;
    case 'suggestion.made':
      return event.payload.suggestion.lineId === lineId;
    case 'suggestion.answered':
    case 'suggestion.answered.v2':
    case 'suggestion.escalated':
    case 'suggestion.decided': {
      const line = 'line' in event.payload ? event.payload.line : null;
      return (
        line?.id === lineId ||
        state.suggestions.some((s) => s.id === event.payload.suggestionId && s.lineId === lineId)
      );
    }
    case 'encounter.updated':
      return !!event.payload.changes.lines?.some((line) => line.id === lineId);
    default:
      return false;
  }
}

const SUGGESTION_EVENTS: ReadonlySet<EncounterEvent['type']> = new Set([
  'suggestion.answered',
  'suggestion.answered.v2',
  'suggestion.escalated',
  'suggestion.decided',
]);

/** Who last changed the target after `baseVersion`, among `events` (the room's recent ones). */
export function lastChangeOf(
  events: readonly EncounterEvent[],
  state: Encounter,
  target: ConflictTarget,
  baseVersion: number,
): ChangeBy | null {
  const lineId =
    target.kind === 'line'
      ? target.lineId
      : target.kind === 'suggestion'
        ? state.suggestions.find((s) => s.id === target.suggestionId)?.lineId
        : null;
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.seq <= baseVersion) break;
    const relevant =
      target.kind === 'chart' ||
      (lineId && touchesLine(event, lineId, state)) ||
      (target.kind === 'suggestion' &&
        SUGGESTION_EVENTS.has(event.type) &&
        'suggestionId' in event.payload &&
        event.payload.suggestionId === target.suggestionId);
    if (relevant) return { actor: event.actor, event };
  }
  return null;
}
