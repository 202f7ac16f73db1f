import { Inject, Injectable } from '@nestjs/common';
import type { ClaimChart, ClaimDateBasis, EncounterStatus } from '@countersign/shared';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { typedQuery } from '../database/typed-query.js';

/** Charts read per cursor fetch: one lines query and one batch of audit rows each. */
export const EXPORT_PAGE_SIZE = 250;

interface ChartRow {
  id: string;
  patient_mrn: string;
  patient_name: string;
  patient_dob: string;
  date_of_service: string;
  provider_name: string;
  provider_npi: string | null;
  place_of_service: string;
  diagnoses: string[];
  status: EncounterStatus;
  signed_off_at: Date | null;
  source_id: string | null;
}

interface LineRow {
  encounter_id: string;
  id: string;
  code: string;
  modifiers: string[];
  units: number;
  pointers: ClaimChart['lines'][number]['pointers'];
  review_state: ClaimChart['lines'][number]['review']['state'];
}

/** When the chart was last signed off: the latest transition to `signed_off` in its event log. */
const SIGNED_OFF_AT = `(SELECT max(ev.created_at) FROM encounter_events ev
   WHERE ev.encounter_id = e.id AND ev.type = 'status.changed' AND ev.payload->>'to' = 'signed_off')`;

/** The range's filter and order per basis; `$2` and `$3` are the first and last day, inclusive. */
const BASIS: Record<ClaimDateBasis, { where: string; order: string }> = {
  'signed-off': {
    where: `s.signed_off_at >= ($2::date)::timestamp AT TIME ZONE 'UTC'
        AND s.signed_off_at < ($3::date + 1)::timestamp AT TIME ZONE 'UTC'`,
    order: 's.signed_off_at, e.id',
  },
  service: {
    where: 'e.date_of_service BETWEEN $2::date AND $3::date',
    order: 'e.date_of_service, e.id',
  },
};

/**
 * Reads of the encounter aggregate for claim exports: a chart's sign-off time, and the
 * signed-off charts of a date range streamed through a server-side cursor, page by page, in one
 * REPEATABLE READ snapshot (a chart reopened or signed off meanwhile is either wholly in or out).
 * Only the fields a claim carries are read: never the note, comments or threads.
 */
@Injectable()
export class ClaimExportRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * When the chart was last signed off (or null) and the source system's id of an imported
   * chart (or null). The chart is already scoped by the caller.
   */
  async exportFacts(
    manager: EntityManager,
    encounterId: string,
  ): Promise<{ signedOffAt: Date | null; sourceId: string | null }> {
    const rows = await manager.query<Array<{ at: Date | null; source_id: string | null }>>(
      `SELECT ${SIGNED_OFF_AT} AS at, e.source_id FROM encounters e WHERE e.id = $1`,
      [encounterId],
    );
    return { signedOffAt: rows[0]?.at ?? null, sourceId: rows[0]?.source_id ?? null };
  }

  /**
   * The organization's signed-off charts whose sign-off day (UTC) or date of service is within
   * `from`..`to`, in that date's order, `EXPORT_PAGE_SIZE` at a time with their lines. Holds one
   * connection until the caller stops iterating (the `finally` ends the transaction).
   */
  async *signedOffCharts(
    organizationId: string,
    range: { from: string; to: string; basis: ClaimDateBasis },
  ): AsyncGenerator<ClaimChart[]> {
    const basis = BASIS[range.basis];
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    let open = false;
    try {
      await runner.query('START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      open = true;
      await runner.query(
        `DECLARE claims_export NO SCROLL CURSOR FOR
         SELECT e.id, e.patient_mrn, e.patient_name, e.patient_dob::text AS patient_dob,
                e.date_of_service::text AS date_of_service, e.provider_name, e.provider_npi,
                e.place_of_service, e.diagnoses, e.status, s.signed_off_at, e.source_id
           FROM encounters e
           CROSS JOIN LATERAL (SELECT ${SIGNED_OFF_AT} AS signed_off_at) s
          WHERE e.organization_id = $1 AND e.purpose = 'claim' AND e.status = 'signed_off' AND ${basis.where}
          ORDER BY ${basis.order}`,
        [organizationId, range.from, range.to],
      );
      for (;;) {
        const rows = await typedQuery<ChartRow[]>(
          runner,
          `FETCH ${EXPORT_PAGE_SIZE} FROM claims_export`,
        );
        if (!rows.length) break;
        yield await this.withLines(runner, rows);
        if (rows.length < EXPORT_PAGE_SIZE) break;
      }
      await runner.query('COMMIT');
      open = false;
    } finally {
      if (open) await runner.query('ROLLBACK').catch(() => undefined);
      await runner.release();
    }
  }

  private async withLines(runner: QueryRunner, rows: ChartRow[]): Promise<ClaimChart[]> {
    const lines = await typedQuery<LineRow[]>(
      runner,
      `SELECT encounter_id, id, code, modifiers, units, pointers, review_state
         FROM claim_lines WHERE encounter_id = ANY($1::uuid[]) ORDER BY encounter_id, position`,
      [rows.map((row) => row.id)],
    );
    const byChart = new Map<string, ClaimChart['lines'][number][]>();
    for (const line of lines) {
      const list = byChart.get(line.encounter_id) ?? [];
      list.push({
        id: line.id,
        code: line.code,
        modifiers: line.modifiers,
        units: line.units,
        pointers: line.pointers,
        review: { state: line.review_state },
      });
      byChart.set(line.encounter_id, list);
    }
    return rows.map((row) => ({
      id: row.id,
      patient: { mrn: row.patient_mrn, name: row.patient_name, dateOfBirth: row.patient_dob },
      dateOfService: row.date_of_service,
      provider: { name: row.provider_name, npi: row.provider_npi },
      placeOfService: row.place_of_service,
      diagnoses: row.diagnoses,
      status: row.status,
      signedOffAt: row.signed_off_at?.toISOString() ?? null,
      sourceId: row.source_id,
      lines: byChart.get(row.id) ?? [],
    }));
  }
}
