import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import type { PasswordLink } from '@countersign/shared';

/**
 * A set-password link as the admin sees it, once: the full address, a copy button, when it
 * stops working, and that it cannot be shown again (only its hash is kept).
 */
@Component({
  selector: 'cs-password-link-panel',
  imports: [DatePipe, MatButtonModule, MatIconModule],
  template: `
    <p class="once" role="status">
      <mat-icon svgIcon="warning" aria-hidden="true" />
      <span
        ><strong>Shown once.</strong> Copy this link now and give it to {{ name() }} yourself (in
        person, chat or phone): there is no email here, and the link cannot be shown again.</span
      >
    </p>
    <div class="link-row">
      <input
        class="cs-input link"
        readonly
        aria-label="Set-password link"
        data-testid="password-link"
        [value]="url()"
        (focus)="select($event)"
      />
      <button mat-flat-button type="button" data-testid="copy-link" (click)="copy()">
        <mat-icon [svgIcon]="copied() ? 'check' : 'content_copy'" aria-hidden="true" />
        {{ copied() ? 'Copied' : 'Copy' }}
      </button>
    </div>
    <p class="muted expires">
      Works once, until {{ link().expiresAt | date: 'medium' }}. Issuing a new link replaces it.
    </p>
  `,
  styles: `
    .once {
      display: flex;
      gap: 8px;
      margin: 0 0 12px;
      padding: 10px 12px;
      border-radius: 8px;
      background: var(--cs-warning-container);
      color: var(--cs-warning-strong);
      mat-icon {
        flex: none;
      }
    }
    .link-row {
      display: flex;
      gap: 8px;
      align-items: center;
    }
    .link {
      flex: 1;
      min-width: 0;
      font-family: var(--cs-mono);
      font-size: 12px;
    }
    .expires {
      margin: 8px 0 0;
      font-size: 12px;
      color: var(--cs-muted);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PasswordLinkPanel {
  readonly link = input.required<PasswordLink>();
  readonly name = input.required<string>();

  protected readonly url = computed(() => new URL(this.link().path, location.origin).toString());
  protected readonly copied = signal(false);

  protected select(event: FocusEvent): void {
    (event.target as HTMLInputElement).select();
  }

  protected async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.url());
      this.copied.set(true);
    } catch {
      // No clipboard (an insecure origin): the field stays selected for Ctrl+C.
      this.copied.set(false);
    }
  }
}
