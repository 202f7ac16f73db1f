import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatSortModule, type Sort } from '@angular/material/sort';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import {
  ENCOUNTER_STATUSES,
  WORKLIST_QUEUES,
  WORKLIST_SORTS,
  emptyQueueCounts,
  placeOfService,
  type AssignmentResponse,
  type EncounterStatus,
  type WorklistItem,
  type WorklistQueue,
  type WorklistQueueCounts,
  type WorklistRow,
  type WorklistSort,
} from '@countersign/shared';
import { map } from 'rxjs';
import { ApiClient } from '../../core/api/api-client';
import { toApiError } from '../../core/api/api-error';
import { AuthService } from '../../core/auth/auth.service';
import { WorklistFeed } from '../../core/realtime/worklist-feed';
import { TeamDirectory } from '../../core/team/team-directory';
import { ENCOUNTER_STATUS_LABELS } from '../../encounter/encounter-status';
import { AssignDialog, type AssignDialogData } from '../../encounter/assign-dialog/assign-dialog';
import { StatusChip } from '../../encounter/status-chip/status-chip';
import { MyReviewLevel } from '../../quality/my-review-level/my-review-level';
import { QUEUE_EMPTY, QUEUE_LABELS, patchRows } from './worklist-queues';
import {
  filtered,
  mayMove,
  paramsFromView,
  viewFromParams,
  type WorklistView,
} from './worklist-view';

/** Typing in the search box waits this long before the URL (and the list) follows. */
export const SEARCH_DEBOUNCE_MS = 300;
/** Live changes that may move rows in or out of the page read it again this long after the last one. */
export const REFRESH_DEBOUNCE_MS = 800;
/** …but never later than this after the first, so a busy team still sees its list move. */
export const REFRESH_MAX_WAIT_MS = 3000;

/**
 * The worklist: the organization's encounters searched, filtered, sorted and paged by the
 * server, in queues (my drafts, awaiting review, changes requested, awaiting sign-off,
 * unassigned, disputes waiting for a supervisor, all) whose counts the server computes under the same filters. The whole view
 * lives in the URL, so it can be shared, reloaded and gone back to. Changed rows arrive on the
 * socket (coalesced by the server): a row shown is patched in place at once; a change that may
 * move rows on or off the page, or change the counts, reads the page again shortly after
 * (debounced, without clearing the rows). After a reconnect the page is read again.
 * Supervisors and admins select rows and assign them in bulk.
 */
