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

/** An encounter row joined with its coder's and reviewer's names, as the read queries select it. */
export interface EncounterRow {
  id: string;
  organization_id: string;
  patient_mrn: string;
  patient_name: string;
  patient_dob: string | Date;
  date_of_service: string | Date;
  provider_name: string;
  provider_npi: string | null;
  place_of_service: string;
  clinical_note?: string;
  diagnoses: string[];
  status: Encounter['status'];
  coder_id: string | null;
  coder_name: string | null;
  reviewer_id: string | null;
  reviewer_name: string | null;
  coded_by: string[];
  version: number;
  created_at: Date;
  updated_at: Date;
  line_count?: number;
}

/** The columns every encounter read selects, with the assigned people's names. */
export const ENCOUNTER_SELECT = `
  e.id, e.organization_id, e.patient_mrn, e.patient_name, e.patient_dob::text AS patient_dob,
  e.date_of_service::text AS date_of_service, e.provider_name, e.provider_npi, e.place_of_service,
  e.diagnoses, e.status, e.coder_id, c.name AS coder_name, e.reviewer_id, r.name AS reviewer_name,
  e.coded_by::text[] AS coded_by, e.version, e.created_at, e.updated_at`;
export const ENCOUNTER_JOINS = `
  LEFT JOIN users c ON c.id = e.coder_id
  LEFT JOIN users r ON r.id = e.reviewer_id`;

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
export function toEncounterEvent(row: {
  encounter_id: string;
  seq: number;
  type: string;
  actor_id: string | null;
  actor_name: string;
  payload: unknown;
  op_id: string | null;
  created_at: Date;
}): EncounterEvent {
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
