import { z } from 'zod';
import { text } from '../common/text.js';
import type { UserRef } from '../users/user.schema.js';

/**
 * A precedent: how a dispute about a suggestion was settled, kept so the next coder and reviewer
 * with the same codes need not argue it again (docs/domain.md section 10). Numbered per
 * organization; `codes` are what the room matches a chart's lines against.
 */
export const PRECEDENT_SETTLEMENTS = ['accepted', 'withdrawn', 'upheld', 'overruled'] as const;
export type PrecedentSettlement = (typeof PRECEDENT_SETTLEMENTS)[number];

export interface Precedent {
  id: string;
  number: number;
  question: string;
  codes: string[];
  modifiers: string[];
  /** What was decided, in a line: "99213-25 stands beside 20610". */
  decision: string;
  reasoning: string;
  settledHow: PrecedentSettlement;
  sourceEncounterId: string | null;
  sourceSuggestionId: string | null;
  decidedBy: UserRef;
  status: 'active' | 'retired';
  retiredReason: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What a supervisor may change on a precedent. */
export const PrecedentEditSchema = z.object({
  question: text().trim().min(1).max(2000).optional(),
  codes: z.array(text().trim().min(1).max(10)).min(1).max(20).optional(),
  modifiers: z.array(text().trim().min(2).max(2)).max(20).optional(),
  decision: text().trim().min(1).max(2000).optional(),
  reasoning: text().trim().min(1).max(5000).optional(),
});
export type PrecedentEdit = z.infer<typeof PrecedentEditSchema>;
