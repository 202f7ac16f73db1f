import { Injectable } from '@nestjs/common';
import type { ReconciliationSource, Role } from '@countersign/shared';
import type { SqlRunner } from '../database/live-pool.js';
import { DomainError } from '../errors/domain-error.js';

export interface CopyRow {
  slot: 1 | 2;
  encounterId: string;
  coderId: string;
  coderName: string;
  submittedAt: string | null;
}

export interface DoubleCodingRow {
  id: string;
  organization_id: string;
  encounter_id: string;
  patient_name: string;
  date_of_service: string;
  status: 'coding' | 'reconciling' | 'reconciled' | 'cancelled';
  requested_via: 'supervisor' | 'sampling';
  requested_by: string | null;
  requested_by_name: string | null;
  requested_at: Date;
  both_submitted_at: Date | null;
  reconciled_by: string | null;
  reconciled_by_name: string | null;
  reconciled_at: Date | null;
  cancel_reason: string | null;
  copies: CopyRow[];
}

export interface DecisionRow {
  position: number;
  source: ReconciliationSource;
  first_line: unknown;
  second_line: unknown;
  final_line: unknown;
  reason: string;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: Date;
}

export interface CoderCandidateRow {
  id: string;
  name: string;
  role: string;
  trainee: boolean;
  deactivated_at: Date | null;
}

const DOUBLE_CODING_SELECT = `
  dc.id, dc.organization_id, dc.encounter_id, e.patient_name, e.date_of_service::text AS date_of_service,
  dc.status, dc.requested_via, dc.requested_by, rb.name AS requested_by_name, dc.requested_at,
  dc.both_submitted_at, dc.reconciled_by, rc.name AS reconciled_by_name, dc.reconciled_at, dc.cancel_reason,
  (SELECT coalesce(json_agg(json_build_object(
            'slot', c.slot, 'encounterId', c.encounter_id, 'coderId', c.coder_id, 'coderName', u.name,
            'submittedAt', to_char(c.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
          ORDER BY c.slot), '[]'::json)
     FROM double_coding_copies c JOIN users u ON u.id = c.coder_id
    WHERE c.double_coding_id = dc.id) AS copies`;
const DOUBLE_CODING_FROM = `double_codings dc
  JOIN encounters e ON e.id = dc.encounter_id
  LEFT JOIN users rb ON rb.id = dc.requested_by
  LEFT JOIN users rc ON rc.id = dc.reconciled_by`;

/** The SQL of blind double coding: the double codings, their copies and the decisions. */
@Injectable()
export class DoubleCodingRepository {
  /** The people named as the two coders, as the organization has them. */
  coders(manager: SqlRunner, organizationId: string, ids: string[]): Promise<CoderCandidateRow[]> {
    return manager.query(
      `SELECT id, name, role, trainee, deactivated_at FROM users
        WHERE organization_id = $1 AND id = ANY($2::uuid[])`,
      [organizationId, ids],
    );
  }

  /** A member of the organization as a session names them; null when there is none. */
  async person(
    manager: SqlRunner,
    organizationId: string,
    id: string,
  ): Promise<{ id: string; email: string; name: string; role: Role } | null> {
    const rows = await manager.query<
      Array<{ id: string; email: string; name: string; role: Role }>
    >(`SELECT id, email, name, role FROM users WHERE id = $1 AND organization_id = $2`, [
      id,
      organizationId,
    ]);
    return rows[0] ?? null;
  }

  /**
   * The rotation of the sampling's double coding: the two active coders (not trainees) who were
   * least recently given a blind copy, never given one first.
   */
  async nextCoders(manager: SqlRunner, organizationId: string): Promise<string[]> {
    const rows = await manager.query<Array<{ id: string }>>(
      `SELECT u.id FROM users u
        WHERE u.organization_id = $1 AND u.role = 'coder' AND u.deactivated_at IS NULL AND NOT u.trainee
        ORDER BY (SELECT max(dc.requested_at) FROM double_coding_copies c
                    JOIN double_codings dc ON dc.id = c.double_coding_id
                   WHERE c.coder_id = u.id) ASC NULLS FIRST, u.id
        LIMIT 2`,
      [organizationId],
    );
    return rows.map((r) => r.id);
  }

