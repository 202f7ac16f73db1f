import {
  CORRECTION_CATEGORY_LABELS,
  EDIT_RULES,
  applyEncounterEvent,
  formatIcd10Cm,
  type ClaimLine,
  type EditRuleId,
  type Encounter,
  type EncounterEvent,
  type EncounterEventPayloads,
  type ProposedLine,
} from '@countersign/shared';
import { ENCOUNTER_STATUS_LABELS } from '../encounter-status';

/** One step of an encounter's history, in words people use. */
export interface HistoryEntry {
  seq: number;
  at: string;
  actor: string;
  actorId: string;
  /** "suggested modifier 25 on 99214 (Missing modifier)": what, after the actor's name. */
  what: string;
}

const QUOTE_LENGTH = 90;

/** `99214-25-59`: a line as coders write it. */
export function lineLabel(line: Pick<ClaimLine, 'code' | 'modifiers'>): string {
  return [line.code, ...line.modifiers].join('-');
}

/** `99214-25, 2 units, pointers A, B`. */
export function lineSummary(line: ProposedLine): string {
  const units = `${line.units} ${line.units === 1 ? 'unit' : 'units'}`;
  const pointers = line.pointers.length
    ? `pointer${line.pointers.length > 1 ? 's' : ''} ${line.pointers.join(', ')}`
    : 'no pointer';
  return `${lineLabel(line)}, ${units}, ${pointers}`;
}

function plural(word: string, items: readonly string[], many = `${word}s`): string {
  return `${items.length > 1 ? many : word} ${items.join(', ')}`;
}

/** What a correction changes, field by field: "modifier 25", "code 99213", "removing modifier 59". */
export function correctionParts(before: ProposedLine, after: ProposedLine): string[] {
  const parts: string[] = [];
  if (before.code !== after.code) parts.push(`code ${after.code}`);
  const added = after.modifiers.filter((m) => !before.modifiers.includes(m));
  const removed = before.modifiers.filter((m) => !after.modifiers.includes(m));
  if (added.length) parts.push(plural('modifier', added));
  if (removed.length) parts.push(`removing ${plural('modifier', removed)}`);
  if (!added.length && !removed.length && before.modifiers.join() !== after.modifiers.join())
    parts.push(`modifier order ${after.modifiers.join(', ')}`);
  if (before.units !== after.units)
    parts.push(`${after.units} ${after.units === 1 ? 'unit' : 'units'}`);
  if (before.pointers.join() !== after.pointers.join())
    parts.push(after.pointers.length ? plural('pointer', after.pointers) : 'no pointers');
  return parts;
}

function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `“${flat.length > QUOTE_LENGTH ? `${flat.slice(0, QUOTE_LENGTH - 1)}…` : flat}”`;
}

function codeOf(state: Encounter | null, lineId: string | null): string | null {
  if (!lineId) return null;
  const line = state?.lines.find((l) => l.id === lineId);
  return line ? line.code : null;
}

function onLine(state: Encounter | null, lineId: string | null): string {
  const code = codeOf(state, lineId);
  return lineId ? (code ? `on ${code}` : 'on a line') : 'on the chart';
}

/**
 * What `event` did, given the chart right before it (null before the first event), e.g.
 * "suggested modifier 25 on 99214 (Missing modifier)". Without the actor's name.
 */
