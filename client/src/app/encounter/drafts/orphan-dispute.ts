import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';

/**
 * A dispute the coder was writing when its suggestion was withdrawn (or accepted elsewhere): the
 * text is kept and shown with what happened, with an offer to post it as a comment on the line.
 */
@Component({
  selector: 'cs-orphan-dispute',
  imports: [MatButtonModule, MatIconModule],
  template: `
    <p class="reason">
      <mat-icon svgIcon="info" aria-hidden="true" />{{ reason() }} Your text is kept:
    </p>
    <blockquote class="text" data-testid="orphan-dispute-text">{{ text() }}</blockquote>
    <div class="actions">
      <button mat-button type="button" data-testid="discard-dispute" (click)="discard.emit()">
        Discard
      </button>
      <button
        mat-flat-button
        type="button"
        data-testid="post-dispute-as-comment"
        [disabled]="!canPost()"
        (click)="post.emit()"
      >
        Post it as a comment on this line
      </button>
    </div>
  `,
  styles: `
    :host {
      display: block;
      margin: 6px 0;
      padding: 8px 10px;
      border: 1px solid var(--cs-accent-border);
      border-radius: 6px;
      background: var(--cs-accent-tint);
    }
    .reason {
      display: flex;
      align-items: center;
      gap: 6px;
      margin: 0;
      color: var(--cs-accent-strong);
      font-size: 13px;
    }
    mat-icon {
      width: 18px;
      height: 18px;
    }
    .text {
      margin: 6px 0;
      padding: 4px 10px;
      border-left: 3px solid var(--cs-accent-border);
      white-space: pre-wrap;
    }
    .actions {
      display: flex;
      justify-content: flex-end;
      gap: 8px;
    }
  `,
  host: { 'data-testid': 'orphan-dispute', role: 'status' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OrphanDispute {
  /** What happened to the suggestion. */
  readonly reason = input.required<string>();
  readonly text = input.required<string>();
  /** Posting is possible now (connected, and commenting allowed). */
  readonly canPost = input(false);
  readonly post = output<void>();
  readonly discard = output<void>();
}