@Component({
  selector: 'cs-worklist-page',
  imports: [
    DatePipe,
    MyReviewLevel,
    RouterLink,
    MatTableModule,
    MatSortModule,
    MatPaginatorModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatSlideToggleModule,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    MatTooltipModule,
    StatusChip,
  ],
  providers: [WorklistFeed],
  templateUrl: './worklist-page.html',
  styleUrl: './worklist-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WorklistPage {
  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly auth = inject(AuthService);
  private readonly feed = inject(WorklistFeed);
  private readonly dialog = inject(MatDialog);

  /** The Disputes queue is the supervisors' (and admins'): only they decide escalated disputes. */
  protected readonly queues = computed(() =>
    WORKLIST_QUEUES.filter((queue) => queue !== 'disputes' || this.canAssign()),
  );
  protected readonly labels = QUEUE_LABELS;
  protected readonly statuses = ENCOUNTER_STATUSES;
  protected readonly statusLabels = ENCOUNTER_STATUS_LABELS;
  protected readonly pageSizes = [25, 50, 100, 200];
  protected readonly live = this.feed.status;

  private readonly params = toSignal(
    this.route.queryParamMap.pipe(
      map((params) => Object.fromEntries(params.keys.map((key) => [key, params.get(key) ?? '']))),
    ),
    { initialValue: {} },
  );
  private readonly role = computed(() => this.auth.user()?.role);
  protected readonly view = computed(() => viewFromParams(this.params(), this.role()));
  protected readonly canAssign = computed(() => {
    const role = this.role();
    return role === 'supervisor' || role === 'admin';
  });
  protected readonly columns = computed(() => [
    ...(this.canAssign() ? ['select'] : []),
    'patient',
    'dateOfService',
    'provider',
    'placeOfService',
    'status',
    'errors',
    'coder',
    'reviewer',
    'lines',
    'updated',
  ]);

  protected readonly rows = signal<readonly WorklistItem[]>([]);
  protected readonly total = signal(0);
  protected readonly counts = signal<WorklistQueueCounts>(emptyQueueCounts());
  private readonly team = inject(TeamDirectory).members;
  protected readonly coders = computed(() => this.team().filter((m) => m.role !== 'admin'));
  protected readonly reviewers = computed(() =>
    this.team().filter((m) => m.role === 'reviewer' || m.role === 'supervisor'),
  );
  protected readonly isFiltered = computed(() => filtered(this.view()));
  protected readonly emptyText = computed(() =>
    this.isFiltered() ? 'No encounter matches these filters.' : QUEUE_EMPTY[this.view().queue],
  );
  protected readonly loading = signal(true);
  protected readonly loadError = signal<string | null>(null);
  /** Rows that just changed live, highlighted briefly. */
  protected readonly fresh = signal<ReadonlySet<string>>(new Set());
  /** Rows ticked for a bulk action; kept across live updates and refreshes of the same view. */
  protected readonly selected = signal<ReadonlySet<string>>(new Set());
  protected readonly allSelected = computed(
    () => this.rows().length > 0 && this.rows().every((row) => this.selected().has(row.id)),
  );
  /** What is typed in the search box; the URL follows after a pause. */
  protected readonly searchText = signal('');

  private freshTimer: ReturnType<typeof setTimeout> | undefined;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshDeadline: number | null = null;
  private latestRequest = 0;
  private shownKey = '';
  private sentSearch: string | null = null;

  constructor() {
    this.feed.open((rows) => this.changed(rows));
    effect(() => {
      const view = this.view();
      this.feed.resynced();
      untracked(() => this.viewChanged(view));
    });
    inject(DestroyRef).onDestroy(() => {
      clearTimeout(this.freshTimer);
      clearTimeout(this.searchTimer);
      clearTimeout(this.refreshTimer);
    });
    // Without the team the coder and reviewer filters offer "anyone" and "nobody" only.
    void inject(TeamDirectory).ensure();
  }

  protected placeName(code: string): string {
    return placeOfService(code)?.name ?? code;
  }

  protected chooseQueue(queue: WorklistQueue): void {
    this.navigate({ queue, page: 1 });
  }

  /** Arrow keys move between the queue tabs, as in any tab list. */
  protected tabKeydown(event: KeyboardEvent, index: number): void {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const queues = this.queues();
    const next = queues[(index + step + queues.length) % queues.length]!;
    this.chooseQueue(next);
    const tabs = (event.currentTarget as HTMLElement).parentElement?.querySelectorAll<HTMLElement>(
      '[role="tab"]',
    );
    tabs?.[queues.indexOf(next)]?.focus();
  }

  protected typed(text: string): void {
    this.searchText.set(text);
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => {
      this.sentSearch = text.trim();
      this.navigate({ q: this.sentSearch, page: 1 }, true);
    }, SEARCH_DEBOUNCE_MS);
  }

  protected filter(change: Partial<WorklistView>): void {
    this.navigate({ ...change, page: 1 });
  }

  protected statusFilter(value: EncounterStatus[]): void {
    this.filter({ status: value });
  }

  protected clearFilters(): void {
    clearTimeout(this.searchTimer);
    this.searchText.set('');
    this.filter({
      q: '',
      status: [],
      from: '',
      to: '',
      provider: '',
      coder: '',
      reviewer: '',
      hasErrors: false,
    });
  }

  protected sorted(sort: Sort): void {
    const active = (WORKLIST_SORTS as readonly string[]).includes(sort.active)
      ? (sort.active as WorklistSort)
      : 'updated';
    this.navigate({ sort: active, dir: sort.direction || 'asc', page: 1 });
  }

  protected paged(event: PageEvent): void {
    this.navigate({ page: event.pageIndex + 1, pageSize: event.pageSize });
  }

  protected toggle(row: WorklistItem): void {
    this.selected.update((ids) => {
      const next = new Set(ids);
      if (!next.delete(row.id)) next.add(row.id);
      return next;
    });
  }

  protected toggleAll(): void {
    const all = this.allSelected();
    this.selected.update((ids) => {
      const next = new Set(ids);
      for (const row of this.rows()) {
        if (all) next.delete(row.id);
        else next.add(row.id);
      }
      return next;
    });
  }

  protected clearSelection(): void {
    this.selected.set(new Set());
  }

  protected readonly trackRow = (_: number, row: WorklistItem) => row.id;

  /** Assigns the selected charts (a supervisor's or admin's bulk action). */
  protected assignSelected(): void {
    this.openAssignDialog([...this.selected()]);
  }

  protected reload(): void {
    void this.load(false);
  }

  protected open(row: WorklistRow): void {
    void this.router.navigate(['/encounters', row.id]);
  }

  /**
   * The assign dialog for `encounterIds`; when it closes having assigned any, the selection is
   * cleared and the page read again (the live rows would follow, but the counts move too).
   */
  private openAssignDialog(encounterIds: string[]): void {
    const ref = this.dialog.open<AssignDialog, AssignDialogData, AssignmentResponse | undefined>(
      AssignDialog,
      { data: { encounterIds }, width: '440px' },
    );
    ref.afterClosed().subscribe((answer) => {
      if (!answer) return;
      this.clearSelection();
      void this.load(true);
    });
  }

  private navigate(change: Partial<WorklistView>, replaceUrl = false): void {
    const view = { ...this.view(), ...change };
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: paramsFromView(view, this.role()),
      replaceUrl,
    });
  }

  private viewChanged(view: WorklistView): void {
    const key = JSON.stringify(paramsFromView(view, this.role(), true));
    // Another view: a selection made on the old one no longer means what it meant.
    if (key !== this.shownKey) this.selected.set(new Set());
    this.shownKey = key;
    // The box follows the URL (back, a shared link), but not a search it sent itself: the
    // person may have typed on meanwhile.
    if (view.q !== this.sentSearch && view.q !== this.searchText().trim())
      this.searchText.set(view.q);
    this.sentSearch = null;
    void this.load(false);
  }

  private changed(changed: WorklistRow[]): void {
    const shown = new Map(this.rows().map((row) => [row.id, row]));
    const view = this.view();
    const moves = changed.some((row) => {
      const before = shown.get(row.id);
      // A chart not on the page may now belong on it, and may change the counts.
      return !before || (row.version > before.version && mayMove(before, row, view));
    });
    const patched = changed.filter((row) => shown.has(row.id));
    if (patched.length) {
      this.rows.update((rows) => patchRows(rows, patched));
      this.fresh.update((ids) => new Set([...ids, ...patched.map((row) => row.id)]));
      clearTimeout(this.freshTimer);
      this.freshTimer = setTimeout(() => this.fresh.set(new Set()), 2000);
    }
    if (moves) this.scheduleRefresh();
  }

  /** Reads the page again after the live changes pause (or at the latest REFRESH_MAX_WAIT_MS). */
  private scheduleRefresh(): void {
    const now = Date.now();
    this.refreshDeadline ??= now + REFRESH_MAX_WAIT_MS;
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(
      () => {
        this.refreshDeadline = null;
        void this.load(true);
      },
      Math.min(REFRESH_DEBOUNCE_MS, this.refreshDeadline - now),
    );
  }

  /** Reads the page and the counts; `quiet` keeps the progress bar off (a live refresh). */
  private async load(quiet: boolean): Promise<void> {
    const request = ++this.latestRequest;
    if (!quiet) this.loading.set(true);
    try {
      const page = await this.api.worklistPage(paramsFromView(this.view(), this.role(), true));
      if (request !== this.latestRequest) return;
      const last = Math.max(1, Math.ceil(page.total / page.pageSize));
      // Charts left the view meanwhile and this page is past the end: show the last one.
      if (page.items.length === 0 && page.page > last) return this.navigate({ page: last }, true);
      this.rows.set(page.items);
      this.total.set(page.total);
      this.counts.set(page.queues);
      this.loadError.set(null);
    } catch (error) {
      if (request !== this.latestRequest) return;
      this.loadError.set(toApiError(error).message);
    } finally {
      if (request === this.latestRequest) this.loading.set(false);
    }
  }
}
