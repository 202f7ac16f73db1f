import { DecimalPipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  InjectionToken,
  computed,
  inject,
  signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import {
  INTAKE_CSV_COLUMNS,
  INTAKE_PREVIEW_ROWS,
  MAX_INTAKE_BYTES,
  type IntakeCommitMode,
  type IntakeFormat,
  type IntakeRow,
  type IntakeRowAction,
  type IntakeRowError,
  type IntakeSummary,
} from '@countersign/shared';
import { ApiClient } from '../../core/api/api-client';
import { toApiError } from '../../core/api/api-error';

/** How often a committing import is asked for its progress (the contract says ~500 ms). */
export const INTAKE_POLL_MS = new InjectionToken<number>('INTAKE_POLL_MS', {
  factory: () => 500,
});

/** The format of a file, from its name or type; null when it is neither CSV nor JSON. */
export function intakeFormatOf(file: { name: string; type: string }): IntakeFormat | null {
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv') || file.type === 'text/csv') return 'csv';
  if (name.endsWith('.json') || /json/.test(file.type)) return 'fhir';
  return null;
}

/** A file problem as a person reads it: "Row 3, date_of_service: …". */
export function describeRowError(error: IntakeRowError): string {
  const where = error.row > 0 ? `Row ${error.row}` : 'File';
  return `${where}${error.column ? `, ${error.column}` : ''}: ${error.message}`;
}

const ACTION_LABELS: Readonly<Record<IntakeRowAction, string>> = {
  create: 'Create',
  exists: 'Exists',
  invalid: 'Invalid',
};

/** Which rows the preview lists. */
type RowFilter = 'all' | IntakeRowAction;

const FILTER_LABELS: Readonly<Record<RowFilter, string>> = {
  all: 'All rows',
  invalid: 'Invalid',
  create: 'To create',
  exists: 'Already imported',
};

type Stage = 'choose' | 'uploading' | 'preview' | 'committing' | 'done' | 'failed';

/**
 * "Import encounters": a CSV or FHIR R4 Bundle is uploaded (with its progress), checked whole
 * by the server and shown as a preview (what each row will do, its problems by column). The
 * person imports all of it (refused while a row is invalid) or only the good rows, follows the
 * charts being created, and ends on a summary linking to them. Importing the same file again
 * creates nothing new: its rows show as "exists".
 */
@Component({
  selector: 'cs-import-page',
  imports: [DecimalPipe, RouterLink, MatButtonModule, MatIconModule, MatProgressBarModule],
  templateUrl: './import-page.html',
  styleUrl: './import-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ImportPage {
  private readonly api = inject(ApiClient);
  private readonly pollMs = inject(INTAKE_POLL_MS);

  protected readonly columns = INTAKE_CSV_COLUMNS;
  protected readonly actionLabels = ACTION_LABELS;
  protected readonly filters: readonly RowFilter[] = ['all', 'invalid', 'create', 'exists'];
  protected readonly filterLabels = FILTER_LABELS;
  protected readonly stage = signal<Stage>('choose');
  protected readonly fileName = signal<string | null>(null);
  /** Share of the file sent, 0 to 1; at 1 the server is reading it. */
  protected readonly sent = signal(0);
  protected readonly summary = signal<IntakeSummary | null>(null);
  protected readonly rows = signal<readonly IntakeRow[]>([]);
  protected readonly rowsTotal = signal(0);
  protected readonly nextOffset = signal<number | null>(null);
  protected readonly filter = signal<RowFilter>('all');
  protected readonly loadingRows = signal(false);
  protected readonly error = signal<string | null>(null);
  /** Problems that made the whole file unreadable. */
  protected readonly fileErrors = signal<readonly IntakeRowError[]>([]);
  protected readonly dragging = signal(false);
  protected readonly deciding = signal(false);
  /** The charts the import created, for the summary. */
  protected readonly created = signal<readonly IntakeRow[]>([]);
  protected readonly createdMore = signal(0);

  protected readonly percentSent = computed(() => Math.round(this.sent() * 100));
  protected readonly commitPercent = computed(() => {
    const s = this.summary();
    return s && s.total ? Math.round((s.done / s.total) * 100) : 0;
  });
  /** Why "Import all" cannot be used now, or null when it can. */
  protected readonly allRefusal = computed(() => {
    const s = this.summary();
    if (!s) return null;
    if (s.invalid > 0)
      return `${s.invalid} ${s.invalid === 1 ? 'row is' : 'rows are'} invalid: fix the file and upload it again, or import only the good rows.`;
    if (s.toCreate === 0) return 'Nothing new to import: every encounter was imported before.';
    return null;
  });
  protected readonly goodRefusal = computed(() => {
    const s = this.summary();
    if (!s) return null;
    if (s.toCreate === 0) return 'No row would create a chart.';
    return null;
  });

  private timer: ReturnType<typeof setTimeout> | undefined;
  private destroyed = false;
  private generation = 0;

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.destroyed = true;
      clearTimeout(this.timer);
    });
  }

  protected chooseFile(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) void this.upload(file);
  }

  protected dragOver(event: DragEvent): void {
    event.preventDefault();
    this.dragging.set(true);
  }

  protected drop(event: DragEvent): void {
    event.preventDefault();
    this.dragging.set(false);
    const file = event.dataTransfer?.files[0];
    if (file) void this.upload(file);
  }

  protected async upload(file: File): Promise<void> {
    if (this.stage() === 'uploading' || this.stage() === 'committing') return;
    this.reset();
    const format = intakeFormatOf(file);
    if (!format) {
      this.error.set(`${file.name} is neither a CSV (.csv) nor a FHIR JSON (.json) file.`);
      return;
    }
    if (file.size > MAX_INTAKE_BYTES) {
      this.error.set(`${file.name} is larger than the 50 MB an import takes; split it.`);
      return;
    }
    this.fileName.set(file.name);
    this.stage.set('uploading');
    const generation = this.generation;
    try {
      const preview = await this.api.uploadIntake(file, { format, fileName: file.name }, (sent) =>
        this.sent.set(sent),
      );
      if (generation !== this.generation) return;
      const { rows, nextOffset, ...summary } = preview;
      this.summary.set(summary);
      this.rows.set(rows);
      this.rowsTotal.set(summary.total);
      this.nextOffset.set(nextOffset);
      this.stage.set('preview');
    } catch (error) {
      if (generation !== this.generation) return;
      const refusal = toApiError(error);
      const errors = (refusal.details as { errors?: IntakeRowError[] } | undefined)?.errors;
      this.fileErrors.set(Array.isArray(errors) ? errors : []);
      this.error.set(refusal.message);
      this.stage.set('choose');
    }
  }

  protected async show(filter: RowFilter): Promise<void> {
    const summary = this.summary();
    if (!summary || filter === this.filter()) return;
    this.filter.set(filter);
    await this.loadRows(summary.id, 0);
  }

  protected async more(): Promise<void> {
    const summary = this.summary();
    const offset = this.nextOffset();
    if (summary && offset !== null) await this.loadRows(summary.id, offset);
  }

  protected async commit(mode: IntakeCommitMode): Promise<void> {
    const summary = this.summary();
    if (mode === 'all' && this.allRefusal()) return;
    if (mode === 'good_rows' && this.goodRefusal()) return;
    if (summary) await this.send(summary, mode);
  }

  /** Commits again after a failure: rows already created are skipped, nothing twice. */
  protected async resume(): Promise<void> {
    const summary = this.summary();
    if (summary) await this.send(summary, summary.mode ?? 'good_rows');
  }

  private async send(summary: IntakeSummary, mode: IntakeCommitMode): Promise<void> {
    if (this.deciding()) return;
    this.deciding.set(true);
    this.error.set(null);
    try {
      this.follow(await this.api.commitIntake(summary.id, mode));
    } catch (error) {
      this.error.set(toApiError(error).message);
      // The import may have moved on (another tab committed it): show it as it is.
      const now = await this.api.intake(summary.id).catch(() => null);
      if (now && now.status !== 'previewed') this.follow(now);
    } finally {
      this.deciding.set(false);
    }
  }

  protected async cancel(): Promise<void> {
    const summary = this.summary();
    if (!summary || this.deciding()) return;
    this.deciding.set(true);
    try {
      await this.api.cancelIntake(summary.id);
      this.reset();
    } catch (error) {
      this.error.set(toApiError(error).message);
    } finally {
      this.deciding.set(false);
    }
  }

  protected startOver(): void {
    this.reset();
  }

  protected describe(error: IntakeRowError): string {
    return describeRowError(error);
  }

  /** Whether a column of a row has a problem (the cell is marked). */
  protected hasError(row: IntakeRow, ...columns: string[]): boolean {
    return row.errors.some((e) => columns.some((c) => e.column === c || e.column.includes(c)));
  }

  private async loadRows(id: string, offset: number): Promise<void> {
    const filter = this.filter();
    this.loadingRows.set(true);
    try {
      const page = await this.api.intakeRows(id, {
        offset,
        limit: INTAKE_PREVIEW_ROWS,
        ...(filter === 'all' ? {} : { action: filter }),
      });
      if (filter !== this.filter()) return;
      this.rows.update((rows) => (offset === 0 ? page.items : [...rows, ...page.items]));
      this.rowsTotal.set(page.total);
      this.nextOffset.set(page.nextOffset);
    } catch (error) {
      this.error.set(toApiError(error).message);
    } finally {
      this.loadingRows.set(false);
    }
  }

  /** Shows the import's state and asks again until the commit has ended. */
  private follow(summary: IntakeSummary): void {
    this.summary.set(summary);
    clearTimeout(this.timer);
    switch (summary.status) {
      case 'committing':
        this.stage.set('committing');
        this.timer = setTimeout(() => void this.poll(summary.id), this.pollMs);
        return;
      case 'done':
        this.stage.set('done');
        void this.loadCreated(summary.id);
        return;
      case 'failed':
        this.stage.set('failed');
        return;
      case 'cancelled':
        this.reset();
        return;
      case 'previewed':
        this.stage.set('preview');
        return;
    }
  }

  private async poll(id: string): Promise<void> {
    if (this.destroyed) return;
    try {
      this.follow(await this.api.intake(id));
    } catch (error) {
      // A lost answer is asked again; a refusal (the import is gone) ends the wait.
      const refusal = toApiError(error);
      if (refusal.code === 'unavailable' || refusal.code === 'internal')
        this.timer = setTimeout(() => void this.poll(id), this.pollMs);
      else {
        this.error.set(refusal.message);
        this.stage.set('failed');
      }
    }
  }

  private async loadCreated(id: string): Promise<void> {
    try {
      const page = await this.api.intakeRows(id, {
        offset: 0,
        limit: INTAKE_PREVIEW_ROWS,
        action: 'create',
      });
      const created = page.items.filter((row) => row.encounterId);
      this.created.set(created);
      this.createdMore.set(Math.max(0, (this.summary()?.created ?? 0) - created.length));
    } catch {
      // The summary's counts stand on their own; the links are a convenience.
    }
  }

  private reset(): void {
    this.generation++;
    clearTimeout(this.timer);
    this.stage.set('choose');
    this.fileName.set(null);
    this.sent.set(0);
    this.summary.set(null);
    this.rows.set([]);
    this.rowsTotal.set(0);
    this.nextOffset.set(null);
    this.filter.set('all');
    this.error.set(null);
    this.fileErrors.set([]);
    this.created.set([]);
    this.createdMore.set(0);
  }
}
