import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import type { DoubleCoding } from '@countersign/shared';
import { RoomView } from '../../encounter/room-view';
import { AgreementApi } from '../agreement-api';
import { SendDialog, type SendDialogData } from '../send-dialog/send-dialog';

const OVERSEERS = new Set(['supervisor', 'admin', 'operator']);

/**
 * What the room says about blind double coding (docs/domain.md 11.2), in one place:
 * - on a blind copy, a banner: the coder codes alone, the other coder's work is hidden until both
 *   submit; once both have, a link to the reconciliation;
 * - on a chart being double coded, where it stands and, once both are in, the reconciliation;
 * - for a supervisor or an admin on a draft chart nobody has coded, "Send to two coders".
 */
@Component({
  selector: 'cs-double-coding-note',
  imports: [MatButtonModule, MatIconModule, RouterLink],
  template: `
    @if (blind()) {
      <div class="note note--blind" role="note" data-testid="blind-banner">
        <mat-icon svgIcon="lock" aria-hidden="true" />
        <span class="text">
          <strong>Blind copy</strong> — you code this chart on your own; the other coder's work is
          hidden until you both submit.
          @if (doubleCoding(); as dc) {
            @if (dc.status === 'reconciling' || dc.status === 'reconciled') {
              Both codings are in{{ dc.status === 'reconciled' ? ' and reconciled' : '' }}:
              <a
                [routerLink]="['/double-codings', dc.id, 'reconciliation']"
                data-testid="blind-reconciliation-link"
                >see the reconciliation</a
              >.
            } @else if (dc.status === 'cancelled') {
              The double coding was cancelled: {{ dc.cancelReason }}
            }
          }
        </span>
      </div>
    } @else if (doubleCoding(); as dc) {
      <div class="note" role="note" data-testid="double-coding-note">
        <mat-icon svgIcon="group" aria-hidden="true" />
        <span class="text">
          @switch (dc.status) {
            @case ('coding') {
              Sent to two coders ({{ names(dc) }}): {{ dc.submittedCount ?? 0 }} of 2 submitted. The
              chart waits for their codings.
            }
            @case ('reconciling') {
              Both coders have submitted ({{ names(dc) }}).
              <a
                [routerLink]="['/double-codings', dc.id, 'reconciliation']"
                data-testid="double-coding-reconcile-link"
                >Reconcile the two codings</a
              >.
            }
            @default {
              Coded blind by {{ names(dc) }} and reconciled:
              <a
                [routerLink]="['/double-codings', dc.id, 'reconciliation']"
                data-testid="double-coding-reconciliation-link"
                >the decisions</a
              >.
            }
          }
        </span>
      </div>
    } @else if (canSend()) {
      <div class="send">
        <button
          mat-stroked-button
          type="button"
          (click)="openSend()"
          data-testid="send-to-two-coders"
        >
          <mat-icon svgIcon="group" aria-hidden="true" />
          Send to two coders
        </button>
      </div>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    /* Nothing to say: no room taken in the column's gap. */
    :host(:empty) {
      display: none;
    }
    .note {
      display: flex;
      align-items: flex-start;
      gap: 8px;
      margin: 0;
      padding: 8px 12px;
      border: 1px solid var(--cs-border);
      border-radius: 8px;
      background: var(--cs-surface);
      color: var(--cs-text-secondary);
      font-size: 13px;
    }
    .note--blind {
      border-color: var(--cs-accent-border);
      background: var(--cs-accent-tint);
      color: var(--cs-text);
    }
    .text {
      flex: 1;
    }
    mat-icon {
      flex: none;
      width: 18px;
      height: 18px;
    }
    a {
      color: var(--cs-accent);
    }
    .send {
      display: flex;
      justify-content: flex-end;
      margin: 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DoubleCodingNote {
  private readonly view = inject(RoomView);
  private readonly api = inject(AgreementApi);
  private readonly dialog = inject(MatDialog);

  protected readonly blind = computed(() => this.view.live()?.purpose === 'blind');
  private readonly overseer = computed(() => OVERSEERS.has(this.view.user()?.role ?? ''));
  protected readonly doubleCoding = signal<DoubleCoding | null>(null);
  protected readonly canSend = computed(() => {
    const chart = this.view.live();
    return (
      !!chart &&
      this.overseer() &&
      chart.purpose === 'claim' &&
      chart.status === 'draft' &&
      chart.lines.length === 0 &&
      !this.view.readOnly()
    );
  });
  /** What to look up, asked again when the chart's status changes: its double coding. */
  private readonly lookup = computed(() => {
    const chart = this.view.live();
    if (!chart) return null;
    const relevant = chart.purpose === 'blind' || (this.overseer() && chart.purpose === 'claim');
    return relevant ? `${chart.id}|${chart.status}|${chart.purpose}` : null;
  });

  protected readonly names = (dc: DoubleCoding) => dc.copies.map((c) => c.coder.name).join(' and ');

  constructor() {
    effect(() => {
      const key = this.lookup();
      untracked(() => void this.load(key));
    });
  }

  protected openSend(): void {
    const chart = this.view.live();
    if (!chart) return;
    this.dialog
      .open<SendDialog, SendDialogData, DoubleCoding>(SendDialog, {
        data: {
          encounterId: chart.id,
          chartLabel: `${chart.patient.name}, ${chart.dateOfService}`,
        },
      })
      .afterClosed()
      .subscribe((sent) => {
        if (sent) this.doubleCoding.set(sent);
      });
  }

  private async load(key: string | null): Promise<void> {
    if (!key) {
      this.doubleCoding.set(null);
      return;
    }
    const [id, , purpose] = key.split('|');
    try {
      const all = await this.api.list();
      if (this.lookup() !== key) return;
      const found =
        purpose === 'blind'
          ? all.find((dc) => dc.copies.some((c) => c.encounterId === id))
          : [...all].reverse().find((dc) => dc.encounterId === id && dc.status !== 'cancelled');
      this.doubleCoding.set(found ?? null);
    } catch {
      // The note is a courtesy: without it the room works as ever.
      if (this.lookup() === key) this.doubleCoding.set(null);
    }
  }
}
