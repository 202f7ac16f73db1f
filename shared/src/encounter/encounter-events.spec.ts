import { applyEncounterEvent, applyEncounterEvents, EventSequenceError, type EncounterEvent } from './encounter-events.js';
import type { Encounter } from './encounter.schema.js';

const actor = { id: '00000000-0000-4000-8000-000000000001', name: 'Casey Coder' };
const encounterId = '00000000-0000-4000-8000-0000000000e1';

function baseEncounter(): Encounter {
  return {
    id: encounterId,
    organizationId: '00000000-0000-4000-8000-0000000000a1',
    patient: { mrn: 'MRN1', name: 'Pat Example', dateOfBirth: '1970-01-01' },
    dateOfService: '2026-03-02',
    provider: { name: 'Dr Example', npi: null },
    placeOfService: '11',
    clinicalNote: 'Note',
    diagnoses: ['E119'],
    lines: [],
    status: 'draft',
    coder: null,
    reviewer: null,
    version: 1,
    createdAt: '2026-03-02T10:00:00.000Z',
    updatedAt: '2026-03-02T10:00:00.000Z',
  };
}

const line = (id: string, code: string) => ({ id, code, modifiers: [], units: 1, pointers: ['A' as const] });

function event<E extends EncounterEvent>(e: Omit<E, 'encounterId' | 'actor' | 'at'>): EncounterEvent {
  return { ...e, encounterId, actor, at: `2026-03-02T10:00:0${e.seq}.000Z` } as EncounterEvent;
}

describe(applyEncounterEvent.name, () => {
  it('adds, updates and removes lines in order and advances the version', () => {
    const l1 = line('00000000-0000-4000-8000-000000000101', '99213');
    const l2 = line('00000000-0000-4000-8000-000000000102', '20610');
    const state = applyEncounterEvents(baseEncounter(), [
      event({ seq: 2, type: 'line.added', payload: { line: l1, index: 0 } }),
      event({ seq: 3, type: 'line.added', payload: { line: l2, index: 0 } }),
      event({ seq: 4, type: 'line.updated', payload: { line: { ...l1, modifiers: ['25'] } } }),
      event({ seq: 5, type: 'encounter.updated', payload: { changes: { diagnoses: ['E119', 'M1711'] } } }),
      event({ seq: 6, type: 'line.removed', payload: { lineId: l2.id } }),
    ]);
    expect(state.version).toBe(6);
    expect(state.updatedAt).toBe('2026-03-02T10:00:06.000Z');
    expect(state.lines).toEqual([{ ...l1, modifiers: ['25'] }]);
    expect(state.diagnoses).toEqual(['E119', 'M1711']);
  });

  it('does not mutate the state it is given', () => {
    const before = baseEncounter();
    const snapshot = structuredClone(before);
    applyEncounterEvent(before, event({ seq: 2, type: 'line.added', payload: { line: line(encounterId, '99213'), index: 0 } }));
    expect(before).toEqual(snapshot);
  });

  it('refuses an event that skips or repeats a sequence number', () => {
    const skip = event({ seq: 3, type: 'line.removed', payload: { lineId: encounterId } });
    expect(() => applyEncounterEvent(baseEncounter(), skip)).toThrow(EventSequenceError);
    const repeat = event({ seq: 1, type: 'line.removed', payload: { lineId: encounterId } });
    expect(() => applyEncounterEvent(baseEncounter(), repeat)).toThrow('Expected event 2, received 1');
  });
});
