import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import type { PersonWithLink } from '@countersign/shared';
import { PasswordLinkPanel } from './password-link-panel';

/** Shows a link just issued (a reset or a new invitation), once. */
@Component({
  selector: 'cs-link-dialog',
  imports: [MatButtonModule, MatDialogModule, PasswordLinkPanel],
  template: `
    <h2 mat-dialog-title>New set-password link for {{ data.person.name }}</h2>
    <mat-dialog-content>
      <cs-password-link-panel [link]="data.link" [name]="data.person.name" />
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-flat-button type="button" mat-dialog-close data-testid="link-done">Done</button>
    </mat-dialog-actions>
  `,
  styles: `
    mat-dialog-content {
      min-width: 440px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LinkDialog {
  protected readonly data = inject<PersonWithLink>(MAT_DIALOG_DATA);
}
