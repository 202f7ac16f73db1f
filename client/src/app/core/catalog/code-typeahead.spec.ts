import { provideHttpClient } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  type TestRequest,
} from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import type { CatalogSearchHit, CodeSystem } from '@countersign/shared';
import { settle } from '../../../testing/settle';
import { CodeTypeahead, TYPEAHEAD_DEBOUNCE_MS } from './code-typeahead';

// No real time passes (fake clock), but building Material components the first time takes
// seconds of CPU on a busy two-core machine: more than Jest's default 5 s.
jest.setTimeout(20_000);

@Component({
  imports: [ReactiveFormsModule, MatAutocompleteModule, CodeTypeahead],
  template: `
    <input
      data-testid="field"
      [formControl]="code"
      [matAutocomplete]="typeahead.panel()"
      #trigger="matAutocompleteTrigger"
      (keydown.enter)="typeahead.handles($event, trigger) || submitted.push(code.value)"
      (keydown.escape)="typeahead.handles($event, trigger) || escaped.push(code.value)"
    />
    <cs-code-typeahead
      #typeahead="csCodeTypeahead"
      [control]="code"
      [systems]="systems"
      date="2025-10-14"
    />
  `,
})
class Host {
  readonly code = new FormControl('', { nonNullable: true });
  systems: readonly CodeSystem[] = ['CPT', 'HCPCS'];
  readonly submitted: string[] = [];
  readonly escaped: string[] = [];
}

function hit(code: string, overrides: Partial<CatalogSearchHit> = {}): CatalogSearchHit {
  return {
    system: 'CPT',
    code,
    shortDescription: `Description of ${code}`,
    longDescription: '',
    edition: '2025',
    effectiveDate: '2025-01-01',
    terminationDate: null,
    billable: true,
    match: 'prefix',
    ...overrides,
  };
}

const KEY_CODES: Record<string, number> = { ArrowDown: 40, ArrowUp: 38, Enter: 13, Escape: 27 };

describe(CodeTypeahead.name, () => {
  let fixture: ComponentFixture<Host>;
  let http: HttpTestingController;
  let input: HTMLInputElement;

  beforeEach(async () => {
    // The debounce runs on a fake clock that the specs move (`pause`).
    jest.useFakeTimers();
    TestBed.configureTestingModule({
      imports: [Host],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    fixture = TestBed.createComponent(Host);
    http = TestBed.inject(HttpTestingController);
    await settle(fixture);
    input = fixture.nativeElement.querySelector('[data-testid="field"]');
    input.focus();
  });

  afterEach(() => {
    document.querySelectorAll('.cdk-overlay-container').forEach((c) => (c.innerHTML = ''));
    jest.useRealTimers();
  });

  /** Typing stops for the debounce time. */
  const pause = () => settle(fixture, TYPEAHEAD_DEBOUNCE_MS);
  const searches = () => http.match((r) => r.url === '/api/catalog/search');

  function type(value: string): void {
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  function press(key: string): KeyboardEvent {
    const event = new KeyboardEvent('keydown', {
      key,
      keyCode: KEY_CODES[key],
      bubbles: true,
      cancelable: true,
    });
    input.dispatchEvent(event);
    return event;
  }

  async function answer(request: TestRequest, items: CatalogSearchHit[]): Promise<void> {
    request.flush({ items });
    // The panel updates its state a tick after its options change.
    await settle(fixture);
  }

  const options = () => [
    ...document.querySelectorAll<HTMLElement>('[data-testid="typeahead-option"]'),
  ];

  it('asks the catalogue once typing pauses, for the systems and the date of service', async () => {
    type('2');
    type('20');
    type('206');
    await jest.advanceTimersByTimeAsync(TYPEAHEAD_DEBOUNCE_MS - 1);
    expect(searches()).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    const [request, ...more] = searches();
    expect(more).toHaveLength(0);
    expect(request!.request.params.get('q')).toBe('206');
    expect(request!.request.params.get('system')).toBe('CPT,HCPCS');
    expect(request!.request.params.get('date')).toBe('2025-10-14');
    expect(request!.request.params.get('limit')).toBe('20');
  });

  it('cancels a request that a newer query overtakes', async () => {
    type('knee');
    await pause();
    const [stale] = searches();
    type('knee inj');
    await pause();
    expect(stale!.cancelled).toBe(true);
    const [fresh] = searches();
    expect(fresh!.request.params.get('q')).toBe('knee inj');
  });

  it('shows code, description and whether it is in effect on the date of service', async () => {
    type('206');
    await pause();
    await answer(searches()[0]!, [
      hit('20610'),
      hit('20600', { terminationDate: '2024-12-31' }),
      hit('20611', { effectiveDate: '2026-01-01' }),
    ]);
    const shown = options();
    expect(shown.map((o) => o.dataset['code'])).toEqual(['20610', '20600', '20611']);
    expect(shown[0]!.textContent).toContain('Description of 20610');
    expect(shown[0]!.querySelector('[data-testid="typeahead-problem"]')).toBeNull();
    expect(shown[1]!.querySelector('[data-testid="typeahead-problem"]')?.textContent).toBe(
      'Terminated 2024-12-31',
    );
    expect(shown[2]!.querySelector('[data-testid="typeahead-problem"]')?.textContent).toBe(
      'Not in effect until 2026-01-01',
    );
  });

  it('picks with the arrows and Enter, without submitting the field', async () => {
    type('206');
    await pause();
    await answer(searches()[0]!, [hit('20610'), hit('20611')]);
    press('ArrowDown');
    press('ArrowDown');
    const enter = press('Enter');
    await settle(fixture);
    expect(enter.defaultPrevented).toBe(true);
    expect(fixture.componentInstance.code.value).toBe('20611');
    expect(fixture.componentInstance.submitted).toEqual([]);
  });

  it('leaves Enter to the field when nothing is picked: a typed full code still goes in', async () => {
    type('20610');
    await pause();
    await answer(searches()[0]!, [hit('20610', { match: 'exact' })]);
    press('Enter');
    expect(fixture.componentInstance.submitted).toEqual(['20610']);
  });

  it('closes with Escape, and only a second Escape reaches the field', async () => {
    type('206');
    await pause();
    await answer(searches()[0]!, [hit('20610')]);
    expect(options()).toHaveLength(1);
    press('Escape');
    document.body.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', keyCode: 27, bubbles: true }),
    );
    await settle(fixture);
    expect(fixture.componentInstance.escaped).toEqual([]);
    press('Escape');
    expect(fixture.componentInstance.escaped).toEqual(['206']);
  });

  it('marks ICD-10-CM codes billable or not, with their dot', async () => {
    fixture.componentInstance.systems = ['ICD10CM'];
    fixture.changeDetectorRef.markForCheck();
    await settle(fixture);
    type('e11');
    await pause();
    await answer(searches()[0]!, [
      hit('E119', { system: 'ICD10CM' }),
      hit('E11', { system: 'ICD10CM', billable: false }),
    ]);
    expect(options().map((o) => o.querySelector('.typeahead-code')?.textContent)).toEqual([
      'E11.9',
      'E11',
    ]);
    expect(options()[0]!.textContent).toContain('Billable');
    expect(options()[1]!.textContent).toContain('Header, not billable');
  });
});
