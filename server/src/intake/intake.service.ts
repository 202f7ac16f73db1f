import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  INTAKE_PREVIEW_ROWS,
  createRefusal,
  type CreateEncounter,
  type IntakeCommitMode,
  type IntakeFormat,
  type IntakePreview,
  type IntakeRow,
  type IntakeRowAction,
  type IntakeRowError,
  type IntakeRowsQuery,
  type IntakeRowsResponse,
  type IntakeSummary,
  type SessionUser,
} from '@countersign/shared';
import { DataSource } from 'typeorm';
import { EditsReferenceService } from '../edits/edits-reference.service.js';
import { sourceKey } from '../encounter/encounter.repository.js';
import { EncounterService, type CreatedChart } from '../encounter/encounter.service.js';
import { DomainError } from '../errors/domain-error.js';
import { UsersService } from '../users/users.service.js';
import { IntakeFileError, csvDrafts, type NoteFileReader } from './csv-intake.js';
import { fhirDrafts } from './fhir-intake.js';
import { checkDraft, type CheckedDraft, type IntakeDraft } from './intake-record.js';
import type { EncounterImportRowEntity } from './intake.entities.js';
import {
  IntakeRepository,
  type CommittedRow,
  type ImportRecord,
  type NewImportRow,
} from './intake.repository.js';

/** Rows per commit transaction: progress moves at least this often. */
export const COMMIT_BATCH = 100;
/** A `committing` import without progress for this long has lost its instance; a commit resumes it. */
export const STALE_COMMIT_SECONDS = 60;

/** Told after each committed batch (the command line prints it). */
export type ProgressListener = (summary: IntakeSummary) => void;

/**
 * Charts in: validates a CSV or FHIR file into a preview stored in Postgres, then commits it in
 * batches through EncounterService.createImported (the same rule and the same `encounter.created`
 * event as `POST /api/encounters`). Idempotent on the source system's identifier: the unique
 * index on encounters makes a second import, or a concurrent commit, create nothing twice.
 * Patient data never reaches a log: failures are logged by import id and error class only.
 */
