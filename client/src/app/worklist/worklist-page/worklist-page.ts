import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatChipsModule } from '@angular/material/chips';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { ENCOUNTER_STATUSES, placeOfService, type EncounterStatus, type EncounterSummary } from '@countersign/shared';
import { ApiClient, type WorklistFilter } from '../../core/api/api-client';
import { toApiError } from '../../core/api/api-error';
import { ENCOUNTER_STATUS_LABELS } from '../../encounter/encounter-status';
import { StatusChip } from '../../encounter/status-chip/status-chip';

/** The assignee toggle; `all` is the absence of the query parameter. */
export type AssigneeChoice = 'all' | 'me' | 'unassigned';

/** The `status` query parameter (comma-separated) as known states; unknown words are dropped. */
export function parseStatusParam(value: string | undefined): EncounterStatus[] {
  const words = (value ?? '').split(',').map((s) => s.trim());
  return ENCOUNTER_STATUSES.filter((status) => words.includes(status));
}

/**
 * The worklist: encounters of the organization, filtered by state and assignee. The filters
 * live in the URL (`?status=draft,submitted&assignee=me`), so a filtered list can be shared
 * and the back button restores it.
 */
@Component({
  selector: 'cs-worklist-page',
  imports: [
    DatePipe,
    RouterLink,
    MatTableModule,
    MatChipsModule,
    MatButtonToggleModule,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    MatTooltipModule,
    StatusChip,
  ],
  templateUrl: './worklist-page.html',
  styleUrl: './worklist-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WorklistPage {
  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  /** Query parameters, bound by the router. */
  readonly status = input<string>();
  readonly assignee = input<string>();

  protected readonly statuses = ENCOUNTER_STATUSES;
  protected readonly statusLabels = ENCOUNTER_STATUS_LABELS;
  protected readonly columns = ['patient', 'dateOfService', 'provider', 'placeOfService', 'status', 'coder', 'reviewer', 'lines', 'updated'];

  protected readonly selectedStatuses = computed(() => parseStatusParam(this.status()));
  protected readonly assigneeChoice = computed<AssigneeChoice>(() => {
    const value = this.assignee();
    return value === 'me' || value === 'unassigned' ? value : 'all';
  });
  protected readonly filtered = computed(() => this.selectedStatuses().length > 0 || this.assigneeChoice() !== 'all');

  protected readonly items = signal<EncounterSummary[]>([]);
  protected readonly loading = signal(true);
  protected readonly loadError = signal<string | null>(null);
  private latestRequest = 0;

  constructor() {
    effect(() => {
      const filter: WorklistFilter = {
        status: this.selectedStatuses(),
        ...(this.assignee() ? { assignee: this.assignee() } : {}),
      };
      untracked(() => void this.load(filter));
    });
  }

  protected placeName(code: string): string {
    return placeOfService(code)?.name ?? code;
  }

  protected setStatuses(statuses: EncounterStatus[]): void {
    void this.setQuery({ status: statuses.length ? statuses.join(',') : null });
  }

  protected setAssignee(choice: AssigneeChoice): void {
    void this.setQuery({ assignee: choice === 'all' ? null : choice });
  }

  protected clearFilters(): void {
    void this.setQuery({ status: null, assignee: null });
  }

  protected reload(): void {
    void this.load({ status: this.selectedStatuses(), ...(this.assignee() ? { assignee: this.assignee() } : {}) });
  }

  protected open(row: EncounterSummary): void {
    void this.router.navigate(['/encounters', row.id]);
  }

  private async load(filter: WorklistFilter): Promise<void> {
    const request = ++this.latestRequest;
    this.loading.set(true);
    try {
      const items = await this.api.worklist(filter);
      if (request !== this.latestRequest) return;
      this.items.set(items);
      this.loadError.set(null);
    } catch (error) {
      if (request !== this.latestRequest) return;
      this.loadError.set(toApiError(error).message);
    } finally {
      if (request === this.latestRequest) this.loading.set(false);
    }
  }

  private setQuery(queryParams: Record<string, string | null>): Promise<boolean> {
    return this.router.navigate([], { relativeTo: this.route, queryParams, queryParamsHandling: 'merge' });
  }
}
