import type { Role, WorklistRow } from '@countersign/shared';

/** The worklist's queues: what each person works through, plus everything. */
export const QUEUES = ['drafts', 'review', 'changes', 'signoff', 'all'] as const;
export type Queue = (typeof QUEUES)[number];

export const QUEUE_LABELS: Readonly<Record<Queue, string>> = {
  drafts: 'My drafts',
  review: 'Awaiting review',
  changes: 'Changes requested',
  signoff: 'Awaiting sign-off',
  all: 'All',
};

export const QUEUE_EMPTY: Readonly<Record<Queue, string>> = {
  drafts: 'No drafts assigned to you. Charts you code show up here.',
  review: 'Nothing is waiting for review.',
  changes: 'No chart is waiting for changes.',
  signoff: 'Nothing is waiting for sign-off.',
  all: 'No encounters yet.',
};

/** Whether a worklist row belongs in a queue, for the person `selfId`. */
export function inQueue(queue: Queue, row: WorklistRow, selfId: string | null): boolean {
  switch (queue) {
    case 'drafts':
      return row.status === 'draft' && !!selfId && row.coder?.id === selfId;
    case 'review':
      return row.status === 'submitted' || row.status === 'in_review';
    case 'changes':
      return row.status === 'changes_requested';
    case 'signoff':
      return row.status === 'approved';
    case 'all':
      return true;
  }
}

/** The queue a person starts on: the one their role works through. */
export function defaultQueue(role: Role | undefined): Queue {
  switch (role) {
    case 'coder':
      return 'drafts';
    case 'reviewer':
      return 'review';
    case 'supervisor':
      return 'signoff';
    default:
      return 'all';
  }
}

/** `?queue=` as a known queue, else null. */
export function parseQueue(value: string | undefined): Queue | null {
  return (QUEUES as readonly string[]).includes(value ?? '') ? (value as Queue) : null;
}

/**
 * Changed rows put in their place: replaced or added, newest change first. A row older than
 * the one shown (a late batch) is left out.
 */
export function upsertRows(
  rows: readonly WorklistRow[],
  changed: readonly WorklistRow[],
): WorklistRow[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const row of changed) {
    const shown = byId.get(row.id);
    if (!shown || shown.version <= row.version) byId.set(row.id, row);
  }
  return [...byId.values()].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}
