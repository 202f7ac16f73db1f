import { DatePipe, DecimalPipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  InjectionToken,
  computed,
  inject,
  signal,
} from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import {
  IMPORT_KINDS,
  IMPORT_KIND_IDS,
  ImportOptionsSchema,
  type CatalogEdition,
  type CatalogImport,
  type ImportKind,
  type ImportPreview,
} from '@countersign/shared';
import { ApiClient } from '../../core/api/api-client';
import { AuthService } from '../../core/auth/auth.service';
import { toApiError } from '../../core/api/api-error';

/** How often a running import is asked for its progress. */
export const IMPORT_POLL_MS = new InjectionToken<number>('IMPORT_POLL_MS', {
  providedIn: 'root',
  factory: () => 500,
});

/** "12,345 rows: 120 added, 3 changed, 0 removed", or why nothing changed. */
export function describeImport(job: CatalogImport): string {
  if (job.status === 'failed')
    return job.error
      ? `${job.error.line === null ? '' : `Line ${job.error.line}: `}${job.error.reason}`
      : 'The import failed.';
  if (job.status === 'preview') return 'Waiting for confirmation.';
  if (job.status === 'cancelled') return 'Cancelled: nothing was changed.';
  if (job.status === 'expired')
    return job.error?.reason ?? 'The preview expired: nothing was changed.';
  const summary = job.summary;
  if (!summary) return `${job.phase}…`;
  if (summary.unchanged)
    return 'Unchanged: this edition was already imported with the same content.';
  const ended = summary.ended ? `, ${summary.ended.toLocaleString('en-US')} older codes ended` : '';
  const reopened = summary.reopened
    ? `, ${summary.reopened.toLocaleString('en-US')} codes reopened`
    : '';
  const undone = job.restoredByImportId ? ` (undone by import #${job.restoredByImportId})` : '';
  return `${summary.rows.toLocaleString('en-US')} ${summary.rows === 1 ? 'row' : 'rows'}: ${summary.added.toLocaleString('en-US')} added, ${summary.changed.toLocaleString('en-US')} changed, ${summary.removed.toLocaleString('en-US')} removed${ended}${reopened}${undone}`;
}

/** The preview's counts, in the order a person checks them, with samples. */
export function previewLines(
  preview: ImportPreview,
): Array<{ label: string; count: number; samples: readonly string[] }> {
  const lines = [
    { label: 'Added', count: preview.added, samples: preview.samples.added },
    { label: 'Changed', count: preview.changed, samples: preview.samples.changed },
    { label: 'Removed', count: preview.removed, samples: preview.samples.removed },
  ];
  if (preview.ended || preview.endable)
    lines.push({
      label: 'Older codes ended',
      count: preview.ended,
      samples: preview.samples.ended,
    });
  if (preview.reopened)
    lines.push({
      label: 'Codes reopened',
      count: preview.reopened,
      samples: preview.samples.reopened,
    });
  return lines;
}

/**
 * The code sets and edit files loaded (organization admins see them read-only) and, for the
 * instance operator, a file upload that imports one more. The upload answers at once; the page
 * follows the import (progress, phase, rows read) until its preview is ready (counts, samples,
 * a loud warning when much would go), which the operator confirms or cancels; or until it ends
 * with the line that was wrong and why. The last import of an edition can be undone the same way.
 */
@Component({
  selector: 'cs-code-sets-page',
  imports: [
    DatePipe,
    DecimalPipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
  ],
  templateUrl: './code-sets-page.html',
  styleUrl: './code-sets-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CodeSetsPage {
  private readonly api = inject(ApiClient);
  private readonly pollMs = inject(IMPORT_POLL_MS);
  /** Code sets are shared by every organization: only the instance operator changes them. */
  private readonly auth = inject(AuthService);
  protected readonly canImport = computed(() => this.auth.user()?.role === 'operator');

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
  /** Confirming or cancelling a preview. */
  protected readonly deciding = signal(false);
  protected readonly waiting = computed(() => this.job()?.status === 'preview');
  protected readonly previewRows = computed(() => {
    const preview = this.job()?.preview;
    return this.waiting() && preview ? previewLines(preview) : [];
  });
  protected readonly result = computed(() => {
    const job = this.job();
    return job && job.status !== 'running' && job.status !== 'preview'
      ? { tone: job.status, text: describeImport(job) }
      : null;
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
    if (!file || this.running() || this.waiting() || this.starting()) {
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

  /** Applies the preview on screen. */
  protected async confirm(): Promise<void> {
    await this.decide((id) => this.api.confirmImport(id));
  }

  protected async cancel(): Promise<void> {
    await this.decide((id) => this.api.cancelImport(id));
  }

  /** Previews the undo of an applied import; confirmed like any other. */
  protected async restore(item: CatalogImport): Promise<void> {
    if (this.running() || this.waiting() || this.starting()) return;
    this.error.set(null);
    this.starting.set(true);
    try {
      this.follow(
        await this.api.restoreImport({ kind: item.kind as ImportKind, edition: item.edition }),
      );
    } catch (error) {
      this.error.set(toApiError(error).message);
    } finally {
      this.starting.set(false);
    }
  }

  private async decide(action: (id: string) => Promise<CatalogImport>): Promise<void> {
    const job = this.job();
    if (!job || job.status !== 'preview' || this.deciding()) return;
    this.deciding.set(true);
    this.error.set(null);
    try {
      this.follow(await action(job.id));
    } catch (error) {
      this.error.set(toApiError(error).message);
      // A stale or expired preview has ended: show it as it now is.
      this.follow(await this.api.importStatus(job.id).catch(() => job));
    } finally {
      this.deciding.set(false);
    }
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
      if (refusal.code === 'unavailable' || refusal.code === 'internal')
        this.timer = setTimeout(() => void this.poll(id), this.pollMs);
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
