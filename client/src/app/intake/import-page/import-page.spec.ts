import { HttpEventType, provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import type { IntakePreview, IntakeRow, IntakeSummary } from '@countersign/shared';
import { CODER } from '../../../testing/encounter-fixtures';
import { settle as settleFixture } from '../../../testing/settle';
import { provideAppIcons } from '../../core/icons';
import { INTAKE_POLL_MS, ImportPage, describeRowError, intakeFormatOf } from './import-page';

// No real time passes (fake clock), but building Material components the first time takes
// seconds of CPU on a busy two-core machine: more than Jest's default 5 s.
jest.setTimeout(20_000);

const POLL_MS = 500;
const ID = '0b7c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const CHART = (n: number) => `c0ffee00-0000-4000-8000-00000000000${n}`;

function summary(overrides: Partial<IntakeSummary> = {}): IntakeSummary {
  return {
    id: ID,
    format: 'csv',
    fileName: 'visits.csv',
    status: 'previewed',
    total: 3,
    toCreate: 2,
    alreadyImported: 0,
    invalid: 1,
    mode: null,
    done: 0,
    created: 0,
    skipped: 0,
    error: null,
    createdBy: CODER,
    createdAt: '2026-01-01T10:00:00.000Z',
    updatedAt: '2026-01-01T10:00:00.000Z',
    ...overrides,
  };
}

function row(n: number, overrides: Partial<IntakeRow> = {}): IntakeRow {
  return {
    row: n + 1,
    sourceSystem: 'epic',
    sourceId: `V-${n}`,
    patientName: `Patient ${n}`,
    mrn: `MRN-${n}`,
    dateOfService: '2026-01-05',
    providerName: 'Dana Lee, MD',
    diagnoses: [],
    action: 'create',
    errors: [],
    encounterId: null,
    ...overrides,
  };
}

const BAD = row(3, {
  action: 'invalid',
  dateOfService: null,
  errors: [{ row: 4, column: 'date_of_service', message: 'Not a date (YYYY-MM-DD)' }],
});

function preview(overrides: Partial<IntakePreview> = {}): IntakePreview {
  return { ...summary(), rows: [row(1), row(2), BAD], nextOffset: null, ...overrides };
}

describe(ImportPage.name, () => {
  let fixture: ComponentFixture<ImportPage>;
  let http: HttpTestingController;

  beforeEach(async () => {
    jest.useFakeTimers();
    TestBed.configureTestingModule({
      imports: [ImportPage],
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: INTAKE_POLL_MS, useValue: POLL_MS },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ImportPage);
    await settle();
  });

  afterEach(() => {
    http.verify();
    jest.useRealTimers();
  });

  const root = () => fixture.nativeElement as HTMLElement;
  const one = <T extends HTMLElement = HTMLElement>(id: string) =>
    root().querySelector<T>(`[data-testid="${id}"]`)!;
  const all = (id: string) => [...root().querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
  const text = (id: string) => one(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  const settle = (ms = 0) => settleFixture(fixture, ms);

  async function choose(name = 'visits.csv', type = 'text/csv') {
    const file = new File(['source_system,source_id\n'], name, { type });
    const input = one<HTMLInputElement>('import-file');
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    input.dispatchEvent(new Event('change'));
    await settle();
    return file;
  }

  async function upload(answer: IntakePreview = preview()) {
    await choose();
    const request = http.expectOne((r) => r.url === '/api/encounter-imports');
    request.flush(answer, { status: 201, statusText: 'Created' });
    await settle();
  }

  it('uploads the file with its format, showing the share sent, then that it is being checked', async () => {
    const file = await choose();
    const request = http.expectOne((r) => r.url === '/api/encounter-imports');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toBe(file);
    expect(request.request.params.get('format')).toBe('csv');
    expect(request.request.params.get('fileName')).toBe('visits.csv');
    expect(request.request.headers.get('Content-Type')).toBe('text/csv');

    request.event({ type: HttpEventType.UploadProgress, loaded: 40, total: 100 });
    await settle();
    expect(text('import-upload-progress')).toBe('Uploading… 40%');
    request.event({ type: HttpEventType.UploadProgress, loaded: 100, total: 100 });
    await settle();
    expect(text('import-upload-progress')).toBe('Checking every row…');

    request.flush(preview(), { status: 201, statusText: 'Created' });
    await settle();
    expect(one('import-preview')).not.toBeNull();
  });

  it('uploads a FHIR Bundle as application/fhir+json, the type the server takes', async () => {
    await choose('bundle.json', 'application/json');
    const request = http.expectOne((r) => r.url === '/api/encounter-imports');
    expect(request.request.params.get('format')).toBe('fhir');
    expect(request.request.headers.get('Content-Type')).toBe('application/fhir+json');
    request.flush(preview({ format: 'fhir' }), { status: 201, statusText: 'Created' });
    await settle();
    expect(one('import-preview')).not.toBeNull();
  });

  it('previews each row with its action, marks the bad one by column, and counts', async () => {
    await upload();
    const rows = all('import-row');
    expect(rows.map((r) => r.getAttribute('data-action'))).toEqual(['create', 'create', 'invalid']);
    expect(rows[2]!.classList).toContain('row--invalid');
    expect(rows[2]!.querySelector('.cell--error')?.textContent?.trim()).toBe('—');
    expect(text('row-error')).toBe('date_of_service Not a date (YYYY-MM-DD)');
    const counts = [...one('import-counts').querySelectorAll('.count')].map((c) =>
      c.textContent?.trim(),
    );
    expect(counts).toEqual(['3 in the file', '2 to create', '0 already imported', '1 invalid']);
  });

  it('refuses "Import all" with the reason while a row is invalid, and imports the good rows', async () => {
    await upload();
    expect(one<HTMLButtonElement>('import-all').disabled).toBe(true);
    expect(text('import-all-reason')).toBe(
      '1 row is invalid: fix the file and upload it again, or import only the good rows.',
    );
    one<HTMLButtonElement>('import-all').click();
    await settle();
    http.expectNone((r) => r.url.endsWith('/commit'));

    one<HTMLButtonElement>('import-good').click();
    await settle();
    const commit = http.expectOne(`/api/encounter-imports/${ID}/commit`);
    expect(commit.request.body).toEqual({ mode: 'good_rows' });
    commit.flush(summary({ status: 'committing', mode: 'good_rows' }));
    await settle();
    expect(text('import-commit-progress')).toBe('0 of 3 rows · 0 created');

    await settle(POLL_MS);
    http
      .expectOne(`/api/encounter-imports/${ID}`)
      .flush(summary({ status: 'committing', mode: 'good_rows', done: 2, created: 2 }));
    await settle();
    expect(text('import-commit-progress')).toBe('2 of 3 rows · 2 created');

    await settle(POLL_MS);
    http
      .expectOne(`/api/encounter-imports/${ID}`)
      .flush(summary({ status: 'done', mode: 'good_rows', done: 3, created: 2, skipped: 1 }));
    await settle();
    const created = http.expectOne((r) => r.url === `/api/encounter-imports/${ID}/rows`);
    expect(created.request.params.get('action')).toBe('create');
    created.flush({
      items: [row(1, { encounterId: CHART(1) }), row(2, { encounterId: CHART(2) })],
      total: 2,
      nextOffset: null,
    });
    await settle();
    expect(text('import-summary')).toBe(
      '2 charts created, 1 skipped (invalid or imported before).',
    );
    const links = [...one('import-created').querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      `/encounters/${CHART(1)}`,
      `/encounters/${CHART(2)}`,
    ]);
    await settle(POLL_MS * 4);
  });

  it('imports all when every row is good', async () => {
    await upload(preview({ invalid: 0, total: 2, rows: [row(1), row(2)] }));
    expect(one<HTMLButtonElement>('import-all').disabled).toBe(false);
    expect(one('import-all-reason')).toBeNull();
    one<HTMLButtonElement>('import-all').click();
    await settle();
    const commit = http.expectOne(`/api/encounter-imports/${ID}/commit`);
    expect(commit.request.body).toEqual({ mode: 'all' });
    commit.flush(summary({ status: 'done', mode: 'all', total: 2, done: 2, created: 2 }));
    await settle();
    http.expectOne((r) => r.url.endsWith('/rows')).flush({ items: [], total: 0, nextOffset: null });
    await settle();
    expect(text('import-summary')).toContain('2 charts created');
  });

  it('says there is nothing new when the file was imported before', async () => {
    await upload(
      preview({
        invalid: 0,
        toCreate: 0,
        alreadyImported: 2,
        total: 2,
        rows: [
          row(1, { action: 'exists', encounterId: CHART(1) }),
          row(2, { action: 'exists', encounterId: CHART(2) }),
        ],
      }),
    );
    expect(one<HTMLButtonElement>('import-all').disabled).toBe(true);
    expect(one<HTMLButtonElement>('import-good').disabled).toBe(true);
    expect(text('import-all-reason')).toBe(
      'Nothing new to import: every encounter was imported before.',
    );
  });

  it('lists only the invalid rows on request, and pages on', async () => {
    await upload(preview({ nextOffset: 100, total: 250 }));
    one('filter-invalid').click();
    await settle();
    const page = http.expectOne((r) => r.url === `/api/encounter-imports/${ID}/rows`);
    expect(page.request.params.get('action')).toBe('invalid');
    expect(page.request.params.get('offset')).toBe('0');
    page.flush({ items: [BAD], total: 1, nextOffset: null });
    await settle();
    expect(all('import-row').map((r) => r.getAttribute('data-action'))).toEqual(['invalid']);
    expect(one('import-more')).toBeNull();
  });

  it('shows why a file cannot be read at all, and lets another be chosen', async () => {
    await choose();
    http
      .expectOne((r) => r.url === '/api/encounter-imports')
      .flush(
        {
          code: 'validation_failed',
          message: 'The file is missing required columns',
          details: { errors: [{ row: 1, column: 'mrn', message: 'Missing column' }] },
        },
        { status: 400, statusText: 'Bad Request' },
      );
    await settle();
    expect(text('import-error')).toContain('The file is missing required columns');
    expect(text('import-file-errors')).toBe('Row 1, mrn: Missing column');
    expect(one('import-drop')).not.toBeNull();
  });

  it('refuses a file that is neither CSV nor JSON without uploading it', async () => {
    await choose('notes.docx', 'application/msword');
    http.expectNone((r) => r.url === '/api/encounter-imports');
    expect(text('import-error')).toContain('neither a CSV');
  });

  it('offers to resume a commit that stopped', async () => {
    await upload(preview({ invalid: 0, rows: [row(1), row(2)], total: 2 }));
    one<HTMLButtonElement>('import-all').click();
    await settle();
    http
      .expectOne(`/api/encounter-imports/${ID}/commit`)
      .flush(
        summary({ status: 'failed', mode: 'all', invalid: 0, created: 1, error: 'Database away' }),
      );
    await settle();
    expect(text('import-failed')).toContain('Database away');
    one<HTMLButtonElement>('import-resume').click();
    await settle();
    const again = http.expectOne(`/api/encounter-imports/${ID}/commit`);
    expect(again.request.body).toEqual({ mode: 'all' });
    again.flush(summary({ status: 'done', mode: 'all', created: 2, done: 2, total: 2 }));
    await settle();
    http.expectOne((r) => r.url.endsWith('/rows')).flush({ items: [], total: 0, nextOffset: null });
    await settle();
  });
});

describe(intakeFormatOf.name, () => {
  it('tells CSV from FHIR JSON by name or type', () => {
    expect(intakeFormatOf({ name: 'a.CSV', type: '' })).toBe('csv');
    expect(intakeFormatOf({ name: 'bundle.json', type: '' })).toBe('fhir');
    expect(intakeFormatOf({ name: 'x', type: 'application/fhir+json' })).toBe('fhir');
    expect(intakeFormatOf({ name: 'x.txt', type: 'text/plain' })).toBeNull();
  });
});

describe(describeRowError.name, () => {
  it('names the row and the column, or the file', () => {
    expect(describeRowError({ row: 0, column: '', message: 'Not JSON' })).toBe('File: Not JSON');
    expect(describeRowError({ row: 2, column: 'Condition/c-2.code', message: 'Unknown' })).toBe(
      'Row 2, Condition/c-2.code: Unknown',
    );
  });
});
