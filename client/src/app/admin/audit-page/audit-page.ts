import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { ActivatedRoute, Router } from '@angular/router';
import type { ChartAudit, EncounterSummary } from '@countersign/shared';
import { map } from 'rxjs';
import { ApiClient } from '../../core/api/api-client';
import { toApiError } from '../../core/api/api-error';
import { StatusChip } from '../../encounter/status-chip/status-chip';

/**
 * Admin: the audit trail of a chart. Picking a chart verifies its event chain on the server
 * (every event's hash recomputed and chained to the one before) and lists who opened it, how
 * and when. The chosen chart is in the address (`?chart=`), so a link opens the same audit.
 */
@Component({
  selector: 'cs-audit-page',
  imports: [DatePipe, MatButtonModule, MatIconModule, StatusChip],
  templateUrl: './audit-page.html',
  styleUrl: './audit-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditPage {
  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  protected readonly charts = signal<readonly EncounterSummary[]>([]);
  protected readonly listError = signal<string | null>(null);
  protected readonly selectedId = toSignal(
    this.route.queryParamMap.pipe(map((params) => params.get('chart'))),
    { initialValue: null },
  );
  protected readonly selected = computed(
    () => this.charts().find((c) => c.id === this.selectedId()) ?? null,
  );
  protected readonly audit = signal<ChartAudit | null>(null);
  protected readonly auditError = signal<string | null>(null);
  protected readonly verifying = signal(false);

  constructor() {
    void this.loadCharts();
    effect(() => {
      const id = this.selectedId();
      untracked(() => void this.verify(id));
    });
  }

  protected choose(chart: EncounterSummary): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams: { chart: chart.id } });
  }

  protected verifyAgain(): void {
    void this.verify(this.selectedId());
  }

  private async loadCharts(): Promise<void> {
    try {
      this.charts.set(await this.api.worklist({ limit: 200 }));
    } catch (error) {
      this.listError.set(toApiError(error).message);
    }
  }

  private async verify(id: string | null): Promise<void> {
    this.audit.set(null);
    this.auditError.set(null);
    if (!id) return;
    this.verifying.set(true);
    try {
      const audit = await this.api.chartAudit(id);
      if (this.selectedId() === id) this.audit.set(audit);
    } catch (error) {
      if (this.selectedId() === id) this.auditError.set(toApiError(error).message);
    } finally {
      this.verifying.set(false);
    }
  }
}
