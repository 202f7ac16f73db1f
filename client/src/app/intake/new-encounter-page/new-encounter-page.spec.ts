import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { TeamMember } from '@countersign/shared';
import {
  CODER,
  REVIEWER,
  SUPERVISOR,
  makeEncounter,
  sessionUser,
} from '../../../testing/encounter-fixtures';
import { settle } from '../../../testing/settle';
import { AuthService } from '../../core/auth/auth.service';
import { provideAppIcons } from '../../core/icons';
import { TYPEAHEAD_DEBOUNCE_MS } from '../../core/catalog/code-typeahead';
import { NewEncounterPage } from './new-encounter-page';

// No real time passes (fake clock), but building Material components the first time takes
// seconds of CPU on a busy two-core machine: more than Jest's default 5 s.
jest.setTimeout(20_000);

@Component({ template: 'encounter' })
class EncounterStub {}

const TEAM: TeamMember[] = [
  { id: CODER.id, name: CODER.name, email: 'coder@example.test', role: 'coder' },
  { id: REVIEWER.id, name: REVIEWER.name, email: 'reviewer@example.test', role: 'reviewer' },
  { id: SUPERVISOR.id, name: SUPERVISOR.name, email: 'sup@example.test', role: 'supervisor' },
];

describe(NewEncounterPage.name, () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;

  async function start(role: 'coder' | 'supervisor'): Promise<void> {
    jest.useFakeTimers();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'encounters/new', component: NewEncounterPage },
          { path: 'encounters/:id', component: EncounterStub },
        ]),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: AuthService, useValue: { user: signal(sessionUser(role)) } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/encounters/new');
    if (role === 'supervisor') http.expectOne('/api/users').flush({ items: TEAM });
    await render();
  }

  afterEach(() => jest.useRealTimers());

  const root = () => harness.routeNativeElement!;
  const one = <T extends HTMLElement = HTMLElement>(id: string) =>
    root().querySelector<T>(`[data-testid="${id}"]`)!;
  const text = (id: string) => one(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  const render = (ms = 0) => settle(harness.fixture, ms);

  function type(id: string, value: string): void {
    const input = one<HTMLInputElement>(id);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  function fillValid(): void {
    type('field-patient-name', 'Ada Quinn');
    type('field-mrn', 'MRN-77');
    type('field-dob', '1980-02-29');
    type('field-dos', '2026-01-05');
    type('field-provider-name', 'Dana Lee, MD');
    type('field-npi', '1234567893');
    type('field-note', 'Follow-up for hypertension.');
  }

  it('shows each field’s problem from the shared schema and sends nothing', async () => {
    await start('coder');
    type('field-dob', '1980-02-30');
    type('field-npi', '12ab');
    one('form-submit').click();
    await render();
    http.expectNone((request) => request.method === 'POST');
    expect(text('error-patient.name')).toBe('Patient name is required');
    expect(text('error-patient.mrn')).toBe('MRN is required');
    expect(text('error-patient.dateOfBirth')).not.toBe('');
    expect(text('error-dateOfService')).not.toBe('');
    expect(text('error-provider.name')).toBe('Provider name is required');
    expect(text('error-provider.npi')).toBe('An NPI is ten digits');
  });

  it('shows a field’s problem when the person leaves it, not before', async () => {
    await start('coder');
    expect(one('error-patient.mrn')).toBeNull();
    one('field-mrn').dispatchEvent(new Event('blur'));
    await render();
    expect(text('error-patient.mrn')).toBe('MRN is required');
    expect(one('error-patient.name')).toBeNull();
  });

  it('creates the chart with its diagnoses and opens it', async () => {
    await start('coder');
    fillValid();
    type('form-new-diagnosis', 'e11.9');
    one('form-new-diagnosis').dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }),
    );
    await render(TYPEAHEAD_DEBOUNCE_MS);
    http.match(() => true).forEach((r) => r.flush({ items: [] }));
    expect(root().querySelectorAll('[data-testid="form-diagnosis"]')).toHaveLength(1);
    // Typed with its dot, shown with one dot (the code is kept as the server keeps it).
    expect(text('form-diagnosis')).toContain('E11.9');
    expect(text('form-diagnosis')).not.toContain('E11..9');
    one<HTMLInputElement>('field-assign-me').querySelector('input')!.click();
    one('form-submit').click();
    await render();

    const post = http.expectOne({ method: 'POST', url: '/api/encounters' });
    expect(post.request.body).toEqual({
      patient: { name: 'Ada Quinn', mrn: 'MRN-77', dateOfBirth: '1980-02-29' },
      dateOfService: '2026-01-05',
      provider: { name: 'Dana Lee, MD', npi: '1234567893' },
      placeOfService: '11',
      clinicalNote: 'Follow-up for hypertension.',
      diagnoses: ['E119'],
      lines: [],
      coderId: CODER.id,
      reviewerId: null,
    });
    const created = makeEncounter({ id: 'c0ffee00-0000-4000-8000-000000000001' });
    post.flush(created);
    await render();
    expect(TestBed.inject(Router).url).toBe(`/encounters/${created.id}`);
  });

  it('shows the server’s refusals on their fields and stays on the form', async () => {
    await start('supervisor');
    fillValid();
    one('form-submit').click();
    await render();
    http.expectOne({ method: 'POST', url: '/api/encounters' }).flush(
      {
        code: 'validation_failed',
        message: 'placeOfService: Unknown place of service code; diagnoses.0: Not a code',
        details: {
          issues: [
            { path: 'placeOfService', message: 'Unknown place of service code' },
            { path: 'diagnoses.0', message: 'Not a code' },
          ],
        },
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await render();
    expect(text('error-placeOfService')).toBe('Unknown place of service code');
    expect(text('error-diagnoses')).toBe('Not a code');
    expect(TestBed.inject(Router).url).toBe('/encounters/new');
  });

  it('shows a refusal that names no field above the form', async () => {
    await start('supervisor');
    fillValid();
    one('form-submit').click();
    await render();
    http
      .expectOne({ method: 'POST', url: '/api/encounters' })
      .flush(
        { code: 'forbidden', message: 'The chart’s coder cannot also be its reviewer' },
        { status: 403, statusText: 'Forbidden' },
      );
    await render();
    expect(text('form-error')).toBe('The chart’s coder cannot also be its reviewer');
  });

  it('reads the note from a text file', async () => {
    await start('coder');
    const input = one<HTMLInputElement>('note-file');
    const file = new File(['Line one\r\nLine two'], 'note.txt', { type: 'text/plain' });
    Object.defineProperty(file, 'text', { value: () => Promise.resolve('Line one\r\nLine two') });
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    input.dispatchEvent(new Event('change'));
    await render();
    expect(one<HTMLTextAreaElement>('field-note').value).toBe('Line one\nLine two');
    expect(text('note-file-name')).toBe('Read from note.txt');
  });

  it('lets a supervisor pick coder and reviewer; a coder only takes the chart', async () => {
    await start('supervisor');
    expect(one('field-coder')).not.toBeNull();
    expect(one('field-reviewer')).not.toBeNull();
    expect(one('field-assign-me')).toBeNull();
  });
});