export function describeEvent(event: EncounterEvent, before: Encounter | null): string {
  switch (event.type) {
    case 'encounter.created': {
      const count = event.payload.encounter.lines.length;
      return count
        ? `created the chart with ${count} ${count === 1 ? 'line' : 'lines'}`
        : 'created the chart';
    }
    case 'encounter.updated':
      return describeUpdate(event.payload.changes, before);
    case 'line.added': {
      const { line } = event.payload;
      if (line.origin === 'reviewer') {
        return `added missed line ${lineLabel(line)}${line.units > 1 ? ` × ${line.units}` : ''} (${CORRECTION_CATEGORY_LABELS['missed-code']})`;
      }
      return `added line ${lineLabel(line)}${line.units > 1 ? ` × ${line.units}` : ''}`;
    }
    case 'line.updated': {
      const old = before?.lines.find((l) => l.id === event.payload.line.id);
      if (!old) return `changed line ${lineLabel(event.payload.line)}`;
      const parts = correctionParts(old, event.payload.line);
      if (old.rationale !== event.payload.line.rationale) parts.push('the rationale');
      if (JSON.stringify(old.evidence) !== JSON.stringify(event.payload.line.evidence))
        parts.push(event.payload.line.evidence ? 'the evidence' : 'removing the evidence');
      return parts.length
        ? `changed ${old.code}: ${parts.join(', ')}`
        : `saved ${old.code} unchanged`;
    }
    case 'line.removed': {
      const code = codeOf(before, event.payload.lineId);
      return code ? `removed line ${code}` : 'removed a line';
    }
    case 'line.reviewed': {
      const code = codeOf(before, event.payload.lineId) ?? 'a line';
      const { review } = event.payload;
      if (review.state === 'accepted') return `accepted ${code}`;
      if (review.state === 'rejected') {
        const category = review.category ? ` (${CORRECTION_CATEGORY_LABELS[review.category]})` : '';
        return `rejected ${code}${category}${review.comment ? `: ${quote(review.comment)}` : ''}`;
      }
      return `reset the review of ${code}`;
    }
    case 'suggestion.made': {
      const { suggestion } = event.payload;
      const parts = correctionParts(suggestion.before, suggestion.proposed);
      return `suggested ${parts.join(', ') || 'a change'} on ${suggestion.before.code} (${CORRECTION_CATEGORY_LABELS[suggestion.category]})`;
    }
    case 'suggestion.answered':
    case 'suggestion.answered.v2': {
      const suggestion = before?.suggestions.find((s) => s.id === event.payload.suggestionId);
      const on = suggestion ? ` on ${suggestion.before.code}` : '';
      const change = suggestion
        ? ` (${correctionParts(suggestion.before, suggestion.proposed).join(', ')})`
        : '';
      const precedent =
        'precedent' in event.payload && event.payload.precedent
          ? `, recorded as precedent ${event.payload.precedent.number}`
          : '';
      switch (event.payload.status) {
        case 'accepted':
          return `accepted the suggestion${on}${change}${precedent}`;
        case 'disputed': {
          const comment = event.payload.thread?.comments[0]?.body;
          return `disputed the suggestion${on}${comment ? `: ${quote(comment)}` : ''}`;
        }
        case 'withdrawn':
          return `withdrew the suggestion${on}${precedent}`;
        default:
          return `reopened the suggestion${on}`;
      }
    }
    case 'suggestion.escalated': {
      const suggestion = before?.suggestions.find((s) => s.id === event.payload.suggestionId);
      const on = suggestion ? ` on ${suggestion.before.code}` : '';
      const { comment } = event.payload.escalation;
      return `escalated the dispute${on} to a supervisor${comment ? `: ${quote(comment)}` : ''}`;
    }
    case 'suggestion.decided': {
      const suggestion = before?.suggestions.find((s) => s.id === event.payload.suggestionId);
      const on = suggestion ? ` on ${suggestion.before.code}` : '';
      const { decision, precedent } = event.payload;
      const what =
        decision.decision === 'uphold'
          ? `upheld the suggestion${on}`
          : `overruled the suggestion${on}, keeping the coder’s line`;
      return `${what}: ${quote(decision.reason)}${precedent ? `, recorded as precedent ${precedent.number}` : ''}`;
    }
    case 'thread.opened': {
      const { thread } = event.payload;
      const first = thread.comments[0];
      return `commented ${onLine(before, thread.lineId)}${first ? `: ${quote(first.body)}` : ''}`;
    }
    case 'comment.added': {
      const thread = before?.threads.find((t) => t.id === event.payload.threadId);
      return `replied ${onLine(before, thread?.lineId ?? null)}: ${quote(event.payload.comment.body)}`;
    }
    case 'thread.resolved': {
      const thread = before?.threads.find((t) => t.id === event.payload.threadId);
      return `${event.payload.resolved ? 'resolved' : 'reopened'} a thread ${onLine(before, thread?.lineId ?? null)}`;
    }
    case 'finding.acknowledged': {
      const { findingId, reason } = event.payload.acknowledgement;
      // A finding's id starts with its rule id (`ptp-modifier-bypass:<lines>:<codes>`).
      const rule = EDIT_RULES[findingId.split(':')[0] as EditRuleId] as
        { title: string } | undefined;
      return `acknowledged ${rule ? `“${rule.title}”` : 'a warning'}: ${quote(reason)}`;
    }
    case 'assignment.changed':
      return describeAssignment(event.payload, before);
    case 'status.changed': {
      const { from, to, reason, reviewer } = event.payload;
      const what = describeTransition(from, to, reason);
      // Submitting without a reviewer routes the chart to the next one in the rotation.
      return to === 'submitted' && reviewer
        ? `${what}; routed the review to ${reviewer.name} (round-robin)`
        : what;
    }
    case 'review.skipped':
      return `submitted the chart; ${reviewSkippedNote(event.payload.reasons)}`;
    default:
      return 'changed the chart';
  }
}

