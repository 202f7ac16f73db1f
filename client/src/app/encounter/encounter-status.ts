import type { EncounterStatus } from '@countersign/shared';

/** How each encounter state reads on screen (docs/domain.md section 6). */
export const ENCOUNTER_STATUS_LABELS: Readonly<Record<EncounterStatus, string>> = {
  draft: 'Draft',
  submitted: 'Submitted',
  in_review: 'In review',
  changes_requested: 'Changes requested',
  approved: 'Approved',
  signed_off: 'Signed off',
};
