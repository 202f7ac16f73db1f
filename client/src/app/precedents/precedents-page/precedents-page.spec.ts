import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { Precedent, PrecedentPage } from '@countersign/shared';
import { provideAppIcons } from '../../core/icons';
import { makePrecedent } from '../../../testing/precedent-fixtures';
import { PrecedentsPage } from './precedents-page';

function page(items: Precedent[]): PrecedentPage {
  return { items, total: items.length, page: 1, pageSize: 100 };
}

describe(PrecedentsPage.name, () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;

  beforeEach(async () => {
    jest.useFakeTimers();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
        provideRouter([{ path: 'precedents', component: PrecedentsPage }]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
  });
  afterEach(() => {
    http.verify();
    jest.useRealTimers();
  });

  const root = () => harness.routeNativeElement as HTMLElement;
  const one = <T extends HTMLElement>(id: string) =>
    root().querySelector<T>(`[data-testid="${id}"]`)!;
  const rows = () => [...root().querySelectorAll<HTMLElement>('[data-testid="precedent-row"]')];
  const searches = () => http.match((r) => r.url === '/api/precedents');

  async function settle(ms = 0): Promise<void> {
    await jest.advanceTimersByTimeAsync(ms);
    for (let i = 0; i < 3; i++) {
      await jest.advanceTimersByTimeAsync(17);
      await harness.fixture.whenStable();
      harness.detectChanges();
    }
  }

  it('lists the active precedents with number, question, codes, decision, who and status', async () => {
    await harness.navigateByUrl('/precedents');
    await settle();
    const [request] = searches();
    expect(request!.request.params.get('status')).toBe('active');
    request!.flush(page([makePrecedent()]));
    await settle();
    const [row] = rows();
    const text = row!.textContent.replace(/\s+/g, ' ');
    expect(text).toContain('#12');
    expect(text).toContain('Does modifier 25 stand on 99213 beside a joint injection?');
    expect(text).toContain('99213');
    expect(text).toContain('20610');
    expect(text).toContain('-25');
    expect(text).toContain('modifier 25 stands when the visit is separately documented');
    expect(text).toContain('Sam Supervisor');
    expect(text).toContain('Active');
    expect(row!.querySelector('a')!.getAttribute('href')).toBe('/precedents/12');
  });

  it('searches a code exactly, words otherwise, once typing pauses, and filters by status', async () => {
    await harness.navigateByUrl('/precedents');
    await settle();
    searches()[0]!.flush(page([]));
    await settle();
    expect(one('precedent-count').textContent).toContain('0 precedents');

    const input = one<HTMLInputElement>('precedent-search');
    input.value = '9921';
    input.dispatchEvent(new Event('input'));
    input.value = '99213';
    input.dispatchEvent(new Event('input'));
    await settle(300);
    const [byCode, ...more] = searches();
    expect(more).toEqual([]);
    expect(byCode!.request.params.get('code')).toBe('99213');
    expect(byCode!.request.params.has('q')).toBe(false);
    byCode!.flush(page([makePrecedent()]));
    await settle();
    expect(rows()).toHaveLength(1);

    input.value = 'modifier 25';
    input.dispatchEvent(new Event('input'));
    await settle(300);
    const [byWords] = searches();
    expect(byWords!.request.params.get('q')).toBe('modifier 25');
    byWords!.flush(page([]));
    await settle();

    const status = one<HTMLSelectElement>('precedent-status-filter');
    status.value = 'retired';
    status.dispatchEvent(new Event('change'));
    await settle();
    const [retired] = searches();
    expect(retired!.request.params.get('status')).toBe('retired');
    expect(retired!.request.params.get('q')).toBe('modifier 25');
    retired!.flush(page([makePrecedent({ status: 'retired', retiredReason: 'Old' })]));
    await settle();
    expect(rows()[0]!.textContent).toContain('Retired');
  });
});
