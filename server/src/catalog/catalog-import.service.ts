import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import {
  isAdminRole,
  type CatalogEdition,
  type CatalogImport,
  type ImportOptions,
  type ImportRestoreRequest,
  type SessionUser,
} from '@countersign/shared';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import { DomainError } from '../errors/domain-error.js';
import { CatalogGeneration } from './catalog-generation.js';
import { CatalogRepository, type ImportRow } from './catalog.repository.js';
import { CatalogImporter, type ImportOutcome } from './import/catalog-importer.js';

/** The largest file an admin may upload (the full PTP file is about 27 MB uncompressed). */
const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

/** How often unconfirmed previews are looked for, to expire them. */
const SWEEP_MS = 60_000;

/**
 * Uploads of code sets and edit files by the instance operator: the body is streamed to a
 * temporary file, the same importer as `npm run catalog:import` reads it in the background into
 * a preview (the temporary file is deleted once it is read), and the import row is what the
 * screen polls for progress, the preview or the bad line. Nothing changes until the operator
 * confirms. Organization admins see the editions and the imports, read-only.
 */
@Injectable()
export class CatalogImportService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('CatalogImport');
  private readonly importer: CatalogImporter;

  constructor(
    @Inject(DataSource) dataSource: DataSource,
    @Inject(CatalogRepository) private readonly catalog: CatalogRepository,
    @Inject(CatalogGeneration) private readonly generation: CatalogGeneration,
  ) {
    this.importer = new CatalogImporter(dataSource);
  }

  private sweeper: ReturnType<typeof setInterval> | undefined;

  /** Fails the imports a dead process left running, then expires unconfirmed previews every minute. */
  async onModuleInit(): Promise<void> {
    await this.sweep();
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  private async sweep(): Promise<void> {
    try {
      const { failed, expired } = await this.importer.recover();
      if (failed) this.logger.warn(`${failed} interrupted import(s) marked failed and cleaned up`);
      if (expired) this.logger.log(`${expired} unconfirmed import preview(s) expired`);
    } catch (error) {
      this.logger.error(
        `Import clean-up failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** Starts a preview of the uploaded body; with `wait`, answers once the preview is ready or the file refused. */
  async upload(
    user: SessionUser,
    options: ImportOptions & { wait?: boolean },
    body: Readable,
    declaredBytes: number | null,
  ): Promise<CatalogImport> {
    assertOperator(user);
    if (declaredBytes !== null && declaredBytes > MAX_UPLOAD_BYTES)
      throw new DomainError(
        'payload_too_large',
        `The file is larger than ${MAX_UPLOAD_BYTES / 2 ** 20} MB`,
      );
    if (!options.fileName)
      throw new DomainError(
        'validation_failed',
        'Name the file (fileName), so the format and edition can be recognised',
      );
    const path = join(tmpdir(), `countersign-import-${randomUUID()}`);
    try {
      let bytes = 0;
      body.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > MAX_UPLOAD_BYTES)
          body.destroy(
            new DomainError(
              'payload_too_large',
              `The file is larger than ${MAX_UPLOAD_BYTES / 2 ** 20} MB`,
            ),
          );
      });
      await pipeline(body, createWriteStream(path));
      if (bytes === 0) throw new DomainError('validation_failed', 'The upload is empty');
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    let started: { id: string; done: Promise<ImportOutcome> };
    try {
      started = await this.importer.startPreview(path, options, user.id, undefined, path);
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    const { id, done } = started;
    const settled = done
      .then((outcome) =>
        this.logger.log(
          `Import ${id} ${outcome.status}${outcome.status === 'failed' ? `: ${outcome.error.reason}` : ''}`,
        ),
      )
      // Even the failure of recording a failure (the database gone) must not become an unhandled rejection.
      .catch((error: unknown) =>
        this.logger.error(
          `Import ${id} could not be recorded: ${error instanceof Error ? error.message : String(error)}`,
        ),
      )
      .finally(() => rm(path, { force: true }).catch(() => undefined));
    if (options.wait) await settled;
    return this.get(user, id);
  }

  /** Applies a preview; refused when it expired or another import was applied since it was counted. */
  async confirm(user: SessionUser, id: string): Promise<CatalogImport> {
    assertOperator(user);
    await this.importer.apply(id);
    this.generation.changed();
    this.logger.log(`Import ${id} confirmed and applied by user ${user.id}`);
    return this.get(user, id);
  }

  async cancel(user: SessionUser, id: string): Promise<CatalogImport> {
    assertOperator(user);
    await this.importer.cancel(id);
    return this.get(user, id);
  }

  /** Previews the undo of the last applied import of a kind and edition; confirmed like any import. */
  async restore(user: SessionUser, request: ImportRestoreRequest): Promise<CatalogImport> {
    assertOperator(user);
    const { id, done } = await this.importer.startRestore(request.kind, request.edition, user.id);
    await done;
    return this.get(user, id);
  }

  async get(user: SessionUser, id: string): Promise<CatalogImport> {
    assertAdmin(user);
    if (!/^\d+$/.test(id)) throw DomainError.notFound('The import');
    const row = await this.catalog.importById(id);
    if (!row) throw DomainError.notFound('The import');
    return toImport(row);
  }

  async list(user: SessionUser, limit = 50): Promise<CatalogImport[]> {
    assertAdmin(user);
    return (await this.catalog.latestImports(limit)).map(toImport);
  }

  /** Loaded editions, newest first within each data set. */
  async editions(): Promise<CatalogEdition[]> {
    const rows = await this.catalog.editions();
    return rows.map(({ dataset, kind, edition, effectiveDate, fileName, importId }) => ({
      dataset,
      kind,
      edition,
      effectiveDate,
      fileName,
      importId,
    }));
  }
}

/** Organization admins and the operator may look. */
function assertAdmin(user: SessionUser): void {
  if (!isAdminRole(user.role))
    throw DomainError.forbidden('Only an admin can see the code set imports');
}

/** Code sets are the instance's, shared by every organization: only its operator changes them. */
function assertOperator(user: SessionUser): void {
  if (user.role !== 'operator')
    throw DomainError.forbidden(
      'Only the instance operator can import or restore code sets: they are shared by every organization',
    );
}

function toImport(row: ImportRow): CatalogImport {
  const bytesTotal = Number(row.bytes_total);
  const bytesRead = Number(row.bytes_read);
  const finished = row.status !== 'running';
  const expiresAt = row.status === 'preview' ? (row.expires_at?.toISOString() ?? null) : null;
  return {
    id: row.id,
    kind: row.kind,
    dataset: row.dataset,
    edition: row.edition,
    effectiveDate: row.effective_date,
    fileName: row.file_name,
    status: row.status,
    phase: row.phase,
    rowsRead: row.rows_read,
    bytesRead,
    bytesTotal,
    percent: finished
      ? 100
      : bytesTotal > 0
        ? Math.min(99, Math.floor((bytesRead / bytesTotal) * 100))
        : 0,
    summary: row.summary,
    error: row.error,
    preview: row.preview,
    expiresAt,
    restoresImportId: row.restores_import_id,
    restoredByImportId: row.restored_by_import_id,
    restorable: row.restorable,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}
