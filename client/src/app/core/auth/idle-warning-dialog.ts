import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import type { IdleWarning } from './auth.service';

/** Closes with `stay` or `sign-out`; the shell acts on it. */
export type IdleWarningChoice = 'stay' | 'sign-out';

/** A minute before the automatic sign-out: how long is left, and a way to stay. */
@Component({
  selector: 'cs-idle-warning-dialog',
  imports: [MatButtonModule, MatDialogModule],
  template: `
    <h2 mat-dialog-title>Still there?</h2>
    <mat-dialog-content>
      <p class="text" role="alert" data-testid="idle-warning">
        For patient privacy you will be signed out in <strong>{{ secondsLeft() }} s</strong> because
        nothing was typed or clicked for a while.
      </p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" [mat-dialog-close]="'sign-out'" data-testid="idle-sign-out">
        Sign out
      </button>
      <button
        mat-flat-button
        type="button"
        cdkFocusInitial
        [mat-dialog-close]="'stay'"
        data-testid="stay-signed-in"
      >
        Stay signed in
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .text {
      margin: 0;
      max-width: 36ch;
      line-height: 1.5;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class IdleWarningDialog {
  private readonly data = inject<IdleWarning>(MAT_DIALOG_DATA);
  private readonly now = signal(Date.now());
  protected readonly secondsLeft = computed(() =>
    Math.max(0, Math.ceil((this.data.signOutAt - this.now()) / 1000)),
  );

  constructor() {
    const tick = setInterval(() => this.now.set(Date.now()), 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(tick));
  }
}
