import { signal } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { CodedLineView, DoubleCoding, Reconciliation } from '@countersign/shared';
import { AuthService } from '../../core/auth/auth.service';
import { provideAppIcons } from '../../core/icons';
import { sessionUser } from '../../../testing/encounter-fixtures';
import { ReconciliationPage } from './reconciliation-page';

const DC = '55555555-5555-4555-8555-555555555555';
const CHART = '66666666-6666-4666-8666-666666666666';
const JORDAN = { id: '22222222-2222-4222-8222-22222222222a', name: 'Jordan Coder' };
const TAYLOR = { id: '22222222-2222-4222-8222-22222222222b', name: 'Taylor Coder' };
const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;

const line = (
  n: number,
  code: string,
  modifiers: string[] = [],
  feeCents = 5000,
): CodedLineView => ({
  id: id(n),
  code,
  modifiers,
  units: 1,
  pointers: ['A'],
  pointedDiagnoses: ['M1711'],
  rationale: '',
  feeCents,
});

const doubleCoding: DoubleCoding = {
  id: DC,
  encounterId: CHART,
  chartLabel: 'Blake Blind, 2026-03-02',
  status: 'reconciling',
  requestedVia: 'supervisor',
  requestedBy: null,
  requestedAt: '2026-11-30T10:00:00.000Z',
  copies: [
    { slot: 1, encounterId: id(7), coder: JORDAN, submittedAt: '2026-11-30T11:00:00.000Z' },
    { slot: 2, encounterId: id(8), coder: TAYLOR, submittedAt: '2026-11-30T12:00:00.000Z' },
  ],
  submittedCount: 2,
  bothSubmittedAt: '2026-11-30T12:00:00.000Z',
  reconciledBy: null,
  reconciledAt: null,
  cancelReason: null,
};

const RECONCILIATION: Reconciliation = {
  doubleCoding,
  diagnoses: [{ letter: 'A', code: 'M1711' }],
  rows: [
    {
      key: 'r1',
      first: line(1, '99213', [], 9185),
      second: line(2, '99213', [], 9185),
      differences: [],
    },
    {
      key: 'r2',
      first: line(3, '20610', ['RT'], 6547),
      second: line(4, '20610', ['LT'], 6547),
      differences: ['modifiers'],
    },
    { key: 'r3', first: null, second: line(5, '36415', [], 300), differences: ['missing'] },
  ],
  agreement: {
    codes: { value: 2 / 3, numerator: 2, denominator: 3 },
    lines: { value: 1 / 4, numerator: 1, denominator: 4 },
  },
  decisions: [],
};

