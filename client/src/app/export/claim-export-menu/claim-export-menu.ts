import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import type { ChartClaimFormat, EncounterStatus } from '@countersign/shared';
import { ApiClient } from '../../core/api/api-client';
import { Notifier } from '../../core/errors/notifier';
import { saveFile } from '../save-file';

const CHOICES: ReadonlyArray<{ format: ChartClaimFormat; label: string; hint: string }> = [
  { format: 'fhir', label: 'FHIR Claim (JSON)', hint: 'FHIR R4 professional Claim' },
  { format: 'csv', label: 'CSV', hint: 'One row per claim line, for spreadsheets' },
];

/**
 * The chart's "Export" menu: its claim as a FHIR R4 Claim or CSV, of the lines that are billed
 * (rejected lines left out). A chart not signed off is exported on request, as a draft claim,
 * and the menu says so. Each export is recorded in the chart's access log by the server.
 */
@Component({
  selector: 'cs-claim-export-menu',
  imports: [MatButtonModule, MatIconModule, MatMenuModule],
  template: `
    <button
      mat-button
      type="button"
      class="tool"
      data-testid="export-menu"
      [matMenuTriggerFor]="menu"
      [disabled]="busy()"
    >
      <mat-icon svgIcon="download" />
      Export
    </button>
    <mat-menu #menu="matMenu" xPosition="before" class="cs-export-menu">
      @if (!signedOff()) {
        <p class="note" data-testid="export-on-request">
          Not signed off: the export is on request, a <strong>draft</strong> claim of the lines as
          they stand now.
        </p>
      }
      @for (choice of choices; track choice.format) {
        <button
          mat-menu-item
          type="button"
          [attr.data-testid]="'export-' + choice.format"
          (click)="download(choice.format)"
        >
          <span class="label">{{ choice.label }}</span>
          <span class="hint">{{ choice.hint }}</span>
        </button>
      }
    </mat-menu>
  `,
  styleUrl: './claim-export-menu.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ClaimExportMenu {
  readonly encounterId = input.required<string>();
  readonly status = input.required<EncounterStatus>();

  private readonly api = inject(ApiClient);
  private readonly notifier = inject(Notifier);
  protected readonly choices = CHOICES;
  protected readonly busy = signal(false);
  protected readonly signedOff = computed(() => this.status() === 'signed_off');

  protected async download(format: ChartClaimFormat): Promise<void> {
    this.busy.set(true);
    try {
      const file = await this.api.chartClaim(this.encounterId(), format, !this.signedOff());
      saveFile(file.blob, file.fileName);
    } catch (error) {
      this.notifier.error(error);
    } finally {
      this.busy.set(false);
    }
  }
}
