import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideAppIcons } from '../../core/icons';
import { ExportsPage } from './exports-page';

describe(ExportsPage.name, () => {
  let fixture: ComponentFixture<ExportsPage>;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideAppIcons(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    fixture = TestBed.createComponent(ExportsPage);
    await fixture.whenStable();
  });

  const el = (id: string) =>
    (fixture.nativeElement as HTMLElement).querySelector<HTMLElement>(`[data-testid="${id}"]`);

  async function type(id: string, value: string): Promise<void> {
    const input = el(id) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  async function choose(id: string): Promise<void> {
    el(id)!.querySelector('input')!.click();
    await fixture.whenStable();
  }

  const link = () => {
    const href = el('export-download')?.getAttribute('href');
    return href ? new URL(href, 'http://host') : null;
  };

  it('links the download to the bulk export of the range, by sign-off date, as a FHIR Bundle', async () => {
    await type('export-from', '2026-01-01');
    await type('export-to', '2026-01-31');
    expect(link()?.pathname).toBe('/api/exports/claims');
    expect(Object.fromEntries(link()!.searchParams)).toEqual({
      from: '2026-01-01',
      to: '2026-01-31',
      format: 'fhir-bundle',
      basis: 'signed-off',
    });
    expect(el('export-download')?.hasAttribute('download')).toBe(true);
  });

  it('follows the format and the date basis chosen', async () => {
    await choose('format-csv');
    await choose('basis-service');
    expect(link()?.searchParams.get('format')).toBe('csv');
    expect(link()?.searchParams.get('basis')).toBe('service');
    await choose('format-ndjson');
    expect(link()?.searchParams.get('format')).toBe('ndjson');
  });

  it('says what is wrong with the range and offers no download until it is fixed', async () => {
    await type('export-from', '2026-02-01');
    await type('export-to', '2026-01-31');
    expect(el('export-range-problem')?.textContent?.trim()).toBe(
      'The end of the range must be on or after its start',
    );
    expect(el('export-to')?.getAttribute('aria-invalid')).toBe('true');
    expect(link()).toBeNull();
    expect(el('export-download')?.hasAttribute('disabled')).toBe(true);

    await type('export-from', '2024-01-01');
    expect(el('export-range-problem')?.textContent).toContain('at most 366 days');
    await type('export-from', '2026-01-15');
    expect(el('export-range-problem')).toBeNull();
    expect(link()?.searchParams.get('from')).toBe('2026-01-15');
  });
});
