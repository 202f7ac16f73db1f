import type {
  Acknowledgement,
  ClaimLine,
  Encounter,
  EncounterEvent,
  EncounterSummary,
  Suggestion,
  Thread,
  UserRef,
} from '@countersign/shared';
import type { EncounterRow, EventRow } from './encounter.repository.js';

function userRef(id: string | null, name: string | null): UserRef | null {
  return id && name ? { id, name } : null;
}

function summaryFields(row: EncounterRow) {
  return {
    id: row.id,
    patient: {
      mrn: row.patient_mrn,
      name: row.patient_name,
      dateOfBirth: dateText(row.patient_dob),
    },
    dateOfService: dateText(row.date_of_service),
    provider: { name: row.provider_name, npi: row.provider_npi },
    placeOfService: row.place_of_service,
    diagnoses: row.diagnoses,
    status: row.status,
    purpose: row.purpose,
    coder: userRef(row.coder_id, row.coder_name),
    reviewer: userRef(row.reviewer_id, row.reviewer_name),
    codedBy: row.coded_by,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toEncounter(
  row: EncounterRow,
  lines: ClaimLine[],
  suggestions: Suggestion[],
  threads: Thread[],
  acknowledgements: Acknowledgement[],
): Encounter {
  return {
    ...summaryFields(row),
    organizationId: row.organization_id,
    clinicalNote: row.clinical_note ?? '',
    lines,
    suggestions,
    threads,
    acknowledgements,
  };
}

/** The worklist row of a chart already in hand. */
export function toSummary(encounter: Encounter): EncounterSummary {
  const {
    clinicalNote: _note,
    lines,
    suggestions: _s,
    threads: _t,
    acknowledgements: _a,
    organizationId: _o,
    ...summary
  } = encounter;
  return { ...summary, lineCount: lines.length };
}

export function toEncounterSummary(row: EncounterRow): EncounterSummary {
  return { ...summaryFields(row), lineCount: row.line_count ?? 0 };
}

/** An event row as the log stores it, read back as the wire shape. */
export function toEncounterEvent(row: EventRow): EncounterEvent {
  return {
    encounterId: row.encounter_id,
    seq: row.seq,
    type: row.type,
    actor: { id: row.actor_id ?? '', name: row.actor_name },
    payload: row.payload,
    opId: row.op_id,
    at: row.created_at.toISOString(),
  } as EncounterEvent;
}

function dateText(value: string | Date): string {
  return typeof value === 'string' ? value : value.toISOString().slice(0, 10);
}
