import { ChangeDetectionStrategy, Component, computed, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import {
  BulkClaimQuerySchema,
  MAX_EXPORT_RANGE_DAYS,
  type BulkClaimFormat,
  type ClaimDateBasis,
} from '@countersign/shared';
import { bulkClaimsUrl } from '../../core/api/api-client';

const FORMATS: ReadonlyArray<{ value: BulkClaimFormat; label: string; hint: string }> = [
  {
    value: 'fhir-bundle',
    label: 'FHIR Bundle (JSON)',
    hint: 'One Bundle of type collection, one Claim per chart',
  },
  { value: 'ndjson', label: 'FHIR NDJSON', hint: 'One Claim per line (FHIR bulk data style)' },
  {
    value: 'csv',
    label: 'CSV',
    hint: 'One row per claim line, for spreadsheets and billing systems',
  },
];

const BASES: ReadonlyArray<{ value: ClaimDateBasis; label: string }> = [
  { value: 'signed-off', label: 'Sign-off date' },
  { value: 'service', label: 'Date of service' },
];

const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The bulk claims export (supervisors and admins): the charts signed off in a date range, as a
 * FHIR Bundle, NDJSON or CSV. The range is checked with the server's own schema as it is typed;
 * the download is a plain link the browser streams to disk, so a year of charts never sits in
 * the page. Each exported chart lands in its access log on the server.
 */
@Component({
  selector: 'cs-exports-page',
  imports: [MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, MatRadioModule],
  templateUrl: './exports-page.html',
  styleUrl: './exports-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ExportsPage {
  protected readonly formats = FORMATS;
  protected readonly bases = BASES;
  protected readonly maxDays = MAX_EXPORT_RANGE_DAYS;
  protected readonly from = signal(day(new Date(Date.now() - 30 * 86_400_000)));
  protected readonly to = signal(day(new Date()));
  protected readonly basis = signal<ClaimDateBasis>('signed-off');
  protected readonly format = signal<BulkClaimFormat>('fhir-bundle');

  private readonly parsed = computed(() =>
    BulkClaimQuerySchema.safeParse({
      from: this.from(),
      to: this.to(),
      basis: this.basis(),
      format: this.format(),
    }),
  );
  /** The first problem with each field, by field name. */
  protected readonly errors = computed(() => {
    const byField: Partial<Record<'from' | 'to', string>> = {};
    for (const issue of this.parsed().error?.issues ?? []) {
      const field = issue.path[0];
      if ((field === 'from' || field === 'to') && !byField[field]) byField[field] = issue.message;
    }
    return byField;
  });
  protected readonly url = computed(() => {
    const result = this.parsed();
    return result.success ? bulkClaimsUrl(result.data) : null;
  });

  protected setDate(field: 'from' | 'to', event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    (field === 'from' ? this.from : this.to).set(value);
  }
}
