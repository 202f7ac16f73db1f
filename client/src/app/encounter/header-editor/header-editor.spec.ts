import type { Encounter } from '@countersign/shared';
import { ENCOUNTER_ID, makeEncounter } from '../../../testing/encounter-fixtures';
import { RoomHarness } from '../../../testing/room-harness';
import { HeaderEditor, headerChanges } from './header-editor';

// No real time passes (fake clock), but building Material components the first time takes
// seconds of CPU on a busy two-core machine: more than Jest's default 5 s.
jest.setTimeout(20_000);

describe(HeaderEditor.name, () => {
  let room: RoomHarness;
  let encounter: Encounter;

  beforeEach(() => {
    jest.useFakeTimers();
    encounter = makeEncounter({ version: 5 });
  });

  afterEach(() => jest.useRealTimers());

  const field = (id: string) => room.one<HTMLInputElement>(id);

  async function openEditor(): Promise<void> {
    room.ignoreLookups();
    room.one('edit-header').click();
    await room.settle();
  }

  it('lets the assigned coder change a draft header and sends only what changed, against the version opened', async () => {
    room = await RoomHarness.open(encounter, 'coder');
    await openEditor();
    expect(field('field-patient-name').value).toBe('Gregory Halvorsen');
    expect(field('field-npi').value).toBe('1748203654');

    room.type(field('field-patient-name'), 'Gregory A. Halvorsen');
    room.type(field('field-dos'), '2025-10-15');
    room.one('form-submit').click();
    await room.settle();

    const patch = room.http.expectOne({ method: 'PATCH', url: `/api/encounters/${ENCOUNTER_ID}` });
    expect(patch.request.headers.get('If-Match')).toBe('"5"');
    expect(patch.request.body).toEqual({
      patient: { name: 'Gregory A. Halvorsen', mrn: 'CS-100231', dateOfBirth: '1971-03-08' },
      dateOfService: '2025-10-15',
    });
    patch.flush({
      ...encounter,
      version: 6,
      patient: { ...encounter.patient, name: 'Gregory A. Halvorsen' },
      dateOfService: '2025-10-15',
    });
    await room.settle();
    room.ignoreLookups();
    expect(room.one('encounter-form')).toBeNull();
    expect(room.text(room.one('encounter-patient'))).toBe('Gregory A. Halvorsen');
  });

  it('shows an error by field and sends nothing while the header is invalid', async () => {
    room = await RoomHarness.open(encounter, 'coder');
    await openEditor();
    room.type(field('field-patient-name'), '  ');
    room.type(field('field-npi'), '12345');
    room.one('form-submit').click();
    await room.settle();
    room.http.expectNone((request) => request.method === 'PATCH');
    expect(room.text(room.one('error-patient.name'))).toBe('Patient name is required');
    expect(room.text(room.one('error-provider.npi'))).toBe('An NPI is ten digits');
  });

  it('keeps the person’s values and says so when someone changed the chart meanwhile', async () => {
    room = await RoomHarness.open(encounter, 'coder');
    await openEditor();
    room.type(field('field-provider-name'), 'Dana Lee, MD');
    room.one('form-submit').click();
    await room.settle();
    const now = { ...encounter, version: 7, placeOfService: '22' };
    room.http
      .expectOne({ method: 'PATCH', url: `/api/encounters/${ENCOUNTER_ID}` })
      .flush(
        { code: 'conflict', message: 'Someone changed the chart', details: { encounter: now } },
        { status: 409, statusText: 'Conflict' },
      );
    await room.settle();
    room.ignoreLookups();
    expect(room.text(room.one('header-conflict'))).toContain('your change was not saved');
    expect(room.text(room.root.querySelector('.facts'))).toContain('On campus outpatient hospital');
    expect(field('field-provider-name').value).toBe('Dana Lee, MD');

    room.one('form-submit').click();
    await room.settle();
    const again = room.http.expectOne({ method: 'PATCH' });
    expect(again.request.headers.get('If-Match')).toBe('"7"');
    expect(again.request.body).toEqual({ provider: { name: 'Dana Lee, MD', npi: '1748203654' } });
    again.flush({ ...now, version: 8, provider: { name: 'Dana Lee, MD', npi: '1748203654' } });
    await room.settle();
  });

  it('shows the server’s refusal on its field', async () => {
    room = await RoomHarness.open(encounter, 'coder');
    await openEditor();
    room.type(field('field-mrn'), 'MRN-2');
    room.one('form-submit').click();
    await room.settle();
    room.http.expectOne({ method: 'PATCH' }).flush(
      {
        code: 'validation_failed',
        message: 'patient.mrn: MRN already used',
        details: { issues: [{ path: 'patient.mrn', message: 'MRN already used' }] },
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await room.settle();
    expect(room.text(room.one('error-patient.mrn'))).toBe('MRN already used');
    expect(room.one('encounter-form')).not.toBeNull();
  });

  it('offers no header editing once the chart is submitted', async () => {
    room = await RoomHarness.open({ ...encounter, status: 'submitted' }, 'coder');
    expect(room.one('edit-header')).toBeNull();
  });

  it('offers no header editing to someone who is not the chart’s coder', async () => {
    room = await RoomHarness.open(encounter, 'reviewer');
    expect(room.one('edit-header')).toBeNull();
  });

  it('closes when the edit changes nothing, without a request', async () => {
    room = await RoomHarness.open(encounter, 'coder');
    await openEditor();
    room.one('form-submit').click();
    await room.settle();
    room.http.expectNone((request) => request.method === 'PATCH');
    expect(room.one('encounter-form')).toBeNull();
  });
});

describe(headerChanges.name, () => {
  it('names only the parts of the header that differ', () => {
    const before = makeEncounter();
    const parsed = {
      patient: before.patient,
      dateOfService: before.dateOfService,
      provider: { name: before.provider.name, npi: null },
      placeOfService: '11',
      clinicalNote: '',
      diagnoses: [],
      lines: [],
      coderId: null,
      reviewerId: null,
    };
    expect(headerChanges(before, parsed)).toEqual({
      provider: { name: before.provider.name, npi: null },
    });
  });
});
