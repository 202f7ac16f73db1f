import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { Router, RouterLink } from '@angular/router';
import type { Encounter } from '@countersign/shared';
import { AuthService } from '../../core/auth/auth.service';
import { PracticeApi } from '../practice-api';

/**
 * The room's bar on a practice chart (docs/domain.md section 11.1), in place of the review
 * workflow: the answer key stays hidden until the trainee submits for scoring, then the score
 * page shows it.
 */
@Component({
  selector: 'cs-practice-bar',
  imports: [MatButtonModule, MatIconModule, RouterLink],
  template: `
    <div class="practice-bar" role="status" data-testid="practice-banner">
      <mat-icon svgIcon="info" aria-hidden="true" />
      <span class="text">
        <strong>Practice chart</strong> — the answer key is shown when you submit.
        @if (encounter().status !== 'draft') {
          Submitted for scoring.
        }
      </span>
      @if (encounter().status === 'draft' && mine()) {
        <button
          mat-flat-button
          type="button"
          data-testid="practice-submit"
          [disabled]="busy() || encounter().lines.length === 0"
          (click)="submit()"
        >
          Submit for scoring
        </button>
      } @else if (attemptId(); as id) {
        <a
          mat-stroked-button
          [routerLink]="['/practice/attempts', id]"
          data-testid="practice-score-link"
        >
          See the score
        </a>
      }
    </div>
    @if (error(); as message) {
      <p class="error" role="alert">{{ message }}</p>
    }
  `,
  styles: `
    .practice-bar {
      display: flex;
      align-items: center;
      gap: 12px;
      padding: 10px 14px;
      border-radius: 8px;
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
    }
    .text {
      flex: 1;
    }
    .error {
      color: var(--mat-sys-error);
      margin: 6px 0 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PracticeBar {
  private readonly api = inject(PracticeApi);
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);

  readonly encounter = input.required<Encounter>();
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly attemptId = signal<string | null>(null);
  protected readonly mine = computed(() => this.encounter().coder?.id === this.auth.user()?.id);

  constructor() {
    queueMicrotask(() => void this.findAttempt());
  }

  private async findAttempt(): Promise<string | null> {
    try {
      const attempt = await this.api.attemptOf(this.encounter().id);
      this.attemptId.set(attempt.id);
      return attempt.id;
    } catch (error) {
      this.error.set((error as Error).message);
      return null;
    }
  }

  protected async submit(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      const id = this.attemptId() ?? (await this.findAttempt());
      if (!id) return;
      await this.api.submit(id);
      await this.router.navigate(['/practice/attempts', id]);
    } catch (error) {
      this.error.set((error as Error).message);
    } finally {
      this.busy.set(false);
    }
  }
}
