import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import type { QualityGroupRow } from '@countersign/shared';
import { downloadCsv, groupCsvRows } from '../quality-csv';
import { dollars, measureCounts, measureValue } from '../quality-format';

/**
 * One table of the team report (by coder, reviewer, family, provider or week): the three
 * measures with their counts and the dollars, each row linking to the charts behind it, and the
 * whole table as CSV.
 */
@Component({
  selector: 'cs-group-table',
  imports: [MatButtonModule, MatIconModule, RouterLink],
  templateUrl: './group-table.html',
  styleUrl: './group-table.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class GroupTable {
  readonly heading = input.required<string>();
  /** What a row is: "Coder", "Week"...; the first column's heading. */
  readonly keyLabel = input.required<string>();
  /** The key column's CSV header: "coder_id", "week"... */
  readonly csvKey = input.required<string>();
  readonly csvName = input.required<string>();
  readonly rows = input.required<readonly QualityGroupRow[]>();
  /** The query of /quality/charts behind a row. */
  readonly linkFor = input.required<(row: QualityGroupRow) => Record<string, string>>();
  readonly testId = input.required<string>();

  protected readonly value = measureValue;
  protected readonly counts = measureCounts;
  protected readonly dollars = dollars;

  protected exportCsv(): void {
    void downloadCsv(this.csvName(), groupCsvRows(this.csvKey(), this.rows()));
  }
}
