import type { ClaimLine, Encounter, EncounterChanges, EncounterEvent, PresenceMember, UserRef } from '@countersign/shared';

/** Test data: a small encounter and the events that change it. */
export const ENCOUNTER_ID = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
export const CODER: UserRef = { id: '11111111-1111-4111-8111-111111111111', name: 'Casey Coder' };
export const REVIEWER: UserRef = { id: '22222222-2222-4222-8222-222222222222', name: 'Riley Reviewer' };

export const CODER_PRESENCE: PresenceMember = { userId: CODER.id, name: CODER.name, role: 'coder' };
export const REVIEWER_PRESENCE: PresenceMember = { userId: REVIEWER.id, name: REVIEWER.name, role: 'reviewer' };

let lineCounter = 0;

/** A claim line with a fresh uuid. */
export function makeLine(overrides: Partial<ClaimLine> = {}): ClaimLine {
  lineCounter++;
  const suffix = lineCounter.toString(16).padStart(12, '0');
  return { id: `aaaaaaaa-bbbb-4ccc-8ddd-${suffix}`, code: '99213', modifiers: [], units: 1, pointers: ['A'], ...overrides };
}

export function makeEncounter(overrides: Partial<Encounter> = {}): Encounter {
  return {
    id: ENCOUNTER_ID,
    organizationId: '33333333-3333-4333-8333-333333333333',
    patient: { mrn: 'CS-100231', name: 'Gregory Halvorsen', dateOfBirth: '1971-03-08' },
    dateOfService: '2025-10-14',
    provider: { name: 'Samuel Ridgeway, MD', npi: '1748203654' },
    placeOfService: '11',
    clinicalNote: 'Right knee pain for three weeks.\nNo trauma.',
    diagnoses: ['M25561', 'E119'],
    lines: [makeLine({ code: '99203', pointers: ['A'] })],
    status: 'draft',
    coder: CODER,
    reviewer: REVIEWER,
    version: 3,
    createdAt: '2026-01-01T10:00:00.000Z',
    updatedAt: '2026-01-01T10:00:00.000Z',
    ...overrides,
  };
}

const at = (seq: number) => new Date(Date.UTC(2026, 0, 1, 11, 0, seq)).toISOString();

export function lineAdded(seq: number, line: ClaimLine, index: number, actor: UserRef = CODER): EncounterEvent {
  return { encounterId: ENCOUNTER_ID, seq, type: 'line.added', actor, payload: { line, index }, at: at(seq) };
}

export function lineUpdated(seq: number, line: ClaimLine, actor: UserRef = CODER): EncounterEvent {
  return { encounterId: ENCOUNTER_ID, seq, type: 'line.updated', actor, payload: { line }, at: at(seq) };
}

export function lineRemoved(seq: number, lineId: string, actor: UserRef = CODER): EncounterEvent {
  return { encounterId: ENCOUNTER_ID, seq, type: 'line.removed', actor, payload: { lineId }, at: at(seq) };
}

export function encounterUpdated(seq: number, changes: EncounterChanges, actor: UserRef = CODER): EncounterEvent {
  return { encounterId: ENCOUNTER_ID, seq, type: 'encounter.updated', actor, payload: { changes }, at: at(seq) };
}
