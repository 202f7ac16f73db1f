import type { WorklistItem, WorklistQueue, WorklistRow } from '@countersign/shared';

export const QUEUE_LABELS: Readonly<Record<WorklistQueue, string>> = {
  drafts: 'My drafts',
  review: 'Awaiting review',
  changes: 'Changes requested',
  signoff: 'Awaiting sign-off',
  unassigned: 'Unassigned',
  disputes: 'Disputes',
  all: 'All',
};

export const QUEUE_EMPTY: Readonly<Record<WorklistQueue, string>> = {
  drafts: 'No drafts assigned to you. Charts you code show up here.',
  review: 'Nothing is waiting for review.',
  changes: 'No chart is waiting for changes.',
  signoff: 'Nothing is waiting for sign-off.',
  unassigned: 'Every open chart has a coder.',
  disputes: 'No dispute is waiting for a supervisor.',
  all: 'No encounters yet.',
};

/**
 * The page's rows with live changes put in place: a row shown is replaced by a newer version
 * (keeping its stored error count, which live rows do not carry); rows not shown are left to
 * the next read of the page. A row older than the one shown (a late batch) is ignored.
 */
export function patchRows(
  rows: readonly WorklistItem[],
  changed: readonly WorklistRow[],
): WorklistItem[] {
  const byId = new Map(changed.map((row) => [row.id, row]));
  return rows.map((shown) => {
    const next = byId.get(shown.id);
    if (!next || next.version <= shown.version) return shown;
    return {
      ...shown,
      ...next,
      patient: { ...shown.patient, ...next.patient },
      provider: { ...shown.provider, ...next.provider },
    };
  });
}
