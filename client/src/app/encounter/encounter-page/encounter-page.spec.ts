import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { CatalogCode, Encounter } from '@countersign/shared';
import {
  CODER_PRESENCE,
  ENCOUNTER_ID,
  REVIEWER,
  REVIEWER_PRESENCE,
  encounterUpdated,
  lineAdded,
  lineUpdated,
  makeEncounter,
  makeLine,
} from '../../../testing/encounter-fixtures';
import { FakeLiveSocket } from '../../../testing/fake-live-socket';
import { provideAppIcons } from '../../core/icons';
import { LIVE_SOCKET_FACTORY } from '../../core/realtime/live-socket';
import { EncounterPage, ageOn } from './encounter-page';

function catalogCode(system: CatalogCode['system'], code: string, shortDescription: string): CatalogCode {
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

describe(EncounterPage.name, () => {
  let fixture: ComponentFixture<EncounterPage>;
  let socket: FakeLiveSocket;
  let http: HttpTestingController;
  let encounter: Encounter;

  beforeEach(async () => {
    encounter = makeEncounter({ version: 5, lines: [makeLine({ code: '99203', modifiers: ['25'], units: 1, pointers: ['A', 'B'] })] });
    socket = new FakeLiveSocket().answer('room:join', () => ({
      ok: true,
      data: { encounter, seq: encounter.version, presence: [CODER_PRESENCE, REVIEWER_PRESENCE] },
    }));
    TestBed.configureTestingModule({
      imports: [EncounterPage],
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
        { provide: LIVE_SOCKET_FACTORY, useValue: () => socket.asSocket() },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(EncounterPage);
    fixture.componentRef.setInput('id', ENCOUNTER_ID);
    await settle();
  });

  /** Lets acks and HTTP promise chains run, then renders. */
  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  }

  const all = (testId: string) => [...fixture.nativeElement.querySelectorAll(`[data-testid="${testId}"]`)] as HTMLElement[];
  const one = <T extends HTMLElement = HTMLElement>(testId: string, within: ParentNode = fixture.nativeElement) =>
    within.querySelector(`[data-testid="${testId}"]`) as T;
  const text = (element: Element) => element.textContent?.replace(/\s+/g, ' ').trim() ?? '';

  function type(input: HTMLInputElement, value: string): void {
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  function press(element: HTMLElement, key: 'Enter' | 'Escape'): void {
    element.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
  }

  it('shows the header, the note, who is here and Live once joined', () => {
    expect(text(one('encounter-patient'))).toBe('Gregory Halvorsen');
    const header = text(fixture.nativeElement.querySelector('.header'));
    expect(header).toContain('CS-100231');
    expect(header).toContain('Office');
    expect(header).toContain('Draft');
    expect(header).toContain('Oct 14, 2025');
    expect(text(one('connection-status'))).toBe('Live');
    expect(one('clinical-note').textContent).toBe('Right knee pain for three weeks.\nNo trauma.');
    const members = all('presence-member');
    expect(members.map((m) => m.getAttribute('aria-label'))).toEqual(['Casey Coder (coder)', 'Riley Reviewer (reviewer)']);
    expect(members.map((m) => text(m))).toEqual(['CC', 'RR']);
  });

  it('shows the diagnoses with letters and dots, and descriptions from the catalogue', async () => {
    const lookup = http.expectOne((request) => request.url === '/api/catalog/lookup');
    expect(lookup.request.params.get('codes')?.split(',').sort()).toEqual(['25', '99203', 'E119', 'M25561']);
    lookup.flush({
      items: [
        catalogCode('ICD10CM', 'E119', 'Type 2 diabetes mellitus without complications'),
        catalogCode('CPT', '99203', 'Office visit, new patient, low MDM'),
      ],
    });
    await settle();
    const diagnoses = all('diagnosis').map(text);
    expect(diagnoses[0]).toContain('A');
    expect(diagnoses[0]).toContain('M25.561');
    expect(diagnoses[1]).toContain('E11.9');
    expect(diagnoses[1]).toContain('Type 2 diabetes mellitus without complications');
    expect(text(all('claim-line')[0]!)).toContain('Office visit, new patient, low MDM');
  });

  it('shows each claim line with code, modifiers, units and pointers', () => {
    const [row] = all('claim-line');
    expect(text(row!)).toMatch(/99203.*25.*1.*A, B/);
  });

  it('sends a new line and shows it only when its event arrives, then clears the form and refocuses the code', async () => {
    socket.answer('line:add', () => ({ ok: true, data: { seq: 6 } }));
    type(one('new-line-code'), '20610');
    type(one('new-line-modifiers'), 'rt');
    type(one('new-line-units'), '2');
    type(one('new-line-pointers'), 'a');
    press(one('new-line-pointers'), 'Enter');
    expect(socket.sentOf('line:add')).toEqual([
      { encounterId: ENCOUNTER_ID, line: { code: '20610', modifiers: ['RT'], units: 2, pointers: ['A'] } },
    ]);
    await settle();
    expect(all('claim-line')).toHaveLength(1);
    expect(one<HTMLInputElement>('new-line-code').value).toBe('');
    expect(one<HTMLInputElement>('new-line-units').value).toBe('1');
    expect(document.activeElement).toBe(one('new-line-code'));

    socket.push('encounter:event', lineAdded(6, makeLine({ code: '20610', modifiers: ['RT'], units: 2, pointers: ['A'] }), 1));
    await settle();
    expect(all('claim-line').map(text)[1]).toMatch(/20610.*RT.*2.*A/);
  });

  it('shows a line added by someone else without any action, highlighted', async () => {
    expect(all('claim-line')[0]!.classList).not.toContain('line--highlight');
    socket.push('encounter:event', lineAdded(6, makeLine({ code: '73562' }), 1, REVIEWER));
    await settle();
    const rows = all('claim-line');
    expect(text(rows[1]!)).toContain('73562');
    expect(rows[1]!.classList).toContain('line--highlight');
    expect(rows[0]!.classList).not.toContain('line--highlight');
  });

  it('keeps the typed line and shows the server message when the add is refused', async () => {
    socket.answer('line:add', () => ({
      ok: false,
      error: { code: 'validation_failed', message: 'Diagnosis pointer C points at no diagnosis: pointers go from A to B' },
    }));
    type(one('new-line-code'), '20610');
    type(one('new-line-pointers'), 'C');
    one<HTMLButtonElement>('add-line').click();
    await settle();
    expect(one<HTMLInputElement>('new-line-code').value).toBe('20610');
    expect(fixture.nativeElement.textContent).toContain('Diagnosis pointer C points at no diagnosis');
    expect(document.body.querySelector('mat-snack-bar-container')?.textContent).toContain('Diagnosis pointer C points at no diagnosis');
  });

  it('catches a malformed line before sending it', async () => {
    type(one('new-line-code'), 'E119');
    press(one('new-line-code'), 'Enter');
    await settle();
    expect(socket.sentOf('line:add')).toEqual([]);
    expect(fixture.nativeElement.textContent).toContain('Not a CPT or HCPCS Level II code');
  });

  it('edits a line in place and sends only the changed field', async () => {
    const line = encounter.lines[0]!;
    socket.answer('line:update', () => ({ ok: true, data: { seq: 6 } }));
    one<HTMLButtonElement>('edit-line').click();
    await settle();
    expect(document.activeElement).toBe(one('edit-line-code'));
    expect(one<HTMLInputElement>('edit-line-modifiers').value).toBe('25');
    expect(one<HTMLInputElement>('edit-line-pointers').value).toBe('A,B');

    type(one('edit-line-units'), '3');
    press(one('edit-line-units'), 'Enter');
    expect(socket.sentOf('line:update')).toEqual([{ encounterId: ENCOUNTER_ID, lineId: line.id, patch: { units: 3 } }]);
    await settle();
    expect(one('edit-line-code')).toBeNull();

    socket.push('encounter:event', lineUpdated(6, { ...line, units: 3 }));
    await settle();
    expect(text(all('claim-line')[0]!)).toMatch(/99203.*25.*3.*A, B/);
  });

  it('cancels an edit with Escape without sending anything', async () => {
    one<HTMLButtonElement>('edit-line').click();
    await settle();
    type(one('edit-line-code'), '99999');
    press(one('edit-line-code'), 'Escape');
    await settle();
    expect(one('edit-line-code')).toBeNull();
    expect(socket.sentOf('line:update')).toEqual([]);
    expect(text(all('claim-line')[0]!)).toContain('99203');
  });

  it('starts editing with Enter on a focused row', async () => {
    const row = all('claim-line')[0]!;
    row.focus();
    press(row, 'Enter');
    await settle();
    expect(one('edit-line-code')).not.toBeNull();
  });

  it('removes a line through the room', async () => {
    socket.answer('line:remove', () => ({ ok: true, data: { seq: 6 } }));
    one<HTMLButtonElement>('remove-line').click();
    await settle();
    expect(socket.sentOf('line:remove')).toEqual([{ encounterId: ENCOUNTER_ID, lineId: encounter.lines[0]!.id }]);
  });

  it('adds a diagnosis by code and Enter, saving the whole list', async () => {
    http.match((request) => request.url === '/api/catalog/lookup');
    const input = one<HTMLInputElement>('new-diagnosis');
    type(input, 'i10');
    press(input, 'Enter');
    const patch = http.expectOne({ method: 'PATCH', url: `/api/encounters/${ENCOUNTER_ID}` });
    expect(patch.request.body).toEqual({ diagnoses: ['M25561', 'E119', 'I10'] });
    patch.flush({ ...encounter, diagnoses: ['M25561', 'E119', 'I10'] });
    await settle();
    expect(input.value).toBe('');

    socket.push('encounter:event', encounterUpdated(6, { diagnoses: ['M25561', 'E119', 'I10'] }));
    await settle();
    expect(all('diagnosis').map(text)[2]).toContain('I10');
  });

  it('refuses a duplicate diagnosis without a request', async () => {
    http.match((request) => request.url === '/api/catalog/lookup');
    type(one('new-diagnosis'), 'E11.9');
    press(one('new-diagnosis'), 'Enter');
    await settle();
    http.expectNone((request) => request.method === 'PATCH');
    expect(fixture.nativeElement.textContent).toContain('A diagnosis appears twice');
  });

  it('shows Reconnecting while the connection is down and disables editing', async () => {
    socket.dropConnection();
    await settle();
    expect(text(one('connection-status'))).toBe('Reconnecting');
    expect(one<HTMLButtonElement>('add-line').disabled).toBe(true);
    expect(one<HTMLButtonElement>('edit-line').disabled).toBe(true);

    socket.reconnect();
    await settle();
    expect(text(one('connection-status'))).toBe('Live');
  });

  it('locks editing once the chart is approved', async () => {
    expect(one<HTMLButtonElement>('add-line').disabled).toBe(false);
    socket.push('encounter:event', encounterUpdated(6, { status: 'approved' }, REVIEWER));
    await settle();
    expect(text(one('connection-status'))).toBe('Live');
    expect(one<HTMLButtonElement>('add-line').disabled).toBe(true);
    expect(one<HTMLButtonElement>('edit-line').disabled).toBe(true);
  });

  it('leaves the room and disconnects when the page is left', () => {
    fixture.destroy();
    expect(socket.sentOf('room:leave')).toEqual([{ encounterId: ENCOUNTER_ID }]);
    expect(socket.connected).toBe(false);
  });
});

describe(ageOn.name, () => {
  it('counts whole years up to the date of service', () => {
    expect(ageOn('1971-03-08', '2025-03-07')).toBe(53);
    expect(ageOn('1971-03-08', '2025-03-08')).toBe(54);
    expect(ageOn('bad', '2025-03-08')).toBeNull();
  });
});
