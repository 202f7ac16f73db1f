import { CurrencyPipe, DatePipe, PercentPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import { formatIcd10Cm, type PracticeAttemptView } from '@countersign/shared';
import { PracticeApi } from '../practice-api';

type LineScore = NonNullable<PracticeAttemptView['result']>['score']['lines'][number];

/** A line as the score page writes it: `20610-RT x1 → M17.11`. */
export function describeLine(line: {
  code: string;
  modifiers: readonly string[];
  units: number;
  pointers: readonly string[];
}): string {
  const modifiers = line.modifiers.length ? `-${line.modifiers.join('-')}` : '';
  const pointers = line.pointers.length ? ` → ${line.pointers.map(formatIcd10Cm).join(', ')}` : '';
  return `${line.code}${modifiers} ×${line.units}${pointers}`;
}

/** What was wrong on a line, in words ("modifier RT missing; units"). */
export function differences(line: LineScore): string[] {
  if (line.verdict === 'missed') return ['You did not bill this line'];
  const out: string[] = [];
  if (line.code === 'wrong') out.push(`Code: you billed ${line.attempt?.code}`);
  if (line.modifiers.missing.length)
    out.push(`Modifier missing: ${line.modifiers.missing.join(', ')}`);
  if (line.modifiers.extra.length)
    out.push(`Modifier not needed: ${line.modifiers.extra.join(', ')}`);
  if (!line.units.right) out.push(`Units: you billed ${line.attempt?.units}`);
  if (line.pointers.missing.length)
    out.push(`Diagnosis not pointed at: ${line.pointers.missing.map(formatIcd10Cm).join(', ')}`);
  if (line.pointers.extra.length)
    out.push(`Diagnosis pointed at instead: ${line.pointers.extra.map(formatIcd10Cm).join(', ')}`);
  return out;
}

/**
 * The score of a submitted practice chart (docs/domain.md section 11.1): per answer-key line
 * what was right, its explanation, the lines missed and added, the dollar difference and the
 * findings left open.
 */
@Component({
  selector: 'cs-score-page',
  imports: [CurrencyPipe, DatePipe, PercentPipe, RouterLink, MatButtonModule, MatIconModule],
  templateUrl: './score-page.html',
  styleUrl: './score-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ScorePage {
  private readonly api = inject(PracticeApi);
  readonly id = input.required<string>();
  protected readonly attempt = signal<PracticeAttemptView | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly describe = describeLine;
  protected readonly differences = differences;
  protected readonly formatDiagnosis = formatIcd10Cm;
  protected readonly ignored = computed(() => {
    const result = this.attempt()?.result;
    if (!result) return [];
    return [
      ...result.score.ignoredFindings.errors,
      ...result.score.ignoredFindings.unacknowledgedWarnings,
    ];
  });

  constructor() {
    queueMicrotask(() => void this.load());
  }

  private async load(): Promise<void> {
    try {
      this.attempt.set(await this.api.attempt(this.id()));
    } catch (error) {
      this.error.set((error as Error).message);
    }
  }
}
