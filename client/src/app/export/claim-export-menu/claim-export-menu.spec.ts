import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import type { EncounterStatus } from '@countersign/shared';
import { provideAppIcons } from '../../core/icons';
import { ClaimExportMenu } from './claim-export-menu';

const ID = '11111111-2222-4333-8444-555555555555';

/** jsdom's Blob has no `text()`: read it the way a page could before that existed. */
function readText(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('unreadable blob'));
    reader.readAsText(blob);
  });
}

describe(ClaimExportMenu.name, () => {
  let fixture: ComponentFixture<ClaimExportMenu>;
  let http: HttpTestingController;
  let saved: Array<{ name: string; blob: Blob }>;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    saved = [];
    const blobs = new Map<string, Blob>();
    URL.createObjectURL = jest.fn((blob: Blob) => {
      const url = `blob:test/${blobs.size}`;
      blobs.set(url, blob);
      return url;
    });
    URL.revokeObjectURL = jest.fn();
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      saved.push({ name: this.download, blob: blobs.get(this.href)! });
    });
  });
  afterEach(() => {
    http.verify();
    jest.restoreAllMocks();
    document.querySelectorAll('.cdk-overlay-container').forEach((e) => e.remove());
  });

  async function render(status: EncounterStatus): Promise<void> {
    fixture = TestBed.createComponent(ClaimExportMenu);
    fixture.componentRef.setInput('encounterId', ID);
    fixture.componentRef.setInput('status', status);
    await fixture.whenStable();
    fixture.nativeElement.querySelector('[data-testid="export-menu"]').click();
    await fixture.whenStable();
  }

  const inMenu = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);

  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await fixture.whenStable();
  }

  it('offers the FHIR Claim and CSV of a signed-off chart, without the on-request note', async () => {
    await render('signed_off');
    expect(inMenu('export-fhir')?.textContent).toContain('FHIR Claim (JSON)');
    expect(inMenu('export-csv')?.textContent).toContain('CSV');
    expect(inMenu('export-on-request')).toBeNull();

    inMenu('export-fhir')!.click();
    const request = http.expectOne((r) => r.url === `/api/encounters/${ID}/claim`);
    expect(request.request.params.get('format')).toBe('fhir');
    expect(request.request.params.get('onRequest')).toBe('false');
    request.flush('{"resourceType":"Claim"}');
    await settle();
    expect(saved.map((s) => s.name)).toEqual([`claim-${ID}.json`]);
    expect(saved[0]!.blob.type).toMatch(/^application\/fhir\+json/);
    expect(await readText(saved[0]!.blob)).toBe('{"resourceType":"Claim"}');
  });

  it('says a chart not signed off is exported on request, and asks for it so', async () => {
    await render('in_review');
    expect(inMenu('export-on-request')?.textContent).toContain('Not signed off');
    expect(inMenu('export-on-request')?.textContent).toContain('draft');

    inMenu('export-csv')!.click();
    const request = http.expectOne((r) => r.url === `/api/encounters/${ID}/claim`);
    expect(request.request.params.get('format')).toBe('csv');
    expect(request.request.params.get('onRequest')).toBe('true');
    request.flush('chart_id\r\n');
    await settle();
    expect(saved.map((s) => s.name)).toEqual([`claim-${ID}.csv`]);
  });

  it("shows the server's refusal instead of saving a file", async () => {
    await render('signed_off');
    inMenu('export-fhir')!.click();
    http
      .expectOne((r) => r.url === `/api/encounters/${ID}/claim`)
      .flush('{"code":"not_found","message":"The encounter was not found"}', {
        status: 404,
        statusText: 'Not Found',
      });
    await settle();
    expect(saved).toEqual([]);
    expect(document.body.textContent).toContain('The encounter was not found');
  });
});
