import {
  ChangeDetectionStrategy,
  Component,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import type { ReviewLevel } from '@countersign/shared';
import { AuthService } from '../../core/auth/auth.service';
import { SamplingApi } from '../sampling-api';

/**
 * A coder's own review level, in the words a supervisor sees (`GET /api/sampling/my-level`):
 * "My review level: 100% review: 12 of 30 reviewed charts so far". Shown to coders only.
 */
@Component({
  selector: 'cs-my-review-level',
  template: `
    @if (level(); as l) {
      <span class="level level--{{ l.level }}" data-testid="my-review-level"
        >My review level: {{ l.explanation }}</span
      >
    }
  `,
  styles: `
    .level {
      display: inline-block;
      margin-top: 4px;
      padding: 2px 10px;
      border-radius: 10px;
      font-size: 12px;
      font-weight: 600;
    }
    .level--full {
      background: var(--cs-surface-neutral);
      color: var(--cs-text-secondary);
    }
    .level--sampled {
      background: var(--cs-accent-tint);
      color: var(--cs-accent-strong);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MyReviewLevel {
  private readonly api = inject(SamplingApi);
  private readonly auth = inject(AuthService);
  protected readonly level = signal<ReviewLevel | null>(null);

  constructor() {
    effect(() => {
      const coder = this.auth.user()?.role === 'coder';
      untracked(() => void this.load(coder));
    });
  }

  private async load(coder: boolean): Promise<void> {
    if (!coder) {
      this.level.set(null);
      return;
    }
    try {
      this.level.set(await this.api.myLevel());
    } catch {
      // The level is information, not a control: a failed ask shows nothing.
      this.level.set(null);
    }
  }
}
