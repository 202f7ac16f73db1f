import type { Encounter } from '@countersign/shared';

/**
 * Extra conditions approval must meet, each answering what blocks it ([] when nothing does).
 * The review's own gates (answered suggestions, pointers) live in ReviewService; the coding
 * edits engine adds "no open error finding" here.
 */
export type ApprovalGate = (encounter: Encounter) => Promise<string[]>;

export const APPROVAL_GATES = Symbol('APPROVAL_GATES');
