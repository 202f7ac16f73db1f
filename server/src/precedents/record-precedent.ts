import {
  precedentDraft,
  type Encounter,
  type PrecedentRef,
  type PrecedentSettlement,
  type Suggestion,
  type UserRef,
} from '@countersign/shared';
import type { SqlRunner } from '../database/live-pool.js';
import { insertPrecedent } from './precedents.repository.js';

/**
 * Records the precedent a settled dispute becomes, inside the settling command's transaction,
 * so the settlement and its precedent commit together. `reasoning` null takes it from the
 * dispute thread (see `precedentDraft`). Null when the suggestion already has one.
 */
export function recordPrecedent(
  tx: SqlRunner,
  encounter: Encounter,
  suggestion: Suggestion,
  settledHow: PrecedentSettlement,
  reasoning: string | null,
  decidedBy: UserRef,
): Promise<PrecedentRef | null> {
  const draft = precedentDraft(encounter, suggestion, settledHow, reasoning);
  return insertPrecedent(tx, {
    organizationId: encounter.organizationId,
    ...draft,
    settledHow,
    sourceEncounterId: encounter.id,
    sourceSuggestionId: suggestion.id,
    decidedBy,
  });
}
