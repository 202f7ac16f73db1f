import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CatalogEdition, CatalogImport, ImportOptions, SessionUser } from '@countersign/shared';
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
import { CatalogImporter } from './import/catalog-importer.js';

/** The largest file an admin may upload (the full PTP file is about 27 MB uncompressed). */
const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

interface ImportRow {
  id: string;
  kind: string;
  dataset: string;
  edition: string;
  effective_date: string;
  file_name: string;
  status: CatalogImport['status'];
  phase: string;
  rows_read: number;
  bytes_read: string;
  bytes_total: string;
  summary: CatalogImport['summary'];
  error: CatalogImport['error'];
  started_at: Date;
  finished_at: Date | null;
}

const IMPORT_SELECT = `id::text, kind, dataset, edition, effective_date::text, file_name, status, phase, rows_read, bytes_read, bytes_total,
  summary, error, started_at, finished_at`;

/**
 * Admin uploads of code sets and edit files: the body is streamed to a temporary file, the same
 * importer as `npm run catalog:import` runs in the background, and the import row is what the
 * screen polls for progress, the summary or the bad line.
 */
@Injectable()
export class CatalogImportService {
  private readonly logger = new Logger('CatalogImport');
  private readonly importer: CatalogImporter;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CatalogGeneration) private readonly generation: CatalogGeneration,
  ) {
    this.importer = new CatalogImporter(dataSource);
  }

  /** Starts an import of the uploaded body; with `wait`, answers once it has finished. */
  async upload(user: SessionUser, options: ImportOptions & { wait?: boolean }, body: Readable, declaredBytes: number | null): Promise<CatalogImport> {
    assertAdmin(user);
    if (declaredBytes !== null && declaredBytes > MAX_UPLOAD_BYTES) throw new DomainError('payload_too_large', `The file is larger than ${MAX_UPLOAD_BYTES / 2 ** 20} MB`);
    if (!options.fileName) throw new DomainError('validation_failed', 'Name the file (fileName), so the format and edition can be recognised');
    const path = join(tmpdir(), `countersign-import-${randomUUID()}`);
    try {
      let bytes = 0;
      body.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > MAX_UPLOAD_BYTES) body.destroy(new DomainError('payload_too_large', `The file is larger than ${MAX_UPLOAD_BYTES / 2 ** 20} MB`));
      });
      await pipeline(body, createWriteStream(path));
      if (bytes === 0) throw new DomainError('validation_failed', 'The upload is empty');
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    let started: Awaited<ReturnType<CatalogImporter['start']>>;
    try {
      started = await this.importer.start(path, options, user.id);
    } catch (error) {
      // Refused before it began (an unknown format, a bad date): the upload is not kept.
      await rm(path, { force: true });
      throw error;
    }
    const { id, done } = started;
    const settled = done.then(async (outcome) => {
      await rm(path, { force: true });
      if (outcome.status === 'succeeded') this.generation.changed();
      this.logger.log(`Import ${id} ${outcome.status}${outcome.status === 'failed' ? `: ${outcome.error.reason}` : ''}`);
    });
    if (options.wait) await settled;
    return this.get(user, id);
  }

  async get(user: SessionUser, id: string): Promise<CatalogImport> {
    assertAdmin(user);
    if (!/^\d+$/.test(id)) throw DomainError.notFound('The import');
    const rows: ImportRow[] = await this.dataSource.query(`SELECT ${IMPORT_SELECT} FROM catalog_imports WHERE id = $1`, [id]);
    if (!rows[0]) throw DomainError.notFound('The import');
    return toImport(rows[0]);
  }

  async list(user: SessionUser, limit = 50): Promise<CatalogImport[]> {
    assertAdmin(user);
    const rows: ImportRow[] = await this.dataSource.query(`SELECT ${IMPORT_SELECT} FROM catalog_imports ORDER BY catalog_imports.id DESC LIMIT $1`, [limit]);
    return rows.map(toImport);
  }

  /** Loaded editions, newest first within each data set. */
  async editions(): Promise<CatalogEdition[]> {
    const rows: Array<{ dataset: string; kind: string; edition: string; effective_date: string; file_name: string; import_id: string }> =
      await this.dataSource.query(
        `SELECT dataset, kind, edition, effective_date::text, file_name, import_id::text FROM catalog_editions ORDER BY dataset, effective_date DESC, kind`,
      );
    return rows.map((r) => ({ dataset: r.dataset, kind: r.kind, edition: r.edition, effectiveDate: r.effective_date, fileName: r.file_name, importId: r.import_id }));
  }
}

function assertAdmin(user: SessionUser): void {
  if (user.role !== 'admin') throw DomainError.forbidden('Only an admin can import code sets');
}

function toImport(row: ImportRow): CatalogImport {
  const bytesTotal = Number(row.bytes_total);
  const bytesRead = Number(row.bytes_read);
  const finished = row.status !== 'running';
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
    percent: finished ? 100 : bytesTotal > 0 ? Math.min(99, Math.floor((bytesRead / bytesTotal) * 100)) : 0,
    summary: row.summary,
    error: row.error,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}
