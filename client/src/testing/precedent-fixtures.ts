import type { Precedent } from '@countersign/shared';
import { ENCOUNTER_ID, SUPERVISOR } from './encounter-fixtures';

/** Precedent 12 of the specs: modifier 25 on an office visit beside a joint injection. */
export function makePrecedent(overrides: Partial<Precedent> = {}): Precedent {
  return {
    id: '12121212-0000-4000-8000-000000000012',
    number: 12,
    question: 'Does modifier 25 stand on 99213 beside a joint injection?',
    codes: ['99213', '20610'],
    modifiers: ['25'],
    decision: 'modifier 25 stands when the visit is separately documented',
    reasoning: 'The note records a separate evaluation of hypertension.',
    settledHow: 'upheld',
    sourceEncounterId: ENCOUNTER_ID,
    sourceSuggestionId: null,
    decidedBy: SUPERVISOR,
    status: 'active',
    retiredReason: null,
    createdAt: '2026-11-02T10:00:00.000Z',
    updatedAt: '2026-11-02T10:00:00.000Z',
    ...overrides,
  };
}
