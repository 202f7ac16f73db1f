import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import {
  LINE_FIELD_LABELS,
  type LineConflict,
  type LineField,
  type LineRebase,
} from './line-rebase';

/**
 * Under a line draft rebased after a conflict: which of the other person's changes it took, and
 * each field both changed, side by side ("Riley changed units 1 → 2; yours: 3"), with the choice
 * to keep theirs or use mine. Saving waits until every such field is chosen.
 */
@Component({
  selector: 'cs-line-rebase-notice',
  imports: [MatButtonModule, MatIconModule],
  template: `
    @if (taken().length) {
      <p class="taken" role="status" data-testid="line-rebased">
        <mat-icon svgIcon="info" aria-hidden="true" />
        <span
          >Your draft now has
          {{ who() === 'You (in another window)' ? 'your other window' : who() }}’s change:
          @for (t of taken(); track t.field; let last = $last) {
            {{ labels[t.field] }} {{ t.base }} → <strong>{{ t.theirs }}</strong>{{
              last ? '.' : ';'
            }}
          }
          Save to keep both.</span
        >
      </p>
    }
    @for (c of conflicts(); track c.field) {
      <div
        class="conflict"
        data-testid="line-conflict"
        [attr.data-field]="c.field"
        role="group"
        [attr.aria-label]="'Both of you changed ' + labels[c.field]"
      >
        <p class="conflict-text">
          <mat-icon svgIcon="warning" aria-hidden="true" />
          <span
            ><strong>{{ who() }}</strong> changed {{ labels[c.field] }} {{ c.base }} →
            <strong class="value" data-testid="conflict-theirs">{{ c.theirs }}</strong>; yours:
            <strong class="value" data-testid="conflict-mine">{{ mine()[c.field] }}</strong></span
          >
        </p>
        <div class="actions">
          <button
            mat-stroked-button
            type="button"
            data-testid="keep-theirs"
            (click)="choose.emit({ conflict: c, choice: 'theirs' })"
          >
            Keep theirs ({{ c.theirs }})
          </button>
          <button
            mat-flat-button
            type="button"
            data-testid="use-mine"
            (click)="choose.emit({ conflict: c, choice: 'mine' })"
          >
            Use mine ({{ mine()[c.field] }})
          </button>
        </div>
      </div>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 6px;
      margin-top: 6px;
    }
    .taken,
    .conflict-text {
      display: flex;
      align-items: flex-start;
      gap: 6px;
      margin: 0;
      font-size: 13px;
    }
    mat-icon {
      flex: none;
      width: 18px;
      height: 18px;
    }
    .taken {
      color: var(--cs-accent-strong);
    }
    .conflict {
      padding: 8px 10px;
      border: 1px solid var(--cs-warning-border);
      border-radius: 6px;
      background: var(--cs-warning-tint);
    }
    .conflict mat-icon {
      color: var(--cs-warning);
    }
    .value {
      font-family: var(--cs-mono);
    }
    .actions {
      display: flex;
      gap: 8px;
      margin-top: 6px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LineRebaseNotice {
  /** Who changed the line: a name, "You (in another window)" or "Someone". */
  readonly who = input.required<string>();
  readonly taken = input.required<LineRebase['taken']>();
  readonly conflicts = input.required<readonly LineConflict[]>();
  /** The draft's value of each field as it reads now. */
  readonly mine = input.required<Readonly<Record<LineField, string>>>();
  readonly choose = output<{ conflict: LineConflict; choice: 'theirs' | 'mine' }>();

  protected readonly labels = LINE_FIELD_LABELS;
}
