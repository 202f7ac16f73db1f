import type { Evidence } from '@countersign/shared';

/** A run of the note's text and the lines whose evidence covers it. */
export interface NoteSegment {
  start: number;
  text: string;
  lineIds: readonly string[];
}

/** A span of the note to highlight: one line's evidence, or a draft's (`lineId` 'draft'). */
export interface NoteSpan {
  lineId: string;
  start: number;
  end: number;
}

/**
 * Cuts the note at every evidence boundary so overlapping spans each keep their lines. Spans
 * outside the note (a note edited after the evidence was taken) are clipped.
 */
export function segmentNote(note: string, spans: readonly NoteSpan[]): NoteSegment[] {
  const valid = spans
    .map((s) => ({ ...s, start: Math.max(0, s.start), end: Math.min(note.length, s.end) }))
    .filter((s) => s.end > s.start);
  const cuts = [...new Set([0, note.length, ...valid.flatMap((s) => [s.start, s.end])])].sort(
    (a, b) => a - b,
  );
  const segments: NoteSegment[] = [];
  for (let i = 0; i < cuts.length - 1; i++) {
    const start = cuts[i]!;
    const end = cuts[i + 1]!;
    const lineIds = valid.filter((s) => s.start <= start && s.end >= end).map((s) => s.lineId);
    segments.push({ start, text: note.slice(start, end), lineIds });
  }
  return segments;
}

/**
 * The evidence a selection in the note stands for: offsets into the note with the whitespace
 * at either end left out. Null when nothing but whitespace is selected.
 */
export function evidenceOf(note: string, start: number, end: number): Evidence | null {
  let from = Math.max(0, Math.min(start, end));
  let to = Math.min(note.length, Math.max(start, end));
  while (from < to && /\s/.test(note[from]!)) from++;
  while (to > from && /\s/.test(note[to - 1]!)) to--;
  if (to <= from) return null;
  return { start: from, end: to, quote: note.slice(from, to) };
}

/**
 * The character offset into the note of a DOM selection boundary. Every text run of the
 * rendered note sits in an element carrying `data-start`, its offset in the note.
 */
export function noteOffset(root: HTMLElement, node: Node, offset: number): number | null {
  if (!root.contains(node)) return null;
  if (node.nodeType === Node.TEXT_NODE) {
    const holder = node.parentElement?.closest<HTMLElement>('[data-start]');
    return holder && root.contains(holder) ? Number(holder.dataset['start']) + offset : null;
  }
  const element = node as HTMLElement;
  const runs = [...root.querySelectorAll<HTMLElement>('[data-start]')];
  const child = element.childNodes[offset];
  if (child) {
    const run =
      child instanceof HTMLElement
        ? child.matches('[data-start]')
          ? child
          : child.querySelector<HTMLElement>('[data-start]')
        : null;
    if (run) return Number(run.dataset['start']);
  }
  const last = runs.at(-1);
  return last ? Number(last.dataset['start']) + (last.textContent?.length ?? 0) : 0;
}
