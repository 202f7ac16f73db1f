import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import { needsAcknowledgement, type Finding } from '@countersign/shared';
import { firstValueFrom } from 'rxjs';
import { LiveRoom } from '../../core/realtime/live-room';
import { ReasonDialog, type ReasonDialogData } from '../reason-dialog/reason-dialog';
import { RoomView } from '../room-view';
import { countFindings, describeCounts, linesLabel, ruleTitle, sourceLocation } from './findings';

const ACKNOWLEDGE: ReasonDialogData = {
  title: 'Acknowledge the warning',
  prompt: 'Why is the claim right as it stands? The reason goes on the record.',
  confirm: 'Acknowledge',
};

const ORDER = { error: 0, warning: 1, acknowledged: 2 } as const;

/**
 * The edits the server found on the live chart: errors (they block approval) and warnings (each
 * needs an acknowledgement with a reason), each with its rule, message and source. A finding
 * takes the reader to its line.
 */
@Component({
  selector: 'cs-findings-panel',
  imports: [MatButtonModule, MatIconModule, MatTooltipModule],
  templateUrl: './findings-panel.html',
  styleUrl: './findings-panel.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FindingsPanel {
  private readonly room = inject(LiveRoom);
  private readonly dialog = inject(MatDialog);
  protected readonly view = inject(RoomView);
  protected readonly needsAcknowledgement = needsAcknowledgement;

  protected readonly counts = computed(() =>
    countFindings(this.view.edits()?.findings ?? [], this.view.acknowledgements()),
  );
  protected readonly summary = computed(() => describeCounts(this.counts()));
  /** Errors first, then open warnings, then acknowledged ones. */
  protected readonly findings = computed(() => {
    const acknowledged = this.view.acknowledgements();
    const rank = (f: Finding) =>
      ORDER[f.severity === 'warning' && acknowledged.has(f.id) ? 'acknowledged' : f.severity];
    return [...(this.view.edits()?.findings ?? [])].sort((a, b) => rank(a) - rank(b));
  });
  /**
   * Findings about the whole chart (no line: an edition that does not cover the date of service,
   * a stale NCCI quarter) in their own group at the top, since they frame every line finding.
   */
  protected readonly groups = computed(() => {
    const all = this.findings();
    const chart = all.filter((f) => f.lineIds.length === 0);
    const lines = all.filter((f) => f.lineIds.length > 0);
    if (chart.length === 0) return [{ id: 'lines', title: null, findings: lines }];
    return [
      { id: 'chart', title: 'Whole chart', findings: chart },
      { id: 'lines', title: 'Lines', findings: lines },
    ].filter((g) => g.findings.length > 0);
  });
  protected readonly busy = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);

  protected title(finding: Finding): string {
    return ruleTitle(finding);
  }

  protected lines(finding: Finding): string {
    return linesLabel(finding, this.view.live()?.lines ?? []);
  }

  protected location(finding: Finding): string | null {
    return sourceLocation(finding);
  }

  protected jump(finding: Finding): void {
    const lineId = finding.lineIds[0];
    if (lineId) this.view.jumpToLine(lineId);
  }

  protected async acknowledge(finding: Finding): Promise<void> {
    if (this.busy()) return;
    const reason = await firstValueFrom(
      this.dialog
        .open<ReasonDialog, ReasonDialogData, string>(ReasonDialog, {
          data: ACKNOWLEDGE,
          width: '460px',
        })
        .afterClosed(),
      { defaultValue: undefined },
    );
    if (!reason) return;
    this.busy.set(finding.id);
    this.error.set(null);
    try {
      await this.room.acknowledgeFinding(finding.id, reason);
    } catch (error) {
      this.error.set(this.view.refusalMessage(error));
    } finally {
      this.busy.set(null);
    }
  }
}
