import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  signal,
  type OnInit,
} from '@angular/core';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { SendToDoubleCodingSchema, type DoubleCoding } from '@countersign/shared';
import { toApiError } from '../../core/api/api-error';
import { TeamDirectory } from '../../core/team/team-directory';
import { AgreementApi } from '../agreement-api';

export interface SendDialogData {
  encounterId: string;
  chartLabel: string;
}

/**
 * "Send to two coders" (supervisors and admins): pick two different coders; each gets a blind
 * copy of the chart and sees nothing of the other's coding until both have submitted. Closes
 * with the new double coding; a refusal (the chart already has lines, a coder is a trainee)
 * stays open with the server's reason.
 */
@Component({
  selector: 'cs-send-dialog',
  imports: [ReactiveFormsModule, MatButtonModule, MatDialogModule],
  template: `
    <h2 mat-dialog-title>Send to two coders</h2>
    <mat-dialog-content>
      <p class="intro">
        {{ data.chartLabel }}: each coder codes a blind copy on their own. Neither sees the other's
        work until both have submitted; then a reviewer reconciles the two.
      </p>
      @for (slot of slots; track slot.id) {
        <label class="label" [for]="slot.id">{{ slot.label }}</label>
        <select
          class="cs-input field"
          [id]="slot.id"
          [attr.data-testid]="slot.id"
          [formControl]="slot.control"
        >
          <option value="">Choose a coder</option>
          @for (person of coders(); track person.id) {
            <option [value]="person.id">{{ person.name }}</option>
          }
        </select>
      }
      @if (error(); as message) {
        <p class="error" role="alert" data-testid="send-error">{{ message }}</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" (click)="ref.close()">Cancel</button>
      <button
        mat-flat-button
        type="button"
        data-testid="confirm-send"
        [disabled]="busy()"
        (click)="confirm()"
      >
        Send to both
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .intro {
      max-width: 420px;
      margin: 0 0 8px;
      color: var(--cs-text-secondary);
      font-size: 14px;
    }
    .label {
      display: block;
      margin: 12px 0 4px;
      color: var(--cs-text);
      font-weight: 500;
    }
    .field {
      min-width: 380px;
      width: 100%;
      font-size: 14px;
    }
    .error {
      margin: 12px 0 0;
      color: var(--cs-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SendDialog implements OnInit {
  protected readonly data = inject<SendDialogData>(MAT_DIALOG_DATA);
  protected readonly ref = inject<MatDialogRef<SendDialog, DoubleCoding>>(MatDialogRef);
  private readonly api = inject(AgreementApi);
  private readonly team = inject(TeamDirectory);

  protected readonly first = new FormControl('', { nonNullable: true });
  protected readonly second = new FormControl('', { nonNullable: true });
  protected readonly slots = [
    { id: 'send-first', label: 'First coder', control: this.first },
    { id: 'send-second', label: 'Second coder', control: this.second },
  ];
  protected readonly coders = computed(() =>
    this.team.members().filter((m) => m.role === 'coder' && m.active !== false),
  );
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  ngOnInit(): void {
    void this.team.ensure();
  }

  protected async confirm(): Promise<void> {
    const coderIds = [this.first.value, this.second.value];
    if (coderIds.some((id) => !id)) {
      this.error.set('Choose two coders.');
      return;
    }
    const parsed = SendToDoubleCodingSchema.safeParse({ coderIds });
    if (!parsed.success) {
      this.error.set(parsed.error.issues[0]?.message ?? 'Choose two different coders');
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      this.ref.close(await this.api.send(this.data.encounterId, parsed.data.coderIds));
    } catch (error) {
      this.error.set(toApiError(error).message);
    } finally {
      this.busy.set(false);
    }
  }
}