describe('ReconciliationPage', () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;

  async function open(role: 'reviewer' | 'coder') {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
        provideRouter([
          { path: 'double-codings/:id/reconciliation', component: ReconciliationPage },
        ]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        {
          provide: AuthService,
          useValue: {
            user: signal(
              role === 'coder'
                ? { ...sessionUser('coder'), id: JORDAN.id }
                : sessionUser('reviewer'),
            ),
          },
        },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(`/double-codings/${DC}/reconciliation`);
    await settle();
    http.expectOne(`/api/double-codings/${DC}/reconciliation`).flush(RECONCILIATION);
    await settle();
  }

  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    http.verify();
    jest.useRealTimers();
  });

  const root = () => harness.routeNativeElement as HTMLElement;
  const all = (tid: string) => [...root().querySelectorAll<HTMLElement>(`[data-testid="${tid}"]`)];
  const one = (tid: string, within: ParentNode = root()) =>
    within.querySelector<HTMLElement>(`[data-testid="${tid}"]`);
  const text = (el: Element | null | undefined) =>
    el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  async function settle(): Promise<void> {
    for (let i = 0; i < 4; i++) {
      await jest.advanceTimersByTimeAsync(17);
      await harness.fixture.whenStable();
      harness.detectChanges();
    }
  }
  const choose = async (row: HTMLElement, value: string) => {
    const select = one('row-choice', row) as HTMLSelectElement;
    select.value = value;
    select.dispatchEvent(new Event('change'));
    await settle();
  };
  const reason = async (row: HTMLElement, value: string) => {
    const input = one('row-reason', row) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    await settle();
  };

  it('shows both codings side by side, each difference highlighted, fees and agreement', async () => {
    await open('reviewer');
    const rows = all('reconciliation-row');
    expect(rows).toHaveLength(3);
    expect(text(one('first-line', rows[1]))).toContain('20610 -RT');
    expect(text(one('first-line', rows[1]))).toContain('×1 → A (M17.11) $65.47');
    expect(rows[1]!.querySelectorAll('.mods.diff')).toHaveLength(2);
    expect(rows[0]!.querySelectorAll('.diff')).toHaveLength(0);
    expect(text(one('first-line', rows[2]))).toBe('Not billed');
    expect(text(one('row-differences', rows[2]))).toBe('missing on one side');
    expect(text(one('second-line', rows[0]))).toContain('(M17.11) $91.85');
    expect(text(one('reconciliation-agreement'))).toContain(
      'codes 67% (2 of 3 codes), lines 25% (1 of 4 lines)',
    );
    expect((one('row-reason', rows[0]) as HTMLInputElement).value).toBe('Both coders agree');
    // A row offers only what it has: no "first" where the first coder billed nothing.
    const options = [...(one('row-choice', rows[2]) as HTMLSelectElement).options].map(
      (o) => o.value,
    );
    expect(options).toEqual(['', 'second', 'new', 'dropped']);
  });

  it('says what is missing and sends nothing; then reconciles and shows the decisions', async () => {
    await open('reviewer');
    one('reconcile')!.click();
    await settle();
    expect([...one('reconcile-problems')!.querySelectorAll('li')].map(text)).toEqual([
      'Row 2: choose what the chart keeps',
      'Row 3: choose what the chart keeps',
    ]);
    const rows = all('reconciliation-row');
    expect(rows[1]!.classList).toContain('row--problem');
    await choose(rows[1]!, 'first');
    await reason(rows[1]!, 'Right knee documented');
    await choose(rows[2]!, 'new');
    expect(one('row-line-editor', rows[2])).not.toBeNull();
    const units = one('row-units', rows[2]) as HTMLInputElement;
    units.value = '2';
    units.dispatchEvent(new Event('change'));
    await reason(rows[2]!, 'Two draws documented');
    one('reconcile')!.click();
    await settle();
    const post = http.expectOne(`/api/double-codings/${DC}/reconcile`);
    expect(post.request.body.decisions.map((d: { source: string }) => d.source)).toEqual([
      'both',
      'first',
      'new',
    ]);
    expect(post.request.body.decisions[2]).toEqual({
      source: 'new',
      firstLineId: null,
      secondLineId: id(5),
      line: { code: '36415', modifiers: [], units: 2, pointers: ['A'], rationale: '' },
      reason: 'Two draws documented',
    });
    post.flush({ ...doubleCoding, status: 'reconciled' });
    await settle();
    http.expectOne(`/api/double-codings/${DC}/reconciliation`).flush({
      ...RECONCILIATION,
      doubleCoding: {
        ...doubleCoding,
        status: 'reconciled',
        reconciledBy: { id: id(9), name: 'Riley Reviewer' },
        reconciledAt: '2026-11-30T13:00:00.000Z',
      },
      decisions: [
        {
          position: 0,
          source: 'both',
          firstLine: RECONCILIATION.rows[0]!.first,
          secondLine: RECONCILIATION.rows[0]!.second,
          finalLine: { code: '99213', modifiers: [], units: 1, pointers: ['A'] },
          reason: 'Both coders agree',
          decidedBy: null,
          decidedAt: '2026-11-30T13:00:00.000Z',
        },
      ],
    });
    await settle();
    expect(one('reconcile')).toBeNull();
    expect(all('decision-row').map((r) => [...r.querySelectorAll('td')].map(text))).toEqual([
      ['1', 'Both (they agree)', '99213 ×1', '99213 ×1', '99213 ×1', 'Both coders agree'],
    ]);
    expect(one('reconciled-chart-link')!.getAttribute('href')).toBe(`/encounters/${CHART}`);
  });

  it('a server refusal is shown as it is', async () => {
    await open('reviewer');
    const rows = all('reconciliation-row');
    await choose(rows[1]!, 'dropped');
    await reason(rows[1]!, 'Not documented');
    await choose(rows[2]!, 'dropped');
    await reason(rows[2]!, 'Not documented');
    one('reconcile')!.click();
    await settle();
    http
      .expectOne(`/api/double-codings/${DC}/reconcile`)
      .flush(
        { code: 'invalid_state', message: 'This double coding is already reconciled' },
        { status: 409, statusText: 'Conflict' },
      );
    await settle();
    expect(text(one('reconcile-problems'))).toContain('This double coding is already reconciled');
  });

  it('one of the coders reads it but cannot reconcile', async () => {
    await open('coder');
    expect(all('reconciliation-row')).toHaveLength(3);
    expect(one('reconcile')).toBeNull();
    expect(one('row-choice')).toBeNull();
    expect(text(one('reconciliation-waiting'))).toContain('Waiting for a reviewer');
  });
});
