import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { EncounterSummary } from '@countersign/shared';
import { ENCOUNTER_ID, makeEncounter } from '../../../testing/encounter-fixtures';
import { provideAppIcons } from '../../core/icons';
import { WorklistPage, parseStatusParam } from './worklist-page';

@Component({ template: 'encounter' })
class EncounterStub {}

function summary(): EncounterSummary {
  const { clinicalNote: _note, lines, organizationId: _org, ...rest } = makeEncounter({ status: 'submitted' });
  return { ...rest, lineCount: lines.length };
}

describe(WorklistPage.name, () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter(
          [
            { path: 'worklist', component: WorklistPage },
            { path: 'encounters/:id', component: EncounterStub },
          ],
          withComponentInputBinding(),
        ),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
  });

  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve));
    await harness.fixture.whenStable();
  }

  const rows = () => [...harness.routeNativeElement!.querySelectorAll('[data-testid="worklist-row"]')] as HTMLElement[];

  it('asks for the filters in the URL and lists the encounters', async () => {
    await harness.navigateByUrl('/worklist?status=draft,submitted&assignee=me');
    const request = http.expectOne((r) => r.url === '/api/encounters');
    expect(request.request.params.get('status')).toBe('draft,submitted');
    expect(request.request.params.get('assignee')).toBe('me');
    request.flush({ items: [summary()] });
    await settle();

    expect(rows()).toHaveLength(1);
    const row = rows()[0]!.textContent!;
    expect(row).toContain('Gregory Halvorsen');
    expect(row).toContain('CS-100231');
    expect(row).toContain('Oct 14, 2025');
    expect(row).toContain('Submitted');
  });

  it('puts a chosen status filter into the URL and reloads', async () => {
    await harness.navigateByUrl('/worklist');
    http.expectOne((r) => r.url === '/api/encounters' && !r.params.has('status')).flush({ items: [] });
    await settle();

    const chip = [...harness.routeNativeElement!.querySelectorAll('mat-chip-option')].find((c) => c.textContent?.includes('In review'));
    (chip!.querySelector('button') as HTMLButtonElement).click();
    await settle();

    expect(TestBed.inject(Router).url).toBe('/worklist?status=in_review');
    http.expectOne((r) => r.url === '/api/encounters' && r.params.get('status') === 'in_review').flush({ items: [] });
  });

  it('says when nothing matches and can clear the filters', async () => {
    await harness.navigateByUrl('/worklist?assignee=unassigned');
    http.expectOne((r) => r.url === '/api/encounters').flush({ items: [] });
    await settle();
    expect(harness.routeNativeElement!.textContent).toContain('No encounters match these filters.');

    const clear = [...harness.routeNativeElement!.querySelectorAll('button')].find((b) => b.textContent?.includes('Clear filters'));
    clear!.click();
    await settle();
    expect(TestBed.inject(Router).url).toBe('/worklist');
    http.expectOne((r) => r.url === '/api/encounters' && !r.params.has('assignee')).flush({ items: [] });
  });

  it('opens an encounter when its row is clicked', async () => {
    await harness.navigateByUrl('/worklist');
    http.expectOne((r) => r.url === '/api/encounters').flush({ items: [summary()] });
    await settle();
    rows()[0]!.click();
    await settle();
    expect(TestBed.inject(Router).url).toBe(`/encounters/${ENCOUNTER_ID}`);
  });
});

describe(parseStatusParam.name, () => {
  it('keeps known states in workflow order and drops the rest', () => {
    expect(parseStatusParam('approved,draft,bogus')).toEqual(['draft', 'approved']);
    expect(parseStatusParam(undefined)).toEqual([]);
  });
});
