import {
  WORKLIST_DEFAULT_PAGE_SIZE,
  WorklistQuerySchema,
  defaultSortDirection,
  type EncounterStatus,
  type Role,
  type WorklistQueue,
  type WorklistRow,
  type WorklistSort,
} from '@countersign/shared';

/**
 * What the worklist shows, as the URL keeps it (`/worklist?queue=review&q=smi&sort=patient`),
 * so a view can be shared, reloaded and gone back to. Only what differs from the defaults
 * appears in the URL.
 */
export interface WorklistView {
  queue: WorklistQueue;
  q: string;
  status: readonly EncounterStatus[];
  from: string;
  to: string;
  provider: string;
  /** A user id, `none` (nobody), or '' (anyone). */
  coder: string;
  reviewer: string;
  hasErrors: boolean;
  sort: WorklistSort;
  dir: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

/** The queue a person starts on: the one their role works through. */
export function defaultQueue(role: Role | undefined): WorklistQueue {
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

type Params = Readonly<Record<string, string | undefined>>;

/** One URL parameter as the server's query schema reads it, or undefined when it would refuse it. */
function valid<K extends string>(key: K, value: string | undefined) {
  if (value === undefined || value === '') return undefined;
  const parsed = WorklistQuerySchema.safeParse({ [key]: value });
  return parsed.success ? (parsed.data as Record<string, unknown>)[key] : undefined;
}

/**
 * The view a URL's query parameters describe; a parameter the server would refuse (a typo in
 * a shared link) is left out rather than shown as an error page.
 */
export function viewFromParams(params: Params, role: Role | undefined): WorklistView {
  const sort = (valid('sort', params['sort']) as WorklistSort | undefined) ?? 'updated';
  const from = (valid('from', params['from']) as string | undefined) ?? '';
  const to = (valid('to', params['to']) as string | undefined) ?? '';
  return {
    queue: (valid('queue', params['queue']) as WorklistQueue | undefined) ?? defaultQueue(role),
    q: (valid('q', params['q']) as string | undefined) ?? '',
    status: (valid('status', params['status']) as EncounterStatus[] | undefined) ?? [],
    from,
    to: from && to && to < from ? '' : to,
    provider: (valid('provider', params['provider']) as string | undefined) ?? '',
    coder: (valid('coder', params['coder']) as string | undefined) ?? '',
    reviewer: (valid('reviewer', params['reviewer']) as string | undefined) ?? '',
    hasErrors: valid('hasErrors', params['hasErrors']) === true,
    sort,
    dir: (valid('dir', params['dir']) as 'asc' | 'desc' | undefined) ?? defaultSortDirection(sort),
    page: (valid('page', params['page']) as number | undefined) ?? 1,
    pageSize:
      (valid('pageSize', params['pageSize']) as number | undefined) ?? WORKLIST_DEFAULT_PAGE_SIZE,
  };
}

/**
 * The query parameters of a view: for the URL (defaults left out, so `/worklist` stays short)
 * and, with `forApi`, for `GET /api/encounters` (the queue always named).
 */
export function paramsFromView(
  view: WorklistView,
  role: Role | undefined,
  forApi = false,
): Record<string, string> {
  const params: Record<string, string> = {};
  if (forApi || view.queue !== defaultQueue(role)) params['queue'] = view.queue;
  if (view.q) params['q'] = view.q;
  if (view.status.length) params['status'] = view.status.join(',');
  if (view.from) params['from'] = view.from;
  if (view.to) params['to'] = view.to;
  if (view.provider) params['provider'] = view.provider;
  if (view.coder) params['coder'] = view.coder;
  if (view.reviewer) params['reviewer'] = view.reviewer;
  if (view.hasErrors) params['hasErrors'] = 'true';
  if (view.sort !== 'updated') params['sort'] = view.sort;
  if (view.dir !== defaultSortDirection(view.sort)) params['dir'] = view.dir;
  if (view.page !== 1) params['page'] = String(view.page);
  if (view.pageSize !== WORKLIST_DEFAULT_PAGE_SIZE) params['pageSize'] = String(view.pageSize);
  return params;
}

/** Whether any filter narrows the view (the queue and the order aside). */
export function filtered(view: WorklistView): boolean {
  return !!(
    view.q ||
    view.status.length ||
    view.from ||
    view.to ||
    view.provider ||
    view.coder ||
    view.reviewer ||
    view.hasErrors
  );
}

/**
 * Whether a live change to a row shown may move it on or off the page or change the queue
 * counts: a change to what the filters, queues or order read. A change to anything else (its
 * line count) is patched in place.
 */
export function mayMove(shown: WorklistRow, changed: WorklistRow, view: WorklistView): boolean {
  return (
    shown.status !== changed.status ||
    shown.coder?.id !== changed.coder?.id ||
    shown.reviewer?.id !== changed.reviewer?.id ||
    shown.dateOfService !== changed.dateOfService ||
    shown.patient.name !== changed.patient.name ||
    shown.patient.mrn !== changed.patient.mrn ||
    shown.provider.name !== changed.provider.name ||
    // The stored error count is not on a live row: under "has errors" any change may matter;
    // nor are escalations, so in "Disputes" any change may move a chart in or out.
    view.hasErrors ||
    view.queue === 'disputes' ||
    (view.sort === 'updated' && shown.updatedAt !== changed.updatedAt)
  );
}
