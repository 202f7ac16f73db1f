import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { PrecedentDetail } from '@countersign/shared';
import { AuthService } from '../../core/auth/auth.service';
import { provideAppIcons } from '../../core/icons';
import { SUPERVISOR, sessionUser } from '../../../testing/encounter-fixtures';
import { makePrecedent } from '../../../testing/precedent-fixtures';
import { PrecedentPage, revisionChanges } from './precedent-page';

const DETAIL: PrecedentDetail = {
  precedent: makePrecedent(),
  revisions: [
    {
      id: '99999999-0000-4000-8000-000000000001',
      kind: 'edit',
      before: { question: 'Old question', codes: ['99213'] },
      after: { question: 'Does modifier 25 stand?', codes: ['99213', '20610'] },
      reason: null,
      by: SUPERVISOR,
      at: '2026-11-03T10:00:00.000Z',
    },
  ],
};

describe(PrecedentPage.name, () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;

  async function open(role: 'reviewer' | 'supervisor'): Promise<void> {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
        provideRouter([{ path: 'precedents/:number', component: PrecedentPage }]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: AuthService, useValue: { user: signal(sessionUser(role)) } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/precedents/12');
    await settle();
    http.expectOne('/api/precedents/12').flush(DETAIL);
    await settle();
  }
  afterEach(() => http.verify());

  const root = () => harness.routeNativeElement as HTMLElement;
  const one = <T extends HTMLElement>(id: string) =>
    root().querySelector<T>(`[data-testid="${id}"]`);
  const text = (id: string) => one(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

  async function settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      await harness.fixture.whenStable();
      harness.detectChanges();
    }
  }

  it('shows the question, decision, reasoning, the source chart and the history', async () => {
    await open('reviewer');
    expect(text('precedent-title')).toBe('Precedent 12 Active');
    expect(text('precedent-decision')).toBe(
      'modifier 25 stands when the visit is separately documented',
    );
    expect(root().textContent).toContain('The note records a separate evaluation of hypertension.');
    expect(one('precedent-source')?.getAttribute('href')).toMatch(/^\/encounters\//);
    expect(text('precedent-revisions')).toContain('Sam Supervisor edited');
    expect(text('precedent-revisions')).toContain('Old question');
    // A reviewer reads; only a supervisor or an admin changes it.
    expect(one('precedent-edit')).toBeNull();
    expect(one('precedent-toggle-status')).toBeNull();
  });

  it('lets a supervisor edit it, sending only the fields they changed', async () => {
    await open('supervisor');
    one<HTMLButtonElement>('precedent-edit')!.click();
    await settle();
    const decision = one<HTMLTextAreaElement>('precedent-edit-decision')!;
    decision.value = 'modifier 25 stands';
    decision.dispatchEvent(new Event('input'));
    one<HTMLButtonElement>('precedent-save')!.click();
    await settle();
    const request = http.expectOne('/api/precedents/12');
    expect(request.request.method).toBe('PATCH');
    // Another supervisor's edit to the reasoning meanwhile is not sent back over theirs.
    expect(request.request.body).toEqual({ decision: 'modifier 25 stands' });
    request.flush({
      precedent: makePrecedent({ decision: 'modifier 25 stands' }),
      revisions: DETAIL.revisions,
    });
    await settle();
    expect(text('precedent-decision')).toBe('modifier 25 stands');
    expect(one('precedent-edit-form')).toBeNull();
  });

  it('retires it only with a reason', async () => {
    await open('supervisor');
    one<HTMLButtonElement>('precedent-toggle-status')!.click();
    await settle();
    one<HTMLButtonElement>('precedent-confirm-status')!.click();
    await settle();
    expect(root().textContent).toContain('Say why.');
    const reason = one<HTMLInputElement>('precedent-reason')!;
    reason.value = 'Guidance changed';
    reason.dispatchEvent(new Event('input'));
    one<HTMLButtonElement>('precedent-confirm-status')!.click();
    await settle();
    const request = http.expectOne('/api/precedents/12/retire');
    expect(request.request.body).toEqual({ reason: 'Guidance changed' });
    request.flush({
      precedent: makePrecedent({ status: 'retired', retiredReason: 'Guidance changed' }),
      revisions: [],
    });
    await settle();
    expect(text('precedent-status')).toBe('Retired');
    expect(text('precedent-toggle-status')).toBe('Reactivate');
  });

  it('lists a revision’s changed fields before and after', () => {
    expect(revisionChanges(DETAIL.revisions[0]!)).toEqual([
      { field: 'Question', before: 'Old question', after: 'Does modifier 25 stand?' },
      { field: 'Codes', before: '99213', after: '99213, 20610' },
    ]);
  });
});
