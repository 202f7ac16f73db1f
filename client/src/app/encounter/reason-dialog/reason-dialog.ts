import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { DraftStore, type DraftRef } from '../drafts/draft-store';

export interface ReasonDialogData {
  title: string;
  /** What the reason is for, e.g. "What should the coder change?" */
  prompt: string;
  confirm: string;
  /** False when the text may be left empty (an escalation's comment); a reason is required by default. */
  required?: boolean;
  /** Where the reason is kept until the transition goes through (closing the dialog keeps it). */
  draft?: DraftRef | null;
}

/**
 * Asks for the reason a transition or a decision needs (request changes, reopen, escalating or
 * deciding a dispute); closes with it, or undefined.
 * The text is kept as a draft, so a dialog closed by accident or a failed transition does not
 * lose it; the caller discards it once the transition is made.
 */
@Component({
  selector: 'cs-reason-dialog',
  imports: [ReactiveFormsModule, MatButtonModule, MatDialogModule],
  template: `
    <h2 mat-dialog-title>{{ data.title }}</h2>
    <mat-dialog-content>
      <label class="label" for="reason">{{ data.prompt }}</label>
      <textarea
        id="reason"
        class="cs-input field"
        rows="4"
        data-testid="reason"
        [formControl]="reason"
        (keydown.control.enter)="confirm()"
        (keydown.meta.enter)="confirm()"
      ></textarea>
      @if (missing()) {
        <p class="error" role="alert">Give a reason: it goes on the record with the change.</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Cancel</button>
      <button mat-flat-button type="button" data-testid="confirm-reason" (click)="confirm()">
        {{ data.confirm }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .label {
      display: block;
      margin-bottom: 6px;
      color: var(--cs-text);
    }
    .field {
      min-width: 380px;
      font-size: 14px;
    }
    .error {
      margin: 6px 0 0;
      color: var(--cs-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReasonDialog {
  protected readonly data = inject<ReasonDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<ReasonDialog, string>>(MatDialogRef);
  private readonly drafts = inject(DraftStore);
  protected readonly reason = new FormControl(
    this.data.draft ? (this.drafts.get(this.data.draft)?.text ?? '') : '',
    { nonNullable: true },
  );
  protected readonly missing = signal(false);

  constructor() {
    this.reason.valueChanges.pipe(takeUntilDestroyed()).subscribe((text) => {
      if (this.data.draft) this.drafts.save(this.data.draft, text);
    });
  }

  protected confirm(): void {
    const reason = this.reason.value.trim();
    if (!reason && this.data.required !== false) {
      this.missing.set(true);
      return;
    }
    this.ref.close(reason);
  }
}
