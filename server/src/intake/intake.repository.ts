import { Inject, Injectable } from '@nestjs/common';
import type {
  CreateEncounter,
  IntakeCommitMode,
  IntakeFormat,
  IntakeRow,
  IntakeRowAction,
  IntakeStatus,
} from '@countersign/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { returningRows } from '../database/returning-rows.js';
import { EncounterImportEntity, EncounterImportRowEntity } from './intake.entities.js';

/** An import with the name of the person who uploaded it, as every read returns it. */
export interface ImportRecord extends EncounterImportEntity {
  createdByName: string;
}

/** A validated row to store: the row as the preview shows it, its order and the chart to create. */
export type NewImportRow = IntakeRow & { position: number; input: CreateEncounter | null };

/** What committing one row did. */
export interface CommittedRow {
  position: number;
  action: IntakeRowAction;
  encounterId: string | null;
}

/** Rows per INSERT when storing a preview: notes can be large, so keep each statement modest. */
const INSERT_CHUNK = 500;

/** All of the SQL of imports and their rows; every read names the organization. */
@Injectable()
export class IntakeRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Stores an import and its rows in one transaction; returns its id. */
  async insertImport(
    header: {
      organizationId: string;
      createdBy: string;
      format: IntakeFormat;
      fileName: string | null;
      total: number;
      toCreate: number;
      alreadyImported: number;
      invalid: number;
    },
    rows: readonly NewImportRow[],
  ): Promise<string> {
    return this.dataSource.transaction(async (tx) => {
      const inserted = await tx.getRepository(EncounterImportEntity).insert(header);
      const id = (inserted.identifiers[0] as { id: string }).id;
      for (let start = 0; start < rows.length; start += INSERT_CHUNK)
        await tx.query(
          `INSERT INTO encounter_import_rows
             (import_id, position, row, source_system, source_id, patient_name, mrn, date_of_service,
              provider_name, diagnoses, action, errors, input, encounter_id)
           SELECT $1, r.position, r.row, r.source_system, r.source_id, r.patient_name, r.mrn, r.date_of_service,
                  r.provider_name, r.diagnoses, r.action, r.errors, r.input, r.encounter_id
             FROM jsonb_to_recordset($2::jsonb) AS r(
               position integer, row integer, source_system text, source_id text, patient_name text, mrn text,
               date_of_service text, provider_name text, diagnoses text[], action text, errors jsonb, input jsonb,
               encounter_id uuid)`,
          [id, storableJson(rows.slice(start, start + INSERT_CHUNK).map(toColumns))],
        );
      return id;
    });
  }

  /** One import of the organization, or null. */
  async find(organizationId: string, id: string): Promise<ImportRecord | null> {
    const [found] = await this.select(organizationId, 'i.id = :id', { id }, 1);
    return found ?? null;
  }

  /** The organization's most recent imports, newest first. */
  recent(organizationId: string, limit: number): Promise<ImportRecord[]> {
    return this.select(organizationId, 'TRUE', {}, limit);
  }

  private async select(
    organizationId: string,
    where: string,
    parameters: Record<string, unknown>,
    limit: number,
  ): Promise<ImportRecord[]> {
    const { entities, raw } = await this.dataSource
      .getRepository(EncounterImportEntity)
      .createQueryBuilder('i')
      .leftJoin('users', 'u', 'u.id = i.created_by')
      .addSelect('u.name', 'created_by_name')
      .where('i.organization_id = :organizationId', { organizationId })
      .andWhere(where, parameters)
      .orderBy('i.created_at', 'DESC')
      .limit(limit)
      .getRawAndEntities<{ created_by_name: string | null }>();
    return entities.map((entity, index) =>
      Object.assign(entity, { createdByName: raw[index]?.created_by_name ?? '' }),
    );
  }

  /** A page of rows in file order, optionally of one action, with how many match. */
  async rows(
    importId: string,
    page: { offset: number; limit: number; action?: IntakeRowAction },
  ): Promise<{ items: EncounterImportRowEntity[]; total: number }> {
    const [items, total] = await this.dataSource
      .getRepository(EncounterImportRowEntity)
      .findAndCount({
        select: {
          importId: true,
          position: true,
          row: true,
          sourceSystem: true,
          sourceId: true,
          patientName: true,
          mrn: true,
          dateOfService: true,
          providerName: true,
          diagnoses: true,
          action: true,
          errors: true,
          encounterId: true,
        },
        where: { importId, ...(page.action ? { action: page.action } : {}) },
        order: { position: 'ASC' },
        skip: page.offset,
        take: page.limit,
      });
    return { items, total };
  }

  /**
   * Takes the import for a commit: from `previewed` or `failed`, or from a `committing` whose
   * commit shows no sign of life for `staleSeconds` (its instance stopped). False when another
   * commit holds it or it is done or cancelled.
   */
  async claim(
    organizationId: string,
    id: string,
    mode: IntakeCommitMode,
    staleSeconds: number,
  ): Promise<boolean> {
    const claimed = returningRows<{ id: string }>(
      await this.dataSource.query(
        `UPDATE encounter_imports
          SET status = 'committing', mode = $3, error = NULL, heartbeat_at = now(), updated_at = now()
        WHERE organization_id = $1 AND id = $2
          AND (status IN ('previewed', 'failed')
               OR (status = 'committing' AND heartbeat_at < now() - make_interval(secs => $4)))
        RETURNING id`,
        [organizationId, id, mode, staleSeconds],
      ),
    );
    return claimed.length === 1;
  }

  /** The next rows not yet committed, in file order. */
  pending(importId: string, limit: number): Promise<EncounterImportRowEntity[]> {
    return this.dataSource.getRepository(EncounterImportRowEntity).find({
      where: { importId, committed: false },
      order: { position: 'ASC' },
      take: limit,
    });
  }

  /**
   * Marks rows committed (their chart, their final action) and moves the counters by the rows
   * this call marked, in `tx`. A row another commit already marked (a commit taken over from a
   * stopped instance that was not stopped after all) is neither marked again nor counted twice.
   */
  async recordBatch(
    tx: EntityManager,
    importId: string,
    rows: readonly CommittedRow[],
  ): Promise<void> {
    const marked = returningRows<{ action: IntakeRowAction }>(
      await tx.query(
        `UPDATE encounter_import_rows r
            SET committed = true, input = NULL, action = b.action, encounter_id = b.encounter_id
           FROM jsonb_to_recordset($2::jsonb) AS b(position integer, action text, encounter_id uuid)
          WHERE r.import_id = $1 AND r.position = b.position AND NOT r.committed
          RETURNING r.action`,
        [
          importId,
          JSON.stringify(
            rows.map((r) => ({
              position: r.position,
              action: r.action,
              encounter_id: r.encounterId,
            })),
          ),
        ],
      ),
    );
    const created = marked.filter((r) => r.action === 'create').length;
    await tx.query(
      `UPDATE encounter_imports
          SET done = done + $2, created = created + $3, skipped = skipped + $4,
              heartbeat_at = now(), updated_at = now()
        WHERE id = $1`,
      [importId, marked.length, created, marked.length - created],
    );
  }

  /** Ends a commit: `done`, or `failed` with why. */
  async finish(id: string, status: Extract<IntakeStatus, 'done' | 'failed'>, error: string | null) {
    await this.dataSource.query(
      `UPDATE encounter_imports SET status = $2, error = $3, heartbeat_at = NULL, updated_at = now() WHERE id = $1`,
      [id, status, error],
    );
  }

  /** Discards an import not yet committed (its rows go); false when it is not `previewed`. */
  async cancel(organizationId: string, id: string): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      const cancelled = returningRows<{ id: string }>(
        await tx.query(
          `UPDATE encounter_imports SET status = 'cancelled', updated_at = now()
          WHERE organization_id = $1 AND id = $2 AND status = 'previewed' RETURNING id`,
          [organizationId, id],
        ),
      );
      if (cancelled.length === 0) return false;
      await tx.getRepository(EncounterImportRowEntity).delete({ importId: id });
      return true;
    });
  }
}

function toColumns(row: NewImportRow) {
  return {
    position: row.position,
    row: row.row,
    source_system: row.sourceSystem,
    source_id: row.sourceId,
    patient_name: row.patientName,
    mrn: row.mrn,
    date_of_service: row.dateOfService,
    provider_name: row.providerName,
    diagnoses: row.diagnoses,
    action: row.action,
    errors: row.errors,
    input: row.input,
    encounter_id: row.encounterId,
  };
}

/**
 * JSON Postgres stores: a file's NUL characters and unpaired surrogates (which `jsonb` and
 * `text` refuse) become U+FFFD, so a preview shows the bad value instead of failing.
 */
/* eslint-disable no-control-regex -- NUL is exactly what must not reach Postgres */
export function storableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'string'
      ? v.replace(
          /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
          '\ufffd',
        )
      : v,
  );
}
/* eslint-enable no-control-regex */