  async insert(
    tx: SqlRunner,
    row: {
      organizationId: string;
      encounterId: string;
      via: 'supervisor' | 'sampling';
      requestedBy: string | null;
    },
  ): Promise<string> {
    const [inserted] = await tx.query<Array<{ id: string }>>(
      `INSERT INTO double_codings (organization_id, encounter_id, requested_via, requested_by)
       VALUES ($1, $2, $3, $4) RETURNING id`,
      [row.organizationId, row.encounterId, row.via, row.requestedBy],
    );
    return inserted!.id;
  }

  /**
   * A coder's blind copy of the chart: its header, note and diagnoses, no lines, assigned to
   * them, purpose `blind`; answers the copy's id.
   */
  async insertCopy(
    tx: SqlRunner,
    doubleCodingId: string,
    sourceId: string,
    slot: 1 | 2,
    coderId: string,
  ): Promise<string> {
    const [copy] = await tx.query<Array<{ id: string }>>(
      `INSERT INTO encounters (organization_id, patient_mrn, patient_name, patient_dob, date_of_service,
                               provider_name, provider_npi, place_of_service, clinical_note, diagnoses,
                               status, coder_id, reviewer_id, coded_by, version, purpose, source_encounter_id)
       SELECT organization_id, patient_mrn, patient_name, patient_dob, date_of_service, provider_name,
              provider_npi, place_of_service, clinical_note, diagnoses, 'draft', $2, NULL, '{}', 1,
              'blind', id
         FROM encounters WHERE id = $1
       RETURNING id`,
      [sourceId, coderId],
    );
    await tx.query(
      `INSERT INTO double_coding_copies (double_coding_id, slot, encounter_id, coder_id)
       VALUES ($1, $2, $3, $4)`,
      [doubleCodingId, slot, copy!.id, coderId],
    );
    return copy!.id;
  }

  async get(
    manager: SqlRunner,
    organizationId: string,
    id: string,
  ): Promise<DoubleCodingRow | null> {
    const rows = await manager.query<DoubleCodingRow[]>(
      `SELECT ${DOUBLE_CODING_SELECT} FROM ${DOUBLE_CODING_FROM}
        WHERE dc.id = $1 AND dc.organization_id = $2`,
      [id, organizationId],
    );
    return rows[0] ?? null;
  }

