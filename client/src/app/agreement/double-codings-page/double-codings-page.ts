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
import { MatDialog } from '@angular/material/dialog';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import {
  DOUBLE_CODING_STATUSES,
  type DoubleCoding,
  type DoubleCodingStatus,
} from '@countersign/shared';
import { map } from 'rxjs';
import { AuthService } from '../../core/auth/auth.service';
import { toApiError } from '../../core/api/api-error';
import { ReasonDialog, type ReasonDialogData } from '../../encounter/reason-dialog/reason-dialog';
import { AgreementApi } from '../agreement-api';

export const STATUS_LABELS: Record<DoubleCodingStatus, string> = {
  coding: 'Coding',
  reconciling: 'Waiting for reconciliation',
  reconciled: 'Reconciled',
  cancelled: 'Cancelled',
};

/**
 * Double codings (`/double-codings`). A supervisor, admin or reviewer sees every one of the
 * organization with its coders and how many copies are in; a coder sees the blind copies they
 * code, each opening the room, and the reconciliation once both are in.
 */
@Component({
  selector: 'cs-double-codings-page',
  imports: [MatButtonModule, RouterLink],
  templateUrl: './double-codings-page.html',
  styleUrl: './double-codings-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DoubleCodingsPage {
  private readonly api = inject(AgreementApi);
  private readonly auth = inject(AuthService);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly dialog = inject(MatDialog);

  protected readonly statuses = DOUBLE_CODING_STATUSES.map((id) => ({
    id,
    label: STATUS_LABELS[id],
  }));
  protected readonly status = toSignal(
    this.route.queryParamMap.pipe(
      map((p) => {
        const s = p.get('status');
        return (DOUBLE_CODING_STATUSES as readonly string[]).includes(s ?? '')
          ? (s as DoubleCodingStatus)
          : undefined;
      }),
    ),
    { initialValue: undefined },
  );
  protected readonly rows = signal<DoubleCoding[] | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly isCoder = computed(() => this.auth.user()?.role === 'coder');
  /** Supervisors and admins cancel an open double coding (with a reason). */
  protected readonly canCancel = computed(() =>
    ['supervisor', 'admin', 'operator'].includes(this.auth.user()?.role ?? ''),
  );
  protected readonly isOpen = (dc: DoubleCoding) =>
    dc.status === 'coding' || dc.status === 'reconciling';
  protected readonly selfId = computed(() => this.auth.user()?.id);
  protected readonly label = (s: DoubleCodingStatus) => STATUS_LABELS[s];
  protected readonly day = (iso: string | null) => iso?.slice(0, 10) ?? '';
  /** The signed-in coder's own copy of a double coding. */
  protected readonly ownCopy = (dc: DoubleCoding) =>
    dc.copies.find((c) => c.coder.id === this.selfId()) ?? null;
  protected readonly canOpenReconciliation = (dc: DoubleCoding) =>
    dc.status === 'reconciling' || dc.status === 'reconciled';

  constructor() {
    effect(() => {
      const status = this.status();
      untracked(() => void this.load(status));
    });
  }

  protected setStatus(value: string): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: value ? { status: value } : {},
      replaceUrl: true,
    });
  }

  protected cancel(dc: DoubleCoding): void {
    this.dialog
      .open<ReasonDialog, ReasonDialogData, string>(ReasonDialog, {
        data: {
          title: 'Cancel the double coding',
          prompt: `Why is ${dc.chartLabel} no longer double coded? The chart can be coded as usual again.`,
          confirm: 'Cancel double coding',
        },
      })
      .afterClosed()
      .subscribe((reason) => {
        if (reason) void this.confirmCancel(dc, reason);
      });
  }

  private async confirmCancel(dc: DoubleCoding, reason: string): Promise<void> {
    this.error.set(null);
    try {
      const cancelled = await this.api.cancel(dc.id, reason);
      this.rows.update((rows) => rows?.map((r) => (r.id === dc.id ? cancelled : r)) ?? null);
    } catch (error) {
      this.error.set(toApiError(error).message);
    }
  }

  private async load(status: DoubleCodingStatus | undefined): Promise<void> {
    this.error.set(null);
    try {
      const rows = await this.api.list(status);
      if (this.status() === status) this.rows.set(rows);
    } catch (error) {
      if (this.status() === status) this.error.set(toApiError(error).message);
    }
  }
}
