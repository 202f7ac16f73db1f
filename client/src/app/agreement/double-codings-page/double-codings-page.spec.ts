import { signal } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { DoubleCoding } from '@countersign/shared';
import { AuthService } from '../../core/auth/auth.service';
import { provideAppIcons } from '../../core/icons';
import { CODER, sessionUser } from '../../../testing/encounter-fixtures';
import { DoubleCodingsPage } from './double-codings-page';

const JORDAN = { id: '22222222-2222-4222-8222-22222222222a', name: 'Jordan Coder' };
const COPY = '77777777-7777-4777-8777-777777777777';
const row = (overrides: Partial<DoubleCoding>): DoubleCoding => ({
  id: '55555555-5555-4555-8555-555555555555',
  encounterId: '66666666-6666-4666-8666-666666666666',
  chartLabel: 'Blake Blind, 2026-03-02',
  status: 'coding',
  requestedVia: 'supervisor',
  requestedBy: null,
  requestedAt: '2026-11-30T10:00:00.000Z',
  copies: [
    { slot: 1, encounterId: COPY, coder: CODER, submittedAt: null },
    {
      slot: 2,
      encounterId: '88888888-8888-4888-8888-888888888888',
      coder: JORDAN,
      submittedAt: '2026-11-30T11:00:00.000Z',
    },
  ],
  submittedCount: 1,
  bothSubmittedAt: null,
  reconciledBy: null,
  reconciledAt: null,
  cancelReason: null,
  ...overrides,
});

describe('DoubleCodingsPage', () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;

  async function open(role: 'coder' | 'supervisor', url = '/double-codings') {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
        provideRouter([{ path: 'double-codings', component: DoubleCodingsPage }]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: AuthService, useValue: { user: signal(sessionUser(role)) } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url);
    await settle();
  }
  async function settle(): Promise<void> {
    for (let i = 0; i < 4; i++) {
      await jest.advanceTimersByTimeAsync(17);
      await harness.fixture.whenStable();
      harness.detectChanges();
    }
  }
  const root = () => harness.routeNativeElement as HTMLElement;
  const all = (tid: string) => [...root().querySelectorAll<HTMLElement>(`[data-testid="${tid}"]`)];
  const text = (el: Element | null | undefined) =>
    el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    http.verify();
    jest.useRealTimers();
  });

  it('a coder sees their copy to code, and nothing of the other coder’s progress', async () => {
    await open('coder');
    // What the server gives a coder while coding: only their own copy, no count.
    http
      .expectOne('/api/double-codings')
      .flush([row({ copies: [row({}).copies[0]!], submittedCount: null })]);
    await settle();
    const [only] = all('double-coding-row');
    expect(text(only)).toContain('Blake Blind, 2026-03-02');
    expect(text(only)).not.toContain('Jordan');
    expect(all('double-coding-open-copy')[0]!.getAttribute('href')).toBe(`/encounters/${COPY}`);
    expect(text(all('double-coding-open-copy')[0])).toBe('Code my copy');
    expect(all('double-coding-open-reconciliation')).toHaveLength(0);
  });

  it('a supervisor filters by status and opens the reconciliation of one waiting', async () => {
    await open('supervisor', '/double-codings?status=reconciling');
    const request = http.expectOne((r) => r.url === '/api/double-codings');
    expect(request.request.params.get('status')).toBe('reconciling');
    request.flush([row({ status: 'reconciling', submittedCount: 2 })]);
    await settle();
    const cells = [...all('double-coding-row')[0]!.querySelectorAll('th, td')].map(text);
    expect(cells.slice(0, 4)).toEqual([
      'Blake Blind, 2026-03-02',
      'Waiting for reconciliation',
      'Casey Coder, Jordan Coder ✓',
      '2 of 2',
    ]);
    expect(text(all('double-coding-open-reconciliation')[0])).toBe('Reconcile');
    const select = root().querySelector<HTMLSelectElement>(
      '[data-testid="double-codings-status"]',
    )!;
    select.value = '';
    select.dispatchEvent(new Event('change'));
    await settle();
    expect(TestBed.inject(Router).url).toBe('/double-codings');
    http.expectOne((r) => r.url === '/api/double-codings' && !r.params.has('status')).flush([]);
    await settle();
    expect(text(all('double-codings-empty')[0])).toBe('No double codings.');
  });

  it('a supervisor cancels an open one with a reason; the row shows it cancelled', async () => {
    await open('supervisor');
    http.expectOne('/api/double-codings').flush([row({})]);
    await settle();
    all('double-coding-cancel')[0]!.click();
    await settle();
    const reason = document.querySelector<HTMLTextAreaElement>('[data-testid="reason"]')!;
    reason.value = 'Chart withdrawn by the clinic';
    reason.dispatchEvent(new Event('input'));
    document.querySelector<HTMLButtonElement>('[data-testid="confirm-reason"]')!.click();
    await settle();
    const post = http.expectOne(`/api/double-codings/${row({}).id}/cancel`);
    expect(post.request.body).toEqual({ reason: 'Chart withdrawn by the clinic' });
    post.flush(row({ status: 'cancelled', cancelReason: 'Chart withdrawn by the clinic' }));
    await settle();
    expect(text(all('double-coding-row')[0])).toContain('Cancelled');
    expect(all('double-coding-cancel')).toHaveLength(0);
  });
});
