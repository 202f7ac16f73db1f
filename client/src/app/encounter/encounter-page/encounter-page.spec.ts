import type { CatalogCode, Encounter } from '@countersign/shared';
import {
  ENCOUNTER_ID,
  REVIEWER,
  encounterUpdated,
  lineAdded,
  lineUpdated,
  makeEncounter,
  makeLine,
  statusChanged,
} from '../../../testing/encounter-fixtures';
import { RoomHarness } from '../../../testing/room-harness';
import { EncounterPage, ageOn } from './encounter-page';

function catalogCode(
  system: CatalogCode['system'],
  code: string,
  shortDescription: string,
): CatalogCode {
  return {
    system,
    code,
    shortDescription,
    longDescription: shortDescription,
    edition: 'test',
    effectiveDate: '2025-01-01',
    terminationDate: null,
    billable: true,
  };
}

const UUID = expect.stringMatching(/^[0-9a-f-]{36}$/);

describe(EncounterPage.name, () => {
  let room: RoomHarness;
  let encounter: Encounter;

  beforeEach(async () => {
    encounter = makeEncounter({
      version: 5,
      lines: [makeLine({ code: '99203', modifiers: ['25'], units: 1, pointers: ['A', 'B'] })],
    });
    room = await RoomHarness.open(encounter, 'coder');
  });

  it('shows the header, the note, who is here and Live once joined', () => {
    expect(room.text(room.one('encounter-patient'))).toBe('Gregory Halvorsen');
    const header = room.text(room.root.querySelector('.header'));
    expect(header).toContain('CS-100231');
    expect(header).toContain('Office');
    expect(header).toContain('Draft');
    expect(header).toContain('Oct 14, 2025');
    expect(room.text(room.one('connection-status'))).toBe('Live');
    expect(room.one('clinical-note').textContent).toBe(
      'Right knee pain for three weeks.\nNo trauma.',
    );
    const members = room.all('presence-member');
    expect(members.map((m) => m.getAttribute('aria-label'))).toEqual([
      'Casey Coder (coder)',
      'Riley Reviewer (reviewer)',
    ]);
    expect(members.map((m) => room.text(m))).toEqual(['CC', 'RR']);
  });

  it('shows the diagnoses with letters and dots, and descriptions from the catalogue', async () => {
    const lookup = room.http.expectOne((request) => request.url === '/api/catalog/lookup');
    expect(lookup.request.params.get('codes')?.split(',').sort()).toEqual([
      '25',
      '99203',
      'E119',
      'M25561',
    ]);
    lookup.flush({
      items: [
        catalogCode('ICD10CM', 'E119', 'Type 2 diabetes mellitus without complications'),
        catalogCode('CPT', '99203', 'Office visit, new patient, low MDM'),
      ],
    });
    await room.settle();
    const diagnoses = room.all('diagnosis').map((d) => room.text(d));
    expect(diagnoses[0]).toContain('A');
    expect(diagnoses[0]).toContain('M25.561');
    expect(diagnoses[1]).toContain('E11.9');
    expect(diagnoses[1]).toContain('Type 2 diabetes mellitus without complications');
    expect(room.text(room.all('claim-line')[0]!)).toContain('Office visit, new patient, low MDM');
  });

  it('shows each claim line with code, modifiers, units and pointers', () => {
    expect(room.text(room.all('claim-line')[0]!)).toMatch(/99203.*25.*1.*A, B/);
  });

  it('sends a new line with its rationale, made against the version shown, and shows it only when its event arrives', async () => {
    room.socket.answer('line:add', () => ({ ok: true, data: { seq: 6, duplicate: false } }));
    room.type(room.one('new-line-code'), '20610');
    room.type(room.one('new-line-modifiers'), 'rt');
    room.type(room.one('new-line-units'), '2');
    room.type(room.one('new-line-pointers'), 'a');
    room.type(room.one('new-line-rationale'), 'Knee injection');
    room.press(room.one('new-line-pointers'), 'Enter');
    await room.settle();
    expect(room.socket.sentOf('line:add')).toEqual([
      {
        encounterId: ENCOUNTER_ID,
        baseVersion: 5,
        opId: UUID,
        line: {
          code: '20610',
          modifiers: ['RT'],
          units: 2,
          pointers: ['A'],
          rationale: 'Knee injection',
          evidence: null,
        },
      },
    ]);
    await room.settle();
    expect(room.all('claim-line')).toHaveLength(1);
    expect(room.one<HTMLInputElement>('new-line-code').value).toBe('');
    expect(room.one<HTMLInputElement>('new-line-units').value).toBe('1');
    expect(document.activeElement).toBe(room.one('new-line-code'));

    room.socket.push(
      'encounter:event',
      lineAdded(
        6,
        makeLine({
          code: '20610',
          modifiers: ['RT'],
          units: 2,
          pointers: ['A'],
          rationale: 'Knee injection',
        }),
        1,
      ),
    );
    await room.settle();
    expect(room.all('claim-line').map((r) => room.text(r))[1]).toMatch(/20610.*RT.*2.*A/);
    expect(room.text(room.all('line-rationale')[0]!)).toBe('Knee injection');
  });

  it('shows a line added by someone else without any action, highlighted', async () => {
    expect(room.all('claim-line')[0]!.classList).not.toContain('line--highlight');
    room.socket.push('encounter:event', lineAdded(6, makeLine({ code: '73562' }), 1, REVIEWER));
    await room.settle();
    const rows = room.all('claim-line');
    expect(room.text(rows[1]!)).toContain('73562');
    expect(rows[1]!.classList).toContain('line--highlight');
    expect(rows[0]!.classList).not.toContain('line--highlight');
  });

  it('keeps the typed line and shows the server message when the add is refused', async () => {
    room.socket.answer('line:add', () => ({
      ok: false,
      error: {
        code: 'validation_failed',
        message: 'Diagnosis pointer C points at no diagnosis: pointers go from A to B',
      },
    }));
    room.type(room.one('new-line-code'), '20610');
    room.type(room.one('new-line-pointers'), 'C');
    room.one<HTMLButtonElement>('add-line').click();
    await room.settle();
    expect(room.one<HTMLInputElement>('new-line-code').value).toBe('20610');
    expect(room.root.textContent).toContain('Diagnosis pointer C points at no diagnosis');
    expect(document.body.querySelector('mat-snack-bar-container')?.textContent).toContain(
      'Diagnosis pointer C points at no diagnosis',
    );
  });

  it('catches a malformed line before sending it', async () => {
    room.type(room.one('new-line-code'), 'E119');
    room.press(room.one('new-line-code'), 'Enter');
    await room.settle();
    expect(room.socket.sentOf('line:add')).toEqual([]);
    expect(room.root.textContent).toContain('Not a CPT or HCPCS Level II code');
  });

  it('edits a line in place and sends only the changed field, against the version the edit began at', async () => {
    const line = encounter.lines[0]!;
    room.socket.answer('line:update', () => ({ ok: true, data: { seq: 7, duplicate: false } }));
    room.one<HTMLButtonElement>('edit-line').click();
    await room.settle();
    expect(document.activeElement).toBe(room.one('edit-line-code'));
    expect(room.one<HTMLInputElement>('edit-line-modifiers').value).toBe('25');
    expect(room.one<HTMLInputElement>('edit-line-pointers').value).toBe('A,B');

    // Someone else's change elsewhere moves the version on while the coder types.
    room.socket.push('encounter:event', encounterUpdated(6, { clinicalNote: 'Edited.' }, REVIEWER));
    await room.settle();
    room.type(room.one('edit-line-units'), '3');
    room.press(room.one('edit-line-units'), 'Enter');
    await room.settle();
    expect(room.socket.sentOf('line:update')).toEqual([
      {
        encounterId: ENCOUNTER_ID,
        baseVersion: 5,
        opId: UUID,
        lineId: line.id,
        patch: { units: 3 },
      },
    ]);
    await room.settle();
    expect(room.one('edit-line-code')).toBeNull();

    room.socket.push('encounter:event', lineUpdated(7, { ...line, units: 3 }));
    await room.settle();
    expect(room.text(room.all('claim-line')[0]!)).toMatch(/99203.*25.*3.*A, B/);
  });

  it('shows a conflict on save in words, with the line as it is now, and keeps the draft to reapply', async () => {
    const line = encounter.lines[0]!;
    const now = { ...line, modifiers: ['25', '59'] };
    room.one<HTMLButtonElement>('edit-line').click();
    await room.settle();
    room.socket.push('encounter:event', lineUpdated(6, now, REVIEWER));
    await room.settle();
    expect(room.root.textContent).toContain('This line changed while you were editing it');
    room.socket.answer('line:update', () => ({
      ok: false,
      error: {
        code: 'conflict',
        message: 'Someone changed this line',
        details: { encounter: { ...encounter, version: 6, lines: [now] } },
      },
    }));
    room.type(room.one('edit-line-units'), '3');
    room.press(room.one('edit-line-units'), 'Enter');
    await room.settle();
    expect(room.text(room.one('line-error'))).toBe(
      'Riley Reviewer changed this line (changed 99203: modifier 59); your change was not applied — here is what it is now. It is now 99203-25-59, 1 unit, pointers A, B.',
    );
    expect(room.one<HTMLInputElement>('edit-line-units').value).toBe('3');
    // The draft was rebased: their modifiers came in, so saving again does not undo them.
    expect(room.one<HTMLInputElement>('edit-line-modifiers').value).toBe('25, 59');

    room.socket.answer('line:update', () => ({ ok: true, data: { seq: 7, duplicate: false } }));
    room.press(room.one('edit-line-units'), 'Enter');
    await room.settle();
    expect(room.socket.sentOf('line:update')[1]).toMatchObject({
      baseVersion: 6,
      patch: { units: 3 },
    });
    expect(room.socket.sentOf('line:update')[1]?.patch).toEqual({ units: 3 });
  });

  it('cancels an edit with Escape without sending anything', async () => {
    room.one<HTMLButtonElement>('edit-line').click();
    await room.settle();
    room.type(room.one('edit-line-code'), '99999');
    room.press(room.one('edit-line-code'), 'Escape');
    await room.settle();
    expect(room.one('edit-line-code')).toBeNull();
    expect(room.socket.sentOf('line:update')).toEqual([]);
    expect(room.text(room.all('claim-line')[0]!)).toContain('99203');
  });

  it('starts editing with Enter on a focused row', async () => {
    const row = room.all('claim-line')[0]!;
    row.focus();
    room.press(row, 'Enter');
    await room.settle();
    expect(room.one('edit-line-code')).not.toBeNull();
  });

  it('removes a line through the room', async () => {
    room.socket.answer('line:remove', () => ({ ok: true, data: { seq: 6, duplicate: false } }));
    room.one<HTMLButtonElement>('remove-line').click();
    await room.settle();
    expect(room.socket.sentOf('line:remove')).toEqual([
      { encounterId: ENCOUNTER_ID, baseVersion: 5, opId: UUID, lineId: encounter.lines[0]!.id },
    ]);
  });

  it('offers no Remove for a line that was submitted once (the reviewer rejects it instead)', async () => {
    expect(room.all('remove-line')).toHaveLength(1);
    room.socket.push(
      'encounter:event',
      lineUpdated(6, { ...encounter.lines[0]!, submitted: true }),
    );
    await room.settle();
    expect(room.all('remove-line')).toHaveLength(0);
    expect(room.all('edit-line')).toHaveLength(1);
  });

  it('shows why a remove was refused on the line', async () => {
    room.socket.answer('line:remove', () => ({
      ok: false,
      error: {
        code: 'invalid_state',
        message: 'This line was submitted for review, so it stays on the record',
      },
    }));
    room.one<HTMLButtonElement>('remove-line').click();
    await room.settle();
    expect(room.text(room.one('line-notice'))).toContain(
      'This line was submitted for review, so it stays on the record',
    );
  });

  it('adds a diagnosis by code and Enter, saving the whole list against the version shown', async () => {
    room.ignoreLookups();
    const input = room.one<HTMLInputElement>('new-diagnosis');
    room.type(input, 'i10');
    room.press(input, 'Enter');
    const patch = room.http.expectOne({ method: 'PATCH', url: `/api/encounters/${ENCOUNTER_ID}` });
    expect(patch.request.body).toEqual({ diagnoses: ['M25561', 'E119', 'I10'] });
    expect(patch.request.headers.get('If-Match')).toBe('"5"');
    patch.flush({ ...encounter, diagnoses: ['M25561', 'E119', 'I10'] });
    await room.settle();
    expect(input.value).toBe('');

    room.socket.push(
      'encounter:event',
      encounterUpdated(6, { diagnoses: ['M25561', 'E119', 'I10'] }),
    );
    await room.settle();
    expect(room.all('diagnosis').map((d) => room.text(d))[2]).toContain('I10');
  });

  it('takes the chart a refused diagnosis change brings back and says so', async () => {
    room.ignoreLookups();
    room.type(room.one('new-diagnosis'), 'I10');
    room.press(room.one('new-diagnosis'), 'Enter');
    const now = { ...encounter, version: 6, diagnoses: ['M25561'] };
    room.http
      .expectOne({ method: 'PATCH', url: `/api/encounters/${ENCOUNTER_ID}` })
      .flush(
        { code: 'conflict', message: 'Someone changed the chart', details: { encounter: now } },
        { status: 409, statusText: 'Conflict' },
      );
    await room.settle();
    expect(room.all('diagnosis')).toHaveLength(1);
    expect(room.root.textContent).toContain('your change was not applied');
  });

  it('refuses a duplicate diagnosis without a request', async () => {
    room.ignoreLookups();
    room.type(room.one('new-diagnosis'), 'E11.9');
    room.press(room.one('new-diagnosis'), 'Enter');
    await room.settle();
    room.http.expectNone((request) => request.method === 'PATCH');
    expect(room.root.textContent).toContain('A diagnosis appears twice');
  });

  it('shows Reconnecting while the connection is down and takes editing away until it is back', async () => {
    room.socket.dropConnection();
    await room.settle();
    expect(room.text(room.one('connection-status'))).toBe('Reconnecting');
    expect(room.one('add-line')).toBeNull();
    expect(room.one('edit-line')).toBeNull();

    room.socket.reconnect();
    await room.settle();
    expect(room.text(room.one('connection-status'))).toBe('Live');
    expect(room.one('add-line')).not.toBeNull();
  });

  it('takes editing away once the chart is submitted', async () => {
    expect(room.one('add-line')).not.toBeNull();
    room.socket.push('encounter:event', statusChanged(6, 'draft', 'submitted', encounter.coder!));
    await room.settle();
    expect(room.text(room.one('connection-status'))).toBe('Live');
    expect(room.text(room.one('encounter-status'))).toBe('Submitted');
    expect(room.one('add-line')).toBeNull();
    expect(room.one('edit-line')).toBeNull();
    expect(room.one('new-diagnosis')).toBeNull();
  });

  it('leaves the room and disconnects when the page is left', () => {
    room.fixture.destroy();
    expect(room.socket.sentOf('room:leave')).toEqual([{ encounterId: ENCOUNTER_ID }]);
    expect(room.socket.connected).toBe(false);
  });
});

describe(ageOn.name, () => {
  it('counts whole years up to the date of service', () => {
    expect(ageOn('1971-03-08', '2025-03-07')).toBe(53);
    expect(ageOn('1971-03-08', '2025-03-08')).toBe(54);
    expect(ageOn('bad', '2025-03-08')).toBeNull();
  });
});
