import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import type { CatalogImport } from '@countersign/shared';
import { provideAppIcons } from '../../core/icons';
import { CodeSetsPage, IMPORT_POLL_MS } from './code-sets-page';

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

describe(CodeSetsPage.name, () => {
  let fixture: ComponentFixture<CodeSetsPage>;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [CodeSetsPage],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: IMPORT_POLL_MS, useValue: 5 },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(CodeSetsPage);
    http.expectOne('/api/catalog/editions').flush({
      items: [{ dataset: 'HCPCS', kind: 'hcpcs-tsv', edition: '2026', effectiveDate: '2026-01-01', fileName: 'hcpcs-2026.tsv', importId: 'x' }],
    });
    http.expectOne('/api/catalog/imports').flush({ items: [] });
    await settle();
  });

  const root = () => fixture.nativeElement as HTMLElement;
  const one = <T extends HTMLElement = HTMLElement>(id: string) => root().querySelector<T>(`[data-testid="${id}"]`)!;
  const text = (id: string) => one(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

  async function settle(ms = 0): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    await fixture.whenStable();
  }

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

  it('uploads the raw file with its options, follows the progress bar and ends with the summary', async () => {
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

    await settle(10);
    http.expectOne(`/api/catalog/imports/${ID}`).flush(job({ phase: 'writing', rowsRead: 8000, percent: 50 }));
    await settle();
    expect(text('import-progress')).toBe('50% · writing · 8,000 rows read');
    expect(root().querySelector('mat-progress-bar')?.getAttribute('aria-valuenow')).toBe('50');

    await settle(10);
    http.expectOne(`/api/catalog/imports/${ID}`).flush(job({ status: 'succeeded', phase: 'done', rowsRead: 16012, percent: 100, summary }));
    await settle();
    expect(root().querySelector('mat-progress-bar')).toBeNull();
    expect(text('import-result')).toBe('Imported. 16,012 rows: 16,012 added, 0 changed, 0 removed');
    http.expectOne('/api/catalog/editions').flush({ items: [] });
    http.expectOne('/api/catalog/imports').flush({ items: [job({ status: 'succeeded', summary })] });
    await settle(20);
    http.verify();
  });

  it('says when the same edition was already imported', async () => {
    await upload();
    http.expectOne((r) => r.method === 'POST').flush(job({ status: 'unchanged', percent: 100, summary: { ...summary, added: 0, unchanged: true } }));
    await settle();
    expect(text('import-result')).toBe('Already loaded. Unchanged: this edition was already imported with the same content.');
  });

  it('shows a bad file’s line and reason', async () => {
    await upload();
    http.expectOne((r) => r.method === 'POST').flush(job());
    await settle(10);
    http.expectOne(`/api/catalog/imports/${ID}`).flush(job({ status: 'failed', error: { line: 42, reason: 'Expected 11 columns, found 3' } }));
    await settle();
    expect(text('import-result')).toBe('Not imported, nothing changed. Line 42: Expected 11 columns, found 3');
    expect(one('import-result').getAttribute('role')).toBe('alert');
  });

  it('asks for a file before sending anything', async () => {
    one<HTMLButtonElement>('import-start').click();
    await settle();
    expect(text('import-form-error')).toBe('Choose a file to import.');
    http.expectNone((r) => r.method === 'POST');
  });
});
