import type { ClaimLine, FeeLine, Suggestion } from '@countersign/shared';

/** Someone else in the room working on a line: the soft lock. */
export interface Focuser {
  id: string;
  initials: string;
  colour: string;
  /** "Riley is reviewing this line". */
  label: string;
}

/** A dispute written for a suggestion that is no longer open: kept, and offered as a comment. */
export interface OrphanedDispute {
  /** Its draft's target. */
  target: string;
  suggestionId: string;
  text: string;
  /** Why it can no longer be sent as a dispute. */
  reason: string;
}

/**
 * One claim line as the table shows it: the line and what the room knows about it, computed
 * once for all lines so the row and its detail only read.
 */
export interface LineRow {
  line: ClaimLine;
  /** Its position, from 1: how people name it ("line 2"). */
  number: number;
  focusers: readonly Focuser[];
  /** Comments in its threads, and whether any thread is unresolved; null without threads. */
  comments: { count: number; open: boolean } | null;
  fee: FeeLine | null;
  /** Its suggestions worth showing (open and disputed in full, accepted briefly). */
  suggestions: readonly Suggestion[];
  orphans: readonly OrphanedDispute[];
  /** The reviewer's form open on it. */
  reviewForm: 'suggest' | 'reject' | null;
  /** A refused or conflicting command about it. */
  notice: string | null;
  /** Whether the detail row under it has anything to show. */
  detailed: boolean;
}
