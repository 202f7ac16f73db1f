import { Injectable } from '@nestjs/common';
import type { CodedLine, DoubleCodedChart, DoubleCodingStatus } from '@countersign/shared';
import type { EntityManager } from 'typeorm';

interface ChartRow {
  double_coding_id: string;
  encounter_id: string;
  patient_name: string;
  date_of_service: string;
  status: DoubleCodingStatus;
  both_submitted_at: Date;
  coder1_id: string;
  coder1_name: string;
  coder2_id: string;
  coder2_name: string;
  lines1: CodedLine[];
  lines2: CodedLine[];
}

export interface AgreementChartsFilter {
  organizationId: string;
  /** First day of the period (inclusive) and the day after its last, both UTC dates. */
  from: string;
  toExclusive: string;
  coderId?: string;
}

/** Each blind copy's claim lines, in position order, as the agreement compares them. */
const COPY_LINES = (slot: string) => `(
  SELECT coalesce(json_agg(json_build_object('code', l.code, 'modifiers', l.modifiers, 'units', l.units)
                           ORDER BY l.position), '[]'::json)
    FROM claim_lines l WHERE l.encounter_id = ${slot}.encounter_id)`;

/**
 * The double-coded charts behind the agreement report: double codings of the organization whose
 * two copies were both submitted in the period (by `both_submitted_at`), not cancelled, with what
 * each coder billed on their blind copy. Optionally only those one coder coded.
 */
@Injectable()
export class AgreementRepository {
  async charts(manager: EntityManager, filter: AgreementChartsFilter): Promise<DoubleCodedChart[]> {
    const rows = await manager.query<ChartRow[]>(
      `SELECT d.id AS double_coding_id, d.encounter_id, e.patient_name,
              to_char(e.date_of_service, 'YYYY-MM-DD') AS date_of_service, d.status, d.both_submitted_at,
              c1.coder_id AS coder1_id, u1.name AS coder1_name, c2.coder_id AS coder2_id, u2.name AS coder2_name,
              ${COPY_LINES('c1')} AS lines1, ${COPY_LINES('c2')} AS lines2
         FROM double_codings d
         JOIN encounters e ON e.id = d.encounter_id
         JOIN double_coding_copies c1 ON c1.double_coding_id = d.id AND c1.slot = 1
         JOIN double_coding_copies c2 ON c2.double_coding_id = d.id AND c2.slot = 2
         JOIN users u1 ON u1.id = c1.coder_id
         JOIN users u2 ON u2.id = c2.coder_id
        WHERE d.organization_id = $1
          AND d.status <> 'cancelled'
          AND d.both_submitted_at >= $2::date AND d.both_submitted_at < $3::date
          AND c1.submitted_at IS NOT NULL AND c2.submitted_at IS NOT NULL
          AND ($4::uuid IS NULL OR $4::uuid IN (c1.coder_id, c2.coder_id))
        ORDER BY d.both_submitted_at, d.id`,
      [filter.organizationId, filter.from, filter.toExclusive, filter.coderId ?? null],
    );
    return rows.map((row) => ({
      doubleCodingId: row.double_coding_id,
      encounterId: row.encounter_id,
      chartLabel: `${row.patient_name}, ${row.date_of_service}`,
      status: row.status,
      bothSubmittedAt: row.both_submitted_at.toISOString(),
      coders: [
        { id: row.coder1_id, name: row.coder1_name },
        { id: row.coder2_id, name: row.coder2_name },
      ],
      lines: [row.lines1, row.lines2],
    }));
  }
}
