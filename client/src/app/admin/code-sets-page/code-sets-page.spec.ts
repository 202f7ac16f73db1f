import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { signal } from '@angular/core';
import type { CatalogImport, ImportPreview, Role } from '@countersign/shared';
import { AuthService } from '../../core/auth/auth.service';
import { provideAppIcons } from '../../core/icons';
import { settle as settleFixture } from '../../../testing/settle';
import { CodeSetsPage, IMPORT_POLL_MS } from './code-sets-page';

// No real time passes (fake clock), but building Material components the first time takes
// seconds of CPU on a busy two-core machine: more than Jest's default 5 s.
jest.setTimeout(20_000);

/** The progress poll, on the fake clock the specs move. */
const POLL_MS = 500;

const ID = '7a1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';

function job(overrides: Partial<CatalogImport> = {}): CatalogImport {
  return {
    id: ID,
    kind: 'rvu-tsv',
    dataset: 'RVU',
    edition: '2025',
    effectiveDate: '2025-01-01',
    fileName: 'mpfs-rvu-2025.tsv',
    status: 'running',
    phase: 'reading',
    rowsRead: 0,
    bytesRead: 0,
    bytesTotal: 1000,
    percent: 0,
    summary: null,
    error: null,
    preview: null,
    expiresAt: null,
    restoresImportId: null,
    restoredByImportId: null,
    restorable: false,
    startedAt: '2026-01-01T10:00:00.000Z',
    finishedAt: null,
    ...overrides,
  };
}

const summary = {
  kind: 'rvu-tsv' as const,
  dataset: 'RVU',
  edition: '2025',
  effectiveDate: '2025-01-01',
  fileName: 'mpfs-rvu-2025.tsv',
  sha256: 'abc',
  rows: 16012,
  added: 16012,
  changed: 0,
  removed: 0,
  ended: 0,
  unchanged: false,
  durationMs: 900,
};

const preview: ImportPreview = {
  rows: 16012,
  existing: 0,
  added: 16012,
  changed: 0,
  removed: 0,
  ended: 0,
  endable: 0,
  reopened: 0,
  samples: { added: ['0001F', '0005F'], changed: [], removed: [], ended: [], reopened: [] },
  warning: null,
};

