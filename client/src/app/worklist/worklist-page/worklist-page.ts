import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { placeOfService, type WorklistRow } from '@countersign/shared';
import { ApiClient } from '../../core/api/api-client';
import { toApiError } from '../../core/api/api-error';
import { AuthService } from '../../core/auth/auth.service';
import { WorklistFeed } from '../../core/realtime/worklist-feed';
import { StatusChip } from '../../encounter/status-chip/status-chip';
import {
  QUEUES,
  QUEUE_EMPTY,
  QUEUE_LABELS,
  defaultQueue,
  inQueue,
  parseQueue,
  upsertRows,
  type Queue,
} from './worklist-queues';

/** How many charts the worklist reads; the queues are counted over them. */
export const WORKLIST_LIMIT = 200;

/**
 * The worklist: the organization's encounters in queues (my drafts, awaiting review, changes
 * requested, awaiting sign-off, all) with live counts. Changed rows arrive on the socket
 * (coalesced by the server, a few batches a second at most) and move at once; after a
 * reconnect the list is read again. The queue lives
 * in the URL (`?queue=review`), so the back button restores it.
 */
@Component({
  selector: 'cs-worklist-page',
  imports: [
    DatePipe,
    RouterLink,
    MatTableModule,
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

  /** Query parameter, bound by the router. */
  readonly queue = input<string>();

  protected readonly queues = QUEUES;
  protected readonly labels = QUEUE_LABELS;
  protected readonly columns = [
    'patient',
    'dateOfService',
    'provider',
    'placeOfService',
    'status',
    'coder',
    'reviewer',
    'lines',
    'updated',
  ];
  protected readonly live = this.feed.status;

  protected readonly current = computed<Queue>(
    () => parseQueue(this.queue()) ?? defaultQueue(this.auth.user()?.role),
  );
  protected readonly rows = signal<readonly WorklistRow[]>([]);
  protected readonly counts = computed(() => {
    const self = this.auth.user()?.id ?? null;
    return new Map(
      QUEUES.map((q) => [q, this.rows().filter((row) => inQueue(q, row, self)).length]),
    );
  });
  protected readonly items = computed(() => {
    const self = this.auth.user()?.id ?? null;
    return this.rows().filter((row) => inQueue(this.current(), row, self));
  });
  protected readonly emptyText = computed(() => QUEUE_EMPTY[this.current()]);
  protected readonly loading = signal(true);
  protected readonly loadError = signal<string | null>(null);
  /** Rows that just changed live, highlighted briefly. */
  protected readonly fresh = signal<ReadonlySet<string>>(new Set());
  private freshTimer: ReturnType<typeof setTimeout> | undefined;
  private latestRequest = 0;

  constructor() {
    this.feed.open((rows) => this.changed(rows));
    effect(() => {
      this.feed.resynced();
      untracked(() => void this.load());
    });
    inject(DestroyRef).onDestroy(() => clearTimeout(this.freshTimer));
  }

  protected placeName(code: string): string {
    return placeOfService(code)?.name ?? code;
  }

  protected choose(queue: Queue): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { queue },
      queryParamsHandling: 'merge',
    });
  }

  /** Arrow keys move between the queue tabs, as in any tab list. */
  protected tabKeydown(event: KeyboardEvent, index: number): void {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = QUEUES[(index + step + QUEUES.length) % QUEUES.length]!;
    this.choose(next);
    const tabs = (event.currentTarget as HTMLElement).parentElement?.querySelectorAll<HTMLElement>(
      '[role="tab"]',
    );
    tabs?.[QUEUES.indexOf(next)]?.focus();
  }

  protected reload(): void {
    void this.load();
  }

  protected open(row: WorklistRow): void {
    void this.router.navigate(['/encounters', row.id]);
  }

  private changed(changed: WorklistRow[]): void {
    this.rows.update((rows) => upsertRows(rows, changed));
    this.fresh.update((ids) => new Set([...ids, ...changed.map((row) => row.id)]));
    clearTimeout(this.freshTimer);
    this.freshTimer = setTimeout(() => this.fresh.set(new Set()), 2000);
  }

  private async load(): Promise<void> {
    const request = ++this.latestRequest;
    this.loading.set(true);
    try {
      const items = await this.api.worklist({ limit: WORKLIST_LIMIT });
      if (request !== this.latestRequest) return;
      this.rows.set(items);
      this.loadError.set(null);
    } catch (error) {
      if (request !== this.latestRequest) return;
      this.loadError.set(toApiError(error).message);
    } finally {
      if (request === this.latestRequest) this.loading.set(false);
    }
  }
}
