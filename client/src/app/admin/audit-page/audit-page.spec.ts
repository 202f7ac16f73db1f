import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { ChartAudit } from '@countersign/shared';
import { provideAppIcons } from '../../core/icons';
import { makeSummary } from '../../../testing/encounter-fixtures';
import { AuditPage } from './audit-page';

const CHART = makeSummary({ id: '11111111-2222-4333-8444-555555555555' });
const OTHER = makeSummary({
  id: '11111111-2222-4333-8444-666666666666',
  patient: { mrn: 'CS-200', name: 'Other Patient', dateOfBirth: '1980-01-01' },
});

function audit(
  overrides: Partial<ChartAudit['chain']> = {},
  reads: ChartAudit['reads'] = [],
): ChartAudit {
  return {
    chain: {
      encounterId: CHART.id,
      events: 4,
      ok: true,
      brokenAt: null,
      reason: null,
      head: 'ab'.repeat(32),
      ...overrides,
    },
    reads,
  };
}

describe(AuditPage.name, () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
        provideRouter([{ path: 'admin/audit', component: AuditPage }]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
  });
  afterEach(() => http.verify());

  const root = () => harness.routeNativeElement as HTMLElement;
  const one = (id: string) => root().querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const text = (id: string) => one(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

  /** Lets the answered requests' promises settle, then renders. */
  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await harness.fixture.whenStable();
    harness.detectChanges();
  }

  async function open(url: string): Promise<void> {
    await harness.navigateByUrl(url, AuditPage);
    http.expectOne((r) => r.url === '/api/encounters').flush({ items: [CHART, OTHER] });
    await settle();
  }

  async function answer(body: ChartAudit, id = CHART.id): Promise<void> {
    http.expectOne(`/api/audit/encounters/${id}`).flush(body);
    await settle();
  }

  it('verifies the chart named in the address and lists who opened it', async () => {
    await open(`/admin/audit?chart=${CHART.id}`);
    await answer(
      audit({}, [
        {
          userId: 'u1',
          userName: 'Riley Reviewer',
          via: 'socket room:join',
          at: '2026-03-02T10:05:00.000Z',
        },
        {
          userId: 'u2',
          userName: 'Casey Coder',
          via: 'GET /api/encounters/:id',
          at: '2026-03-02T10:00:00.000Z',
        },
      ]),
    );
    expect(one('audit-verdict')?.dataset['ok']).toBe('true');
    expect(text('audit-verdict')).toBe(
      'Chain verified. 4 events, every hash matches and none is missing.',
    );
    expect(text('audit-head')).toBe('ab'.repeat(32));
    const rows = [...root().querySelectorAll('[data-testid="audit-read"]')].map((r) =>
      [...r.querySelectorAll('td')].map((td) => td.textContent?.trim()),
    );
    expect(rows).toEqual([
      ['Riley Reviewer', 'socket room:join', expect.stringContaining('2026')],
      ['Casey Coder', 'GET /api/encounters/:id', expect.stringContaining('2026')],
    ]);
  });

  it('names the first broken event', async () => {
    await open(`/admin/audit?chart=${CHART.id}`);
    await answer(
      audit({ ok: false, brokenAt: 2, reason: 'event 2 (line.added) does not match its hash' }),
    );
    expect(one('audit-verdict')?.getAttribute('role')).toBe('alert');
    expect(text('audit-verdict')).toContain(
      'Chain broken at event 2. event 2 (line.added) does not match its hash.',
    );
  });

  it('verifies the chart picked from the list, and again on request', async () => {
    await open('/admin/audit');
    expect(one('audit-chain')).toBeNull();
    const buttons = root().querySelectorAll<HTMLButtonElement>('[data-testid="audit-chart"]');
    expect(buttons).toHaveLength(2);
    buttons[1]!.click();
    await settle();
    await answer(audit({ encounterId: OTHER.id, events: 1 }), OTHER.id);
    expect(text('audit-verdict')).toContain('1 event,');
    expect(buttons[1]!.getAttribute('aria-current')).toBe('true');

    one('audit-verify')!.click();
    await answer(audit({ encounterId: OTHER.id, events: 2 }), OTHER.id);
    expect(text('audit-verdict')).toContain('2 events,');
  });

  it('shows a refusal as the server words it', async () => {
    await open(`/admin/audit?chart=${CHART.id}`);
    http
      .expectOne(`/api/audit/encounters/${CHART.id}`)
      .flush(
        { code: 'forbidden', message: 'Only an admin can see the audit trail' },
        { status: 403, statusText: 'Forbidden' },
      );
    await settle();
    expect(root().querySelector('[role="alert"]')?.textContent).toContain(
      'Only an admin can see the audit trail',
    );
  });
});