  /** Whether the chart has an open double coding (coding or reconciling). */
  async openOn(manager: SqlRunner, encounterId: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `SELECT 1 FROM double_codings WHERE encounter_id = $1 AND status IN ('coding', 'reconciling')`,
      [encounterId],
    );
    return rows.length > 0;
  }

  /** Locks a double coding's row for a change of its status; null when there is none. */
  async lock(
    tx: SqlRunner,
    organizationId: string,
    id: string,
  ): Promise<DoubleCodingRow['status'] | null> {
    const rows = await tx.query<Array<{ status: DoubleCodingRow['status'] }>>(
      `SELECT status FROM double_codings WHERE id = $1 AND organization_id = $2 FOR UPDATE`,
      [id, organizationId],
    );
    return rows[0]?.status ?? null;
  }

  /**
   * The organization's double codings, newest first; with `coderId`, only those they code.
   */
  list(
    manager: SqlRunner,
    organizationId: string,
    filter: { status?: DoubleCodingRow['status']; coderId?: string },
  ): Promise<DoubleCodingRow[]> {
    return manager.query(
      `SELECT ${DOUBLE_CODING_SELECT} FROM ${DOUBLE_CODING_FROM}
        WHERE dc.organization_id = $1 AND ($2::text IS NULL OR dc.status = $2)
          AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM double_coding_copies m
                                            WHERE m.double_coding_id = dc.id AND m.coder_id = $3))
        ORDER BY dc.requested_at DESC, dc.id
        LIMIT 500`,
      [organizationId, filter.status ?? null, filter.coderId ?? null],
    );
  }

  async cancel(tx: SqlRunner, id: string, by: string, reason: string): Promise<void> {
    await tx.query(
      `UPDATE double_codings SET status = 'cancelled', cancelled_by = $2, cancelled_at = now(), cancel_reason = $3
        WHERE id = $1`,
      [id, by, reason],
    );
  }

  async reconciled(tx: SqlRunner, id: string, by: string): Promise<void> {
    await tx.query(
      `UPDATE double_codings SET status = 'reconciled', reconciled_by = $2, reconciled_at = now() WHERE id = $1`,
      [id, by],
    );
  }

  async insertDecisions(
    tx: SqlRunner,
    id: string,
    decidedBy: string,
    decisions: ReadonlyArray<{
      source: ReconciliationSource;
      firstLine: unknown;
      secondLine: unknown;
      finalLine: unknown;
      reason: string;
    }>,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO reconciliation_decisions (double_coding_id, position, source, first_line, second_line, final_line, reason, decided_by)
       SELECT $1, d.position - 1, d.source, d.first_line, d.second_line, d.final_line, d.reason, $2
         FROM unnest($3::text[], $4::jsonb[], $5::jsonb[], $6::jsonb[], $7::text[])
              WITH ORDINALITY AS d(source, first_line, second_line, final_line, reason, position)`,
      [
        id,
        decidedBy,
        decisions.map((d) => d.source),
        decisions.map((d) => (d.firstLine === null ? null : JSON.stringify(d.firstLine))),
        decisions.map((d) => (d.secondLine === null ? null : JSON.stringify(d.secondLine))),
        decisions.map((d) => (d.finalLine === null ? null : JSON.stringify(d.finalLine))),
        decisions.map((d) => d.reason),
      ],
    );
  }

  decisions(manager: SqlRunner, id: string): Promise<DecisionRow[]> {
    return manager.query(
      `SELECT d.position, d.source, d.first_line, d.second_line, d.final_line, d.reason, d.decided_by,
              u.name AS decided_by_name, d.decided_at
         FROM reconciliation_decisions d LEFT JOIN users u ON u.id = d.decided_by
        WHERE d.double_coding_id = $1 ORDER BY d.position`,
      [id],
    );
  }
}

/**
 * A blind copy was submitted (inside the submit's transaction): its copy is stamped, and when
 * the other copy is in too the double coding moves to `reconciling`. The double coding's row is
 * locked first, so of two copies submitted at once the second sees the first. Refused when the
 * double coding is no longer open for coding (cancelled).
 */
export async function copySubmitted(tx: SqlRunner, copyId: string): Promise<void> {
  const [locked] = await tx.query<Array<{ id: string; status: string }>>(
    `SELECT dc.id, dc.status FROM double_codings dc
       JOIN double_coding_copies c ON c.double_coding_id = dc.id
      WHERE c.encounter_id = $1 FOR UPDATE OF dc`,
    [copyId],
  );
  if (!locked || locked.status !== 'coding')
    throw new DomainError(
      'invalid_state',
      'This double coding was cancelled: the copy can no longer be submitted',
    );
  await tx.query(
    `UPDATE double_coding_copies SET submitted_at = now() WHERE encounter_id = $1 AND submitted_at IS NULL`,
    [copyId],
  );
  await tx.query(
    `UPDATE double_codings SET status = 'reconciling', both_submitted_at = now()
      WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM double_coding_copies
                                     WHERE double_coding_id = $1 AND submitted_at IS NULL)`,
    [locked.id],
  );
}
