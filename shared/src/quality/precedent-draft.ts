import type { Encounter } from '../encounter/encounter.schema.js';
import type { ProposedLine, Suggestion } from '../review/review-state.schema.js';
import type { PrecedentSettlement } from './precedent.schema.js';

/** What a settled dispute records as a precedent, before it has a number. */
export interface PrecedentDraft {
  question: string;
  codes: string[];
  modifiers: string[];
  decision: string;
  reasoning: string;
}

/**
 * The precedent a settled dispute becomes (docs/domain.md section 10.1): the question the dispute
 * asked, the codes it is about (both sides; when only modifiers, units or pointers were in
 * question, also the chart's other billed codes, because a modifier-25 dispute is about the
 * pair), the modifiers that differed, one plain line of what stands, and why: `reasoning`
 * (a supervisor's reason), or when null the dispute thread's last comment, or the suggestion's
 * own comment when the thread has none.
 */
export function precedentDraft(
  encounter: Pick<Encounter, 'lines' | 'threads'>,
  suggestion: Pick<Suggestion, 'lineId' | 'before' | 'proposed' | 'threadId' | 'comment'>,
  settledHow: PrecedentSettlement,
  reasoning: string | null,
): PrecedentDraft {
  const { before, proposed } = suggestion;
  const others = [
    ...new Set(
      encounter.lines
        .filter((line) => line.id !== suggestion.lineId && line.review.state !== 'rejected')
        .map((line) => line.code),
    ),
  ].filter((code) => code !== before.code && code !== proposed.code);
  const beside = others.length ? ` beside ${listed(others)}` : '';
  const shown = (line: ProposedLine) => label(line, before, proposed);
  const stands = settledHow === 'accepted' || settledHow === 'upheld' ? proposed : before;
  const sameCode = before.code === proposed.code;
  return {
    question: `Should ${shown(before)} be billed as ${shown(proposed)}${beside}?`,
    codes: sameCode ? [before.code, ...others] : [before.code, proposed.code],
    modifiers: [
      ...before.modifiers.filter((m) => !proposed.modifiers.includes(m)),
      ...proposed.modifiers.filter((m) => !before.modifiers.includes(m)),
    ],
    decision: `${shown(stands)} stands${beside}`,
    reasoning: reasoning ?? threadReasoning(encounter, suggestion),
  };
}

/**
 * A line as the dispute is about it: code and modifiers ("99213-25"), with the units or the
 * diagnosis pointers only when those were what differed.
 */
function label(line: ProposedLine, before: ProposedLine, proposed: ProposedLine): string {
  let text = [line.code, ...line.modifiers].join('-');
  if (before.units !== proposed.units) text += ` × ${line.units}`;
  if (before.pointers.join() !== proposed.pointers.join())
    text += ` (diagnosis ${line.pointers.join(', ') || 'none'})`;
  return text;
}

function listed(items: readonly string[]): string {
  if (items.length < 2) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function threadReasoning(
  encounter: Pick<Encounter, 'threads'>,
  suggestion: Pick<Suggestion, 'threadId' | 'comment'>,
): string {
  const thread = encounter.threads.find((t) => t.id === suggestion.threadId);
  const last = thread?.comments[thread.comments.length - 1];
  return last?.body || suggestion.comment;
}