/** "Review skipped: not sampled (25% sample)": why a submission went straight to sign-off. */
export function reviewSkippedNote(reasons: readonly string[], capital = false): string {
  const why = reasons.join('; ');
  const note = `review skipped: ${why.charAt(0).toLowerCase()}${why.slice(1)}`;
  return capital ? `R${note.slice(1)}` : note;
}

/** "claimed the chart", "assigned Cora Coder as coder (was Carl Coder)", "routed the review to …". */
function describeAssignment(
  payload: EncounterEventPayloads['assignment.changed'],
  before: Encounter | null,
): string {
  if (payload.how === 'claimed') return 'claimed the chart';
  if (payload.how === 'routed')
    return payload.reviewer
      ? `routed the review to ${payload.reviewer.name} (round-robin)`
      : 'found no reviewer to route the chart to';
  const parts: string[] = [];
  for (const role of ['coder', 'reviewer'] as const) {
    const person = payload[role];
    if (person === undefined) continue;
    const was = before?.[role];
    const previously = was && was.id !== person?.id ? ` (was ${was.name})` : '';
    parts.push(
      person
        ? `assigned ${person.name} as ${role}${previously}`
        : `unassigned the ${role}${previously}`,
    );
  }
  return parts.join('; ') || 'changed the assignment';
}

function describeTransition(
  from: Encounter['status'],
  to: Encounter['status'],
  reason: string | null,
): string {
  const because = reason ? `: ${quote(reason)}` : '';
  switch (to) {
    case 'submitted':
      // A chart that skipped review (sampling) has no reviewer: reopening sends it to one.
      return from === 'approved' || from === 'signed_off'
        ? `reopened the chart for review${because}`
        : 'submitted the chart for review';
    case 'in_review':
      return from === 'submitted' ? 'started the review' : `reopened the chart${because}`;
    case 'changes_requested':
      return `requested changes${because}`;
    case 'approved':
      return 'approved the chart';
    case 'signed_off':
      return 'signed the chart off';
    default:
      return `moved the chart to ${ENCOUNTER_STATUS_LABELS[to]}${because}`;
  }
}

function describeUpdate(changes: Partial<Encounter>, before: Encounter | null): string {
  const parts: string[] = [];
  if (changes.diagnoses) {
    const old = before?.diagnoses ?? [];
    const added = changes.diagnoses.filter((d) => !old.includes(d)).map(formatIcd10Cm);
    const removed = old.filter((d) => !changes.diagnoses!.includes(d)).map(formatIcd10Cm);
    if (added.length) parts.push(`added ${plural('diagnosis', added, 'diagnoses')}`);
    if (removed.length) parts.push(`removed ${plural('diagnosis', removed, 'diagnoses')}`);
    if (!added.length && !removed.length) parts.push('reordered the diagnoses');
  }
  if (changes.coder !== undefined)
    parts.push(changes.coder ? `assigned ${changes.coder.name} as coder` : 'unassigned the coder');
  if (changes.reviewer !== undefined)
    parts.push(
      changes.reviewer
        ? `assigned ${changes.reviewer.name} as reviewer`
        : 'unassigned the reviewer',
    );
  if (changes.clinicalNote !== undefined) parts.push('edited the clinical note');
  if (changes.patient || changes.provider || changes.dateOfService || changes.placeOfService)
    parts.push('edited the chart header');
  if (changes.status) parts.push(`moved the chart to ${ENCOUNTER_STATUS_LABELS[changes.status]}`);
  return parts.join('; ') || 'updated the chart';
}

/**
 * The log (from `encounter.created`, in order) as history entries. Folds once, so each event
 * is described against the chart right before it in one pass over a long history.
 */
export function historyOf(events: readonly EncounterEvent[]): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  let state: Encounter | null = null;
  for (const event of events) {
    const what = describeEvent(event, state);
    if (event.type === 'encounter.created')
      state = { ...event.payload.encounter, version: event.seq };
    else if (state && event.seq === state.version + 1) state = applyEncounterEvent(state, event);
    else break;
    entries.push({
      seq: event.seq,
      at: event.at,
      actor: event.actor.name,
      actorId: event.actor.id,
      what,
    });
  }
  return entries;
}