@Injectable()
export class IntakeService implements OnModuleDestroy {
  private readonly logger = new Logger('Intake');
  private readonly running = new Set<Promise<void>>();
  private stopping = false;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(IntakeRepository) private readonly imports: IntakeRepository,
    @Inject(EncounterService) private readonly encounters: EncounterService,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(EditsReferenceService) private readonly references: EditsReferenceService,
  ) {}

  /**
   * A commit in flight finishes its batch and stops (`failed`, resumable) before the pool
   * closes, rather than holding the shutdown for the rest of the file.
   */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running]);
  }

  /**
   * Reads and checks a whole file and stores the preview; creates nothing. A file that cannot be
   * read as a whole is refused (`validation_failed`, `details.errors`) and nothing is stored.
   */
  async preview(
    user: SessionUser,
    format: IntakeFormat,
    content: string,
    options: { fileName?: string | null; readNoteFile?: NoteFileReader } = {},
  ): Promise<IntakePreview> {
    let drafts: IntakeDraft[];
    try {
      drafts = format === 'csv' ? csvDrafts(content, options.readNoteFile) : fhirDrafts(content);
    } catch (error) {
      if (error instanceof IntakeFileError)
        throw new DomainError(
          'validation_failed',
          `The file cannot be imported: ${error.message}`,
          {
            errors: error.errors,
          },
        );
      throw error;
    }
    const rows = await this.check(user, drafts.map(checkDraft));
    const count = (action: IntakeRowAction) => rows.filter((r) => r.action === action).length;
    const id = await this.imports.insertImport(
      {
        organizationId: user.organizationId,
        createdBy: user.id,
        format,
        fileName: options.fileName ?? null,
        total: rows.length,
        toCreate: count('create'),
        alreadyImported: count('exists'),
        invalid: count('invalid'),
      },
      rows,
    );
    const summary = await this.summary(user, id);
    const page = await this.rows(user, id, { offset: 0, limit: INTAKE_PREVIEW_ROWS });
    return { ...summary, rows: page.items, nextOffset: page.nextOffset };
  }

  /** The import's state and progress; another organization's import is not found. */
  async summary(user: SessionUser, id: string): Promise<IntakeSummary> {
    return toSummary(await this.find(user, id));
  }

  async list(user: SessionUser): Promise<IntakeSummary[]> {
    return (await this.imports.recent(user.organizationId, 50)).map(toSummary);
  }

  async rows(user: SessionUser, id: string, query: IntakeRowsQuery): Promise<IntakeRowsResponse> {
    await this.find(user, id);
    const { items, total } = await this.imports.rows(id, query);
    const next = query.offset + items.length;
    return { items: items.map(toRow), total, nextOffset: next < total ? next : null };
  }

  /** Discards an import before its commit. */
  async cancel(user: SessionUser, id: string): Promise<void> {
    const found = await this.find(user, id);
    this.assertUploader(user, found);
    if (!(await this.imports.cancel(user.organizationId, id)))
      throw new DomainError(
        'invalid_state',
        `The import is ${found.status}; only a preview can be discarded`,
      );
  }

  /**
   * Starts the commit and answers at once (`committing`); the batches run on this instance and
   * record their progress, which `summary` reads. `done` when it has nothing left to do.
   */
  async commit(user: SessionUser, id: string, mode: IntakeCommitMode): Promise<IntakeSummary> {
    const started = await this.start(user, id, mode);
    if (!started) return this.summary(user, id);
    const run = this.run(user, started, mode).finally(() => this.running.delete(run));
    this.running.add(run);
    return this.summary(user, id);
  }

  /** The whole commit, awaited (the command line): progress after each batch. */
  async commitAndWait(
    user: SessionUser,
    id: string,
    mode: IntakeCommitMode,
    onProgress: ProgressListener = () => undefined,
  ): Promise<IntakeSummary> {
    const started = await this.start(user, id, mode);
    if (started) await this.run(user, started, mode, onProgress);
    return this.summary(user, id);
  }

  /** Claims the import for a commit; null when it is already done (nothing to do). */
  private async start(
    user: SessionUser,
    id: string,
    mode: IntakeCommitMode,
  ): Promise<ImportRecord | null> {
    const found = await this.find(user, id);
    this.assertUploader(user, found);
    if (found.status === 'done') return null;
    if (found.status === 'cancelled')
      throw new DomainError('invalid_state', 'The import was discarded; upload the file again');
    if (mode === 'all' && found.invalid > 0)
      throw new DomainError(
        'invalid_state',
        `${found.invalid} of ${found.total} rows are invalid: fix the file, or import the good rows only. Nothing was created.`,
        { invalid: found.invalid },
      );
    if (!(await this.imports.claim(user.organizationId, id, mode, STALE_COMMIT_SECONDS)))
      throw new DomainError('invalid_state', 'The import is being committed already');
    return found;
  }

  private async run(
    user: SessionUser,
    record: ImportRecord,
    mode: IntakeCommitMode,
    onProgress?: ProgressListener,
  ): Promise<void> {
    const id = record.id;
    try {
      for (;;) {
        if (this.stopping) {
          await this.imports.finish(
            id,
            'failed',
            'The server stopped during the commit. Commit again to resume: nothing is created twice.',
          );
          return;
        }
        const batch = await this.imports.pending(id, COMMIT_BATCH);
        if (batch.length === 0) break;
        const created = await this.commitBatch(user, record, mode, batch);
        this.encounters.publishCreated(created);
        onProgress?.(await this.summary(user, id));
      }
      await this.imports.finish(id, 'done', null);
    } catch (error) {
      const reason = error instanceof DomainError ? error.message : 'the database refused a row';
      // By id and class only: the error's text may quote a row.
      this.logger.error({
        msg: 'import commit failed',
        importId: id,
        error: (error as Error).name,
      });
      await this.imports
        .finish(
          id,
          'failed',
          `The commit stopped (${reason}). Commit again to resume: nothing is created twice.`,
        )
        .catch(() => undefined);
    }
  }

  /** One transaction: the batch's charts, their events, the rows' outcomes and the counters. */
  private commitBatch(
    user: SessionUser,
    { id, format }: ImportRecord,
    mode: IntakeCommitMode,
    batch: EncounterImportRowEntity[],
  ): Promise<CreatedChart[]> {
    return this.dataSource.transaction(async (tx) => {
      const created: CreatedChart[] = [];
      const outcomes: CommittedRow[] = [];
      for (const row of batch) {
        if (row.action !== 'create' || !row.input || !row.sourceSystem || !row.sourceId) {
          if (row.action === 'invalid' && mode === 'all')
            throw new DomainError('invalid_state', 'The import has invalid rows');
          outcomes.push({
            position: row.position,
            action: row.action,
            encounterId: row.encounterId,
          });
          continue;
        }
        const chart = await this.encounters.createImported(tx, user, row.input, {
          format,
          sourceSystem: row.sourceSystem,
          sourceId: row.sourceId,
          importId: id,
        });
        if (chart) {
          created.push(chart);
          outcomes.push({
            position: row.position,
            action: 'create',
            encounterId: chart.encounter.id,
          });
        } else {
          // Created meanwhile by another import or commit of the same source.
          const existing = await this.encounters.idsBySource(user.organizationId, [
            { system: row.sourceSystem, id: row.sourceId },
          ]);
          outcomes.push({
            position: row.position,
            action: 'exists',
            encounterId: existing.get(sourceKey(row.sourceSystem, row.sourceId)) ?? null,
          });
        }
      }
      await this.imports.recordBatch(tx, id, outcomes);
      return created;
    });
  }

  /**
   * The checks that need the organization and the catalogue: codes no loaded edition lists,
   * assignees by email (and who may assign them: createRefusal), the same source twice in the
   * file, and sources the organization has imported already.
   */
  private async check(user: SessionUser, checked: CheckedDraft[]): Promise<NewImportRow[]> {
    const codes = [...new Set(checked.flatMap((c) => c.diagnoses))];
    const unlisted = await this.references.unlistedCodes('ICD10CM', codes);
    const members = await this.users.membersByEmail(user.organizationId);
    const firstRow = new Map<string, number>();
    const rows = checked.map((draft, position) => {
      const errors: IntakeRowError[] = [...draft.errors];
      const error = (column: string, message: string) =>
        errors.push({ row: draft.row, column, message });
      for (const code of draft.diagnoses)
        if (unlisted?.has(code))
          error(
            draft.at.diagnoses.get(code) ?? 'diagnoses',
            `${code} is not an ICD-10-CM code in any loaded edition`,
          );
      const assignee = (email: string | null, column: string): string | null => {
        if (!email) return null;
        const member = members.get(email);
        if (!member) error(column, 'No member of your organization has this email');
        else if (member.deactivated) error(column, `${member.name} is deactivated`);
        return member && !member.deactivated ? member.id : null;
      };
      const coderId = assignee(draft.coderEmail, draft.at.coderEmail);
      const reviewerId = assignee(draft.reviewerEmail, draft.at.reviewerEmail);
      const refused = createRefusal(user, { coderId, reviewerId });
      if (refused)
        error(reviewerId ? draft.at.reviewerEmail : draft.at.coderEmail, refused.message);
      if (draft.sourceSystem && draft.sourceId) {
        const key = sourceKey(draft.sourceSystem, draft.sourceId);
        const first = firstRow.get(key);
        if (first !== undefined)
          error(draft.at.sourceId, `Duplicate of row ${first} (same source id)`);
        else firstRow.set(key, draft.row);
      }
      const input: CreateEncounter | null =
        draft.input && errors.length === 0 ? { ...draft.input, coderId, reviewerId } : null;
      return { draft, position, errors, input };
    });
    const existing = await this.encounters.idsBySource(
      user.organizationId,
      rows.flatMap(({ input, draft }) =>
        input ? [{ system: draft.sourceSystem!, id: draft.sourceId! }] : [],
      ),
    );
    return rows.map(({ draft, position, errors, input }) => {
      const encounterId = input
        ? (existing.get(sourceKey(draft.sourceSystem!, draft.sourceId!)) ?? null)
        : null;
      const action: IntakeRowAction = !input ? 'invalid' : encounterId ? 'exists' : 'create';
      return {
        position,
        row: draft.row,
        sourceSystem: draft.sourceSystem,
        sourceId: draft.sourceId,
        patientName: draft.patientName,
        mrn: draft.mrn,
        dateOfService: draft.dateOfService,
        providerName: draft.providerName,
        diagnoses: draft.diagnoses,
        action,
        errors,
        input: action === 'create' ? input : null,
        encounterId,
      };
    });
  }

  private async find(user: SessionUser, id: string): Promise<ImportRecord> {
    const found = await this.imports.find(user.organizationId, id);
    if (!found) throw DomainError.notFound('The import');
    return found;
  }

  private assertUploader(user: SessionUser, found: ImportRecord): void {
    if (found.createdBy !== user.id)
      throw DomainError.forbidden('Only the person who uploaded the file can commit or discard it');
  }
}

function toSummary(record: ImportRecord): IntakeSummary {
  return {
    id: record.id,
    format: record.format,
    fileName: record.fileName,
    status: record.status,
    total: record.total,
    toCreate: record.toCreate,
    alreadyImported: record.alreadyImported,
    invalid: record.invalid,
    mode: record.mode,
    done: record.done,
    created: record.created,
    skipped: record.skipped,
    error: record.error,
    createdBy: { id: record.createdBy, name: record.createdByName },
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

function toRow(row: EncounterImportRowEntity): IntakeRow {
  return {
    row: row.row,
    sourceSystem: row.sourceSystem,
    sourceId: row.sourceId,
    patientName: row.patientName,
    mrn: row.mrn,
    dateOfService: row.dateOfService,
    providerName: row.providerName,
    diagnoses: row.diagnoses,
    action: row.action,
    errors: row.errors,
    encounterId: row.encounterId,
  };
}
