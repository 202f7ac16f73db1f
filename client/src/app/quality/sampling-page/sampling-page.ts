import { PercentPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import {
  CORRECTION_CATEGORIES,
  CORRECTION_CATEGORY_LABELS,
  type CoderReviewLevel,
  type CorrectionCategory,
} from '@countersign/shared';
import { SamplingApi } from '../sampling-api';
import { errorsOf, toFormValue, toPolicy, type FieldErrors } from '../sampling-form';

const numberControl = () => new FormControl<number | null>(null);

/**
 * The sampling policy for supervisors and admins (docs/domain.md section 10, "Sampling"): how
 * many charts a new coder has fully reviewed, the accuracy that earns sampling, the sample rate
 * and the risk rules; below it, each active coder's current review level.
 */
@Component({
  selector: 'cs-sampling-page',
  imports: [PercentPipe, ReactiveFormsModule, MatButtonModule, MatIconModule],
  templateUrl: './sampling-page.html',
  styleUrl: './sampling-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SamplingPage {
  private readonly api = inject(SamplingApi);

  protected readonly categories = CORRECTION_CATEGORIES;
  protected readonly categoryLabels = CORRECTION_CATEGORY_LABELS;
  protected readonly levels = signal<readonly CoderReviewLevel[] | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly saveError = signal<string | null>(null);
  protected readonly errors = signal<FieldErrors>({});
  protected readonly saved = signal(false);
  protected readonly busy = signal(false);
  protected readonly form = new FormGroup({
    newCoderCharts: numberControl(),
    thresholdPercent: numberControl(),
    samplePercent: numberControl(),
    modifiers: new FormControl('', { nonNullable: true }),
    dollarLimit: numberControl(),
    recentFailureDays: numberControl(),
    categories: new FormGroup(
      Object.fromEntries(
        CORRECTION_CATEGORIES.map((c) => [c, new FormControl(false, { nonNullable: true })]),
      ) as Record<CorrectionCategory, FormControl<boolean>>,
    ),
    newEditionDays: numberControl(),
  });

  constructor() {
    void this.load();
  }

  protected async save(): Promise<void> {
    this.saved.set(false);
    this.saveError.set(null);
    const checked = toPolicy(this.form.getRawValue());
    if (!checked.ok) {
      this.errors.set(checked.errors);
      return;
    }
    this.errors.set({});
    this.busy.set(true);
    try {
      const policy = await this.api.savePolicy(checked.policy);
      this.form.setValue(toFormValue(policy));
      this.saved.set(true);
      await this.loadLevels();
    } catch (error) {
      const { message, details } = error as { message: string; details?: unknown };
      const issues = (details as { issues?: { path: string }[] } | undefined)?.issues ?? [];
      this.errors.set(errorsOf(issues.map((i) => i.path)));
      this.saveError.set(message);
    } finally {
      this.busy.set(false);
    }
  }

  private async load(): Promise<void> {
    try {
      this.form.setValue(toFormValue(await this.api.policy()));
      await this.loadLevels();
    } catch (error) {
      this.loadError.set((error as Error).message);
    }
  }

  private async loadLevels(): Promise<void> {
    this.levels.set(await this.api.levels());
  }
}
