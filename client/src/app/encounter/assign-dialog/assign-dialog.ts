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
import type {
  AssignmentRequest,
  AssignmentResponse,
  AssignmentResult,
  UserRef,
} from '@countersign/shared';
import { ApiClient } from '../../core/api/api-client';
import { toApiError } from '../../core/api/api-error';
import { TeamDirectory } from '../../core/team/team-directory';

export interface AssignDialogData {
  /** The charts to assign: one from the chart page, many from the worklist's selection. */
  encounterIds: readonly string[];
  /** The chart's people now, to start the pickers from (one chart only). */
  coder?: UserRef | null;
  reviewer?: UserRef | null;
}

/** "keep" leaves the person as they are; "none" unassigns; "auto" routes the reviewer. */
const KEEP = 'keep';
const NONE = 'none';
const AUTO = 'auto';

type FailedResult = Extract<AssignmentResult, { ok: false }>;

/**
 * Assigns the coder and the reviewer of one or many charts (supervisors and admins). Pickers
 * list the team's coders and reviewers; "Auto (round-robin)" gives each chart the next reviewer
 * in the organization's rotation, never one who coded it. Closes with the server's answer when
 * every chart was assigned; otherwise stays open and lists the charts that were not, with why.
 */
@Component({
  selector: 'cs-assign-dialog',
  imports: [ReactiveFormsModule, MatButtonModule, MatDialogModule],
  template: `
    <h2 mat-dialog-title>{{ title() }}</h2>
    <mat-dialog-content>
      <label class="label" for="assign-coder">Coder</label>
      <select
        id="assign-coder"
        class="cs-input field"
        data-testid="assign-coder"
        [formControl]="coder"
      >
        <option [value]="keep">{{ keepLabel(data.coder) }}</option>
        <option [value]="none">Unassigned</option>
        @for (person of coders(); track person.id) {
          <option [value]="person.id">{{ person.name }}</option>
        }
      </select>
      <label class="label" for="assign-reviewer">Reviewer</label>
      <select
        id="assign-reviewer"
        class="cs-input field"
        data-testid="assign-reviewer"
        [formControl]="reviewer"
      >
        <option [value]="keep">{{ keepLabel(data.reviewer) }}</option>
        <option [value]="auto">Auto (round-robin)</option>
        <option [value]="none">Unassigned</option>
        @for (person of reviewers(); track person.id) {
          <option [value]="person.id">{{ person.name }}</option>
        }
      </select>
      <p class="hint">
        Auto gives each chart the next reviewer in turn, never someone who coded it.
      </p>
      @if (error(); as message) {
        <p class="error" role="alert" data-testid="assign-error">{{ message }}</p>
      }
      @if (failed().length) {
        <div class="failed" role="alert" data-testid="assign-failed">
          <p>
            {{ done() }} of {{ data.encounterIds.length }} assigned; {{ failed().length }}
            {{ failed().length === 1 ? 'chart was' : 'charts were' }} not:
          </p>
          <ul>
            @for (result of failed(); track result.encounterId) {
              <li>{{ result.error.message }}</li>
            }
          </ul>
        </div>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" (click)="cancel()">
        {{ answer() ? 'Close' : 'Cancel' }}
      </button>
      <button
        mat-flat-button
        type="button"
        data-testid="confirm-assign"
        [disabled]="busy()"
        (click)="confirm()"
      >
        {{
          data.encounterIds.length > 1 ? 'Assign ' + data.encounterIds.length + ' charts' : 'Assign'
        }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
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
    .hint {
      margin: 8px 0 0;
      color: var(--cs-muted);
      font-size: 13px;
    }
    .error,
    .failed {
      margin: 12px 0 0;
      color: var(--cs-error);
    }
    .failed ul {
      margin: 4px 0 0;
      padding-left: 20px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AssignDialog implements OnInit {
  protected readonly data = inject<AssignDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<AssignDialog, AssignmentResponse>>(MatDialogRef);
  private readonly api = inject(ApiClient);
  private readonly team = inject(TeamDirectory);

  protected readonly keep = KEEP;
  protected readonly none = NONE;
  protected readonly auto = AUTO;
  protected readonly coder = new FormControl<string>(KEEP, { nonNullable: true });
  protected readonly reviewer = new FormControl<string>(KEEP, { nonNullable: true });
  protected readonly coders = computed(() =>
    this.team.members().filter((m) => m.role === 'coder' && m.active !== false),
  );
  protected readonly reviewers = computed(() =>
    this.team.members().filter((m) => m.role === 'reviewer' && m.active !== false),
  );
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  /** The last answer, when some charts were not assigned. */
  protected readonly answer = signal<AssignmentResponse | null>(null);
  protected readonly failed = computed(
    () => this.answer()?.results.filter((r): r is FailedResult => !r.ok) ?? [],
  );
  protected readonly done = computed(() => this.answer()?.assigned ?? 0);
  protected readonly title = computed(() =>
    this.data.encounterIds.length === 1
      ? 'Assign the chart'
      : `Assign ${this.data.encounterIds.length} charts`,
  );

  ngOnInit(): void {
    void this.team.ensure();
  }

  protected keepLabel(person: UserRef | null | undefined): string {
    if (person === undefined) return 'Leave as it is';
    return person ? `Keep ${person.name}` : 'Keep unassigned';
  }

  protected cancel(): void {
    this.ref.close(this.answer() ?? undefined);
  }

  protected async confirm(): Promise<void> {
    const request = this.request();
    if (!request) {
      this.error.set('Choose a coder or a reviewer to assign.');
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      const answer = await this.api.assign(request);
      if (answer.failed === 0) this.ref.close(answer);
      else this.answer.set(answer);
    } catch (error) {
      this.error.set(toApiError(error).message);
    } finally {
      this.busy.set(false);
    }
  }

  /** The request the pickers make; null when both are left as they are. */
  private request(): AssignmentRequest | null {
    const coder = this.coder.value;
    const reviewer = this.reviewer.value;
    if (coder === KEEP && reviewer === KEEP) return null;
    return {
      encounterIds: [...this.data.encounterIds],
      ...(coder !== KEEP && { coderId: coder === NONE ? null : coder }),
      ...(reviewer !== KEEP && { reviewerId: reviewer === NONE ? null : reviewer }),
    };
  }
}