describe(CodeSetsPage.name, () => {
  let fixture: ComponentFixture<CodeSetsPage>;
  let http: HttpTestingController;
  const role = signal<Role>('operator');

  beforeEach(async () => {
    jest.useFakeTimers();
    role.set('operator');
    TestBed.configureTestingModule({
      imports: [CodeSetsPage],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: IMPORT_POLL_MS, useValue: POLL_MS },
        {
          provide: AuthService,
          useValue: { user: () => ({ id: ID, name: 'Olive Operator', role: role() }) },
        },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(CodeSetsPage);
    http.expectOne('/api/catalog/editions').flush({
      items: [
        {
          dataset: 'HCPCS',
          kind: 'hcpcs-tsv',
          edition: '2026',
          effectiveDate: '2026-01-01',
          fileName: 'hcpcs-2026.tsv',
          importId: 'x',
        },
      ],
    });
    http.expectOne('/api/catalog/imports').flush({ items: [] });
    await settle();
  });

  const root = () => fixture.nativeElement as HTMLElement;
  const one = <T extends HTMLElement = HTMLElement>(id: string) =>
    root().querySelector<T>(`[data-testid="${id}"]`)!;
  const text = (id: string) => one(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

  afterEach(() => jest.useRealTimers());

  /** Moves the fake clock on by `ms`, lets answered requests run and renders. */
  const settle = (ms = 0) => settleFixture(fixture, ms);

  async function upload(options: { kind?: string; edition?: string } = {}): Promise<File> {
    const file = new File(['HCPCS\tMOD\n99213\t\n'], 'mpfs-rvu-2025.tsv');
    const input = one<HTMLInputElement>('import-file');
    Object.defineProperty(input, 'files', { value: [file] });
    input.dispatchEvent(new Event('change'));
    if (options.kind) {
      one<HTMLSelectElement>('import-kind').value = options.kind;
      one('import-kind').dispatchEvent(new Event('change'));
    }
    if (options.edition) {
      one<HTMLInputElement>('import-edition').value = options.edition;
      one('import-edition').dispatchEvent(new Event('input'));
    }
    one<HTMLButtonElement>('import-start').click();
    await settle();
    return file;
  }

  it('lists the loaded editions', () => {
    expect(root().querySelectorAll('[data-testid="edition-row"]')).toHaveLength(1);
    expect(text('edition-row')).toContain('hcpcs-2026.tsv');
  });

  it('uploads the raw file with its options, follows the progress bar to the preview, and applies it once confirmed', async () => {
    const file = await upload({ kind: 'rvu-tsv', edition: '2025' });
    const post = http.expectOne((r) => r.method === 'POST' && r.url === '/api/catalog/imports');
    expect(post.request.body).toBe(file);
    expect(post.request.headers.get('Content-Type')).toBe('application/octet-stream');
    expect(post.request.params.get('fileName')).toBe('mpfs-rvu-2025.tsv');
    expect(post.request.params.get('kind')).toBe('rvu-tsv');
    expect(post.request.params.get('edition')).toBe('2025');
    expect(post.request.params.has('effectiveDate')).toBe(false);
    post.flush(job());
    await settle();
    expect(root().querySelector('mat-progress-bar')).not.toBeNull();

    await settle(POLL_MS);
    http
      .expectOne(`/api/catalog/imports/${ID}`)
      .flush(job({ phase: 'writing', rowsRead: 8000, percent: 50 }));
    await settle();
    expect(text('import-progress')).toBe('50% · writing · 8,000 rows read');
    expect(root().querySelector('mat-progress-bar')?.getAttribute('aria-valuenow')).toBe('50');

    await settle(POLL_MS);
    http.expectOne(`/api/catalog/imports/${ID}`).flush(
      job({
        status: 'preview',
        phase: 'preview',
        rowsRead: 16012,
        percent: 100,
        preview,
        expiresAt: '2026-01-01T10:30:00.000Z',
      }),
    );
    await settle();
    expect(root().querySelector('mat-progress-bar')).toBeNull();
    expect(
      [...one('import-preview').querySelectorAll('tr')].map((tr) =>
        [...tr.children].map((c) => c.textContent.trim()),
      )[0],
    ).toEqual(['Added', '16,012', '0001F, 0005F, …']);
    expect(one('import-warning')).toBeNull();
    one<HTMLButtonElement>('import-confirm').click();
    await settle();
    http
      .expectOne((r) => r.method === 'POST' && r.url === `/api/catalog/imports/${ID}/confirm`)
      .flush(job({ status: 'succeeded', phase: 'done', rowsRead: 16012, percent: 100, summary }));
    await settle();
    expect(text('import-result')).toBe('Imported. 16,012 rows: 16,012 added, 0 changed, 0 removed');
    // The lists are read again once the preview is ready and once it is applied.
    for (const request of http.match('/api/catalog/editions')) request.flush({ items: [] });
    for (const request of http.match('/api/catalog/imports'))
      request.flush({ items: [job({ status: 'succeeded', summary })] });
    await settle();
    http.verify();
  });

  it('says when the same edition was already imported', async () => {
    await upload();
    http
      .expectOne((r) => r.method === 'POST')
      .flush(
        job({
          status: 'unchanged',
          percent: 100,
          summary: { ...summary, added: 0, unchanged: true },
        }),
      );
    await settle();
    expect(text('import-result')).toBe(
      'Already loaded. Unchanged: this edition was already imported with the same content.',
    );
  });

  it('shows a bad file’s line and reason', async () => {
    await upload();
    http.expectOne((r) => r.method === 'POST').flush(job());
    await settle(POLL_MS);
    http
      .expectOne(`/api/catalog/imports/${ID}`)
      .flush(
        job({ status: 'failed', error: { line: 42, reason: 'Expected 11 columns, found 3' } }),
      );
    await settle();
    expect(text('import-result')).toBe(
      'Not imported, nothing changed. Line 42: Expected 11 columns, found 3',
    );
    expect(one('import-result').getAttribute('role')).toBe('alert');
  });

  it('warns loudly when the preview would remove much of an edition, and cancels without applying', async () => {
    await upload();
    http
      .expectOne((r) => r.method === 'POST')
      .flush(
        job({
          status: 'preview',
          preview: {
            ...preview,
            existing: 10727,
            removed: 6777,
            warning:
              'This import removes 6,777 of the 10,727 rows of RVU 2025 now loaded (63%). Is the file complete?',
          },
        }),
      );
    await settle();
    expect(one('import-warning').getAttribute('role')).toBe('alert');
    expect(text('import-warning')).toContain('removes 6,777 of the 10,727 rows');
    one<HTMLButtonElement>('import-cancel').click();
    await settle();
    http
      .expectOne((r) => r.url === `/api/catalog/imports/${ID}/cancel`)
      .flush(job({ status: 'cancelled' }));
    await settle();
    expect(text('import-result')).toBe(
      'Not imported, nothing changed. Cancelled: nothing was changed.',
    );
    http.expectNone((r) => r.url.endsWith('/confirm'));
  });

  it('shows an organization admin what is loaded, without the upload', async () => {
    role.set('admin');
    await settle();
    expect(one('import-read-only')).not.toBeNull();
    expect(root().querySelector('#upload-title')?.closest('section')?.hidden).toBe(true);
  });

  it('asks for a file before sending anything', async () => {
    one<HTMLButtonElement>('import-start').click();
    await settle();
    expect(text('import-form-error')).toBe('Choose a file to import.');
    http.expectNone((r) => r.method === 'POST');
  });
});
