import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, InjectionToken, computed, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { IMPORT_KINDS, IMPORT_KIND_IDS, ImportOptionsSchema, type CatalogEdition, type CatalogImport, type ImportKind } from '@countersign/shared';
import { ApiClient } from '../../core/api/api-client';
import { toApiError } from '../../core/api/api-error';

/** How often a running import is asked for its progress. */
export const IMPORT_POLL_MS = new InjectionToken<number>('IMPORT_POLL_MS', { providedIn: 'root', factory: () => 500 });

/** "12,345 rows: 120 added, 3 changed, 0 removed", or why nothing changed. */
export function describeImport(job: CatalogImport): string {
  if (job.status === 'failed') return job.error ? `${job.error.line === null ? '' : `Line ${job.error.line}: `}${job.error.reason}` : 'The import failed.';
  const summary = job.summary;
  if (!summary) return `${job.phase}…`;
  if (summary.unchanged) return 'Unchanged: this edition was already imported with the same content.';
  const ended = summary.ended ? `, ${summary.ended.toLocaleString('en-US')} older codes ended` : '';
  return `${summary.rows.toLocaleString('en-US')} ${summary.rows === 1 ? 'row' : 'rows'}: ${summary.added.toLocaleString('en-US')} added, ${summary.changed.toLocaleString('en-US')} changed, ${summary.removed.toLocaleString('en-US')} removed${ended}`;
}

/**
 * Admin: the code sets and edit files loaded, and a file upload that imports one more. The
 * upload answers at once; the page then follows the import (progress, phase, rows read) until
 * it ends with a summary or with the line that was wrong and why.
 */
@Component({
  selector: 'cs-code-sets-page',
  imports: [DatePipe, DecimalPipe, ReactiveFormsModule, MatButtonModule, MatIconModule, MatProgressBarModule],
  templateUrl: './code-sets-page.html',
  styleUrl: './code-sets-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CodeSetsPage {
  private readonly api = inject(ApiClient);
  private readonly pollMs = inject(IMPORT_POLL_MS);

  protected readonly kinds = IMPORT_KIND_IDS.map((id) => ({ id, label: IMPORT_KINDS[id].label }));
  protected readonly form = new FormGroup({
    kind: new FormControl<ImportKind | ''>('', { nonNullable: true }),
    edition: new FormControl('', { nonNullable: true }),
    effectiveDate: new FormControl('', { nonNullable: true }),
  });
  protected readonly file = signal<File | null>(null);
  protected readonly editions = signal<readonly CatalogEdition[]>([]);
  protected readonly recent = signal<readonly CatalogImport[]>([]);
  protected readonly job = signal<CatalogImport | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly running = computed(() => this.job()?.status === 'running');
  protected readonly starting = signal(false);
  protected readonly result = computed(() => {
    const job = this.job();
    return job && job.status !== 'running' ? { tone: job.status, text: describeImport(job) } : null;
  });

  private timer: ReturnType<typeof setTimeout> | undefined;
  private destroyed = false;

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.destroyed = true;
      clearTimeout(this.timer);
    });
    void this.refresh();
  }

  protected chooseFile(event: Event): void {
    this.file.set((event.target as HTMLInputElement).files?.[0] ?? null);
    this.error.set(null);
  }

  protected async start(): Promise<void> {
    const file = this.file();
    if (!file || this.running() || this.starting()) {
      if (!file) this.error.set('Choose a file to import.');
      return;
    }
    const { kind, edition, effectiveDate } = this.form.getRawValue();
    const parsed = ImportOptionsSchema.safeParse({
      fileName: file.name,
      ...(kind ? { kind } : {}),
      ...(edition.trim() ? { edition: edition.trim() } : {}),
      ...(effectiveDate ? { effectiveDate } : {}),
    });
    if (!parsed.success) {
      this.error.set(parsed.error.issues[0]?.message ?? 'Check the options.');
      return;
    }
    this.error.set(null);
    this.starting.set(true);
    try {
      this.follow(await this.api.startImport(file, parsed.data));
    } catch (error) {
      this.error.set(toApiError(error).message);
    } finally {
      this.starting.set(false);
    }
  }

  protected describe(job: CatalogImport): string {
    return describeImport(job);
  }

  /** Shows the import's state and asks again until it has ended. */
  private follow(job: CatalogImport): void {
    this.job.set(job);
    if (job.status !== 'running') {
      void this.refresh();
      return;
    }
    this.timer = setTimeout(() => void this.poll(job.id), this.pollMs);
  }

  private async poll(id: string): Promise<void> {
    if (this.destroyed) return;
    try {
      this.follow(await this.api.importStatus(id));
    } catch (error) {
      // A lost answer is asked again; a refusal (the import is gone) ends the wait.
      const refusal = toApiError(error);
      if (refusal.code === 'unavailable' || refusal.code === 'internal') this.timer = setTimeout(() => void this.poll(id), this.pollMs);
      else this.error.set(refusal.message);
    }
  }

  private async refresh(): Promise<void> {
    try {
      const [editions, recent] = await Promise.all([this.api.editions(), this.api.imports()]);
      this.editions.set(editions);
      this.recent.set(recent);
      this.loadError.set(null);
    } catch (error) {
      this.loadError.set(toApiError(error).message);
    }
  }
}
