import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { agreementReport, type DoubleCodedChart } from '@countersign/shared';
import { provideAppIcons } from '../../core/icons';
import { CHART_LIBRARY, type ChartInstance } from '../../quality/echart';
import { AgreementPage } from './agreement-page';

const CASEY = { id: '00000000-0000-4000-8000-00000000000c', name: 'Casey' };
const JORDAN = { id: '00000000-0000-4000-8000-00000000000a', name: 'Jordan' };
const TAYLOR = { id: '00000000-0000-4000-8000-00000000000b', name: 'Taylor' };

const chart = (
  n: number,
  at: string,
  coders: [typeof CASEY, typeof CASEY],
  first: string[],
  second: string[],
): DoubleCodedChart => ({
  doubleCodingId: `00000000-0000-4000-8000-00000000010${n}`,
  encounterId: `00000000-0000-4000-8000-00000000020${n}`,
  chartLabel: `Patient ${n}, 2026-11-0${n}`,
  status: 'reconciled',
  bothSubmittedAt: at,
  coders,
  lines: [
    first.map((code) => ({ code, modifiers: [], units: 1 })),
    second.map((code) => ({ code, modifiers: [], units: 1 })),
  ],
});

// Casey & Jordan: {99213 both, 20610 Casey only} then {99214 both}: codes 2 of 3 agree.
// Casey & Taylor: {71046 both}: 1 of 1.
const REPORT = agreementReport({ from: '2026-11-02', to: '2026-11-15' }, [
  chart(1, '2026-11-03T10:00:00.000Z', [CASEY, JORDAN], ['99213', '20610'], ['99213']),
  chart(2, '2026-11-04T10:00:00.000Z', [JORDAN, CASEY], ['99214'], ['99214']),
  chart(3, '2026-11-10T10:00:00.000Z', [TAYLOR, CASEY], ['71046'], ['71046']),
]);

describe('AgreementPage', () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;
  const drawn: unknown[] = [];
  let click: ((p: { data?: unknown }) => void) | undefined;

  beforeEach(async () => {
    jest.useFakeTimers();
    drawn.length = 0;
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
        provideRouter([
          { path: 'quality/agreement', component: AgreementPage },
          { path: 'double-codings/:id/reconciliation', children: [] },
        ]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        {
          provide: CHART_LIBRARY,
          useValue: () =>
            Promise.resolve({
              init: (): ChartInstance => ({
                setOption: (option) => drawn.push(option),
                resize: () => undefined,
                dispose: () => undefined,
                on: (_event, handler) => (click = handler),
              }),
            }),
        },
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
  const one = (id: string) => root().querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const all = (id: string) => [...root().querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
  const text = (el: Element | null | undefined) =>
    el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  const cells = (row: HTMLElement) => [...row.querySelectorAll('th, td')].map(text);
  const url = () => TestBed.inject(Router).url;

  async function settle(): Promise<void> {
    for (let i = 0; i < 4; i++) {
      await jest.advanceTimersByTimeAsync(17);
      await harness.fixture.whenStable();
      harness.detectChanges();
    }
  }

  async function open(path: string) {
    await harness.navigateByUrl(path);
    await settle();
    http.match('/api/users').forEach((r) => r.flush({ items: [] }));
    const [request] = http.match((r) => r.url === '/api/quality/agreement');
    return request!;
  }

  it('shows the team tiles with counts, the plain sentence, pairs, trend and charts', async () => {
    const request = await open('/quality/agreement?from=2026-11-02&coderId=' + CASEY.id);
    expect(request.request.params.get('from')).toBe('2026-11-02');
    expect(request.request.params.get('coderId')).toBe(CASEY.id);
    expect(request.request.params.has('to')).toBe(false);
    request.flush(REPORT);
    await settle();

    // Team codes: 99213 yes, 20610 no, 99214 yes, 71046 yes: 3 of 4.
    expect(text(one('agreement-tile-codes-percent'))).toContain('75%');
    expect(text(one('agreement-tile-codes-percent'))).toContain('3 of 4 codes');
    expect(text(one('agreement-tile-em'))).toContain('E/M level alpha');
    expect(text(one('agreement-explanation'))).toContain('kappa and alpha cannot rise above zero');
    expect(all('agreement-pair').map(cells)).toEqual([
      // Codes 2 of 3; positive 2x2 / (2x2 + 1) = 4/5; E/M 99213/99213 and 99214/99214: kappa 1.
      ['Casey & Jordan', '2', '67% 2 of 3 codes', '80%', '67% 2 of 3 lines', '80%', '1.00'],
      ['Casey & Taylor', '1', '100% 1 of 1 code', '100%', '100% 1 of 1 line', '100%', '—'],
    ]);
    expect(all('agreement-chart')).toHaveLength(3);
    expect(one('agreement-chart-link')!.getAttribute('href')).toBe(
      `/double-codings/${REPORT.charts[0]!.doubleCodingId}/reconciliation`,
    );
    expect(drawn).toHaveLength(1);
  });

  it('a pair opens its charts; a week point its week; All charts clears', async () => {
    (await open('/quality/agreement')).flush(REPORT);
    await settle();
    one(`agreement-pair-${CASEY.id}~${JORDAN.id}`)!.click();
    await settle();
    expect(url()).toContain(`pair=${CASEY.id}~${JORDAN.id}`);
    expect(text(one('agreement-charts-heading'))).toBe('Charts behind Casey & Jordan');
    expect(all('agreement-chart').map((r) => cells(r)[0])).toEqual([
      'Patient 2, 2026-11-02',
      'Patient 1, 2026-11-01',
    ]);
    // No reload for a change of pair.
    expect(http.match((r) => r.url === '/api/quality/agreement')).toHaveLength(0);

    click!({ data: { value: 100, tip: '', link: { week: '2026-11-09' } } });
    await settle();
    expect(text(one('agreement-charts-heading'))).toBe('Charts behind week of 2026-11-09');
    expect(all('agreement-chart')).toHaveLength(1);

    one('agreement-all-charts')!.click();
    await settle();
    expect(all('agreement-chart')).toHaveLength(3);
  });

  it('a changed period reloads; a refused one shows the error', async () => {
    (await open('/quality/agreement')).flush(REPORT);
    await settle();
    const to = one('agreement-to') as HTMLInputElement;
    to.value = '2026-01-01';
    to.dispatchEvent(new Event('change'));
    await settle();
    const [request] = http.match((r) => r.url === '/api/quality/agreement');
    expect(request!.request.params.get('to')).toBe('2026-01-01');
    request!.flush(
      {
        code: 'validation_failed',
        message: 'from: The start date must be on or before the end date',
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await settle();
    expect(text(root().querySelector('[role="alert"]'))).toContain(
      'start date must be on or before',
    );
  });
});
