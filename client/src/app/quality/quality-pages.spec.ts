import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { EChartsCoreOption } from 'echarts/core';
import {
  CODER_ID,
  REVIEWER_ID,
  TWO_CLEAN,
  makeMine,
  makeReport,
} from '../../testing/quality-fixtures';
import { provideAppIcons } from '../core/icons';
import { CHART_LIBRARY, type ChartInstance } from './echart';
import { MyQualityPage } from './my-quality-page/my-quality-page';
import { QualityChartsPage } from './quality-charts-page/quality-charts-page';
import { TeamQualityPage } from './team-quality-page/team-quality-page';

/** A chart library that records what it was asked to draw, and lets a spec click a point. */
class FakeCharts {
  readonly charts: {
    element: HTMLElement;
    options: EChartsCoreOption[];
    click?: (p: { data?: unknown }) => void;
  }[] = [];
  readonly library = {
    init: (element: HTMLElement): ChartInstance => {
      const chart: (typeof this.charts)[number] = { element, options: [] };
      this.charts.push(chart);
      return {
        setOption: (option) => chart.options.push(option),
        resize: () => undefined,
        dispose: () => undefined,
        on: (_event, handler) => (chart.click = handler),
      };
    },
  };
}

describe('quality pages', () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;
  let charts: FakeCharts;

  beforeEach(async () => {
    jest.useFakeTimers();
    charts = new FakeCharts();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
        provideRouter([
          { path: 'quality', component: TeamQualityPage },
          { path: 'quality/charts', component: QualityChartsPage },
          { path: 'quality/me', component: MyQualityPage },
        ]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: CHART_LIBRARY, useValue: () => Promise.resolve(charts.library) },
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
  const one = <T extends HTMLElement>(id: string, within: ParentNode = root()) =>
    within.querySelector<T>(`[data-testid="${id}"]`);
  const all = (id: string, within: ParentNode = root()) => [
    ...within.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`),
  ];
  const text = (el: Element | null | undefined) =>
    el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  const team = () =>
    http.match('/api/users').forEach((r) =>
      r.flush({
        items: [
          { id: CODER_ID, name: 'Casey Coder', email: 'c@x', role: 'coder' },
          { id: REVIEWER_ID, name: 'Riley Reviewer', email: 'r@x', role: 'reviewer' },
        ],
      }),
    );
  const url = () => TestBed.inject(Router).url;

  async function settle(): Promise<void> {
    for (let i = 0; i < 4; i++) {
      await jest.advanceTimersByTimeAsync(17);
      await harness.fixture.whenStable();
      harness.detectChanges();
    }
  }

  it('shows the team report: tiles with counts linking to the charts, charts with text, tables', async () => {
    await harness.navigateByUrl('/quality?coderId=' + CODER_ID + '&from=2026-09-07');
    await settle();
    team();
    const [request] = http.match((r) => r.url === '/api/quality/report');
    expect(request!.request.params.get('coderId')).toBe(CODER_ID);
    expect(request!.request.params.get('from')).toBe('2026-09-07');
    expect(request!.request.params.has('to')).toBe(false);
    request!.flush(makeReport());
    await settle();

    const line = one('tile-line')!;
    expect(text(line)).toContain('97%');
    expect(text(line)).toContain('291 of 300 lines');
    expect(line.getAttribute('href')).toBe(`/quality/charts?from=2026-09-07&coderId=${CODER_ID}`);
    expect(text(one('tile-dollar'))).toContain('$2,940.00 of $3,000.00 kept');
    expect(text(one('tile-impact'))).toContain('+$40.00 found');

    // The coder filter shows the coder chosen; the period is custom dates.
    expect(one<HTMLSelectElement>('quality-coder')!.value).toBe(CODER_ID);
    expect(one<HTMLSelectElement>('quality-period')!.value).toBe('custom');

    // Three charts drawn, each with a text alternative.
    expect(charts.charts).toHaveLength(3);
    expect(charts.charts[0]!.element.getAttribute('aria-label')).toContain(
      'Line accuracy by week for 2 coders over 2 weeks',
    );
    expect(charts.charts[0]!.options).toHaveLength(1);
    expect(text(one('category-card'))).toContain('Missing modifier');
    expect(all('category-row')).toHaveLength(1);

    // Turnaround and queues, with counts.
    expect(text(one('turnaround-card'))).toContain('p50 5.5 h · p90 30 h (30 charts)');
    expect(text(one('turnaround-card'))).toContain('No charts made both steps');
    expect(text(one('queue-card'))).toContain('4 charts');

    // Every table row links to its charts, narrowed by the row.
    const coderRows = all('group-row', one('by-coder')!);
    expect(coderRows).toHaveLength(2);
    expect(text(coderRows[1])).toContain('100% 3 of 3 lines');
    expect(text(coderRows[1])).toContain('2 of 2 charts');
    const weekLink = all('group-row-link', one('by-week')!)[1]!;
    expect(weekLink.getAttribute('href')).toBe(
      `/quality/charts?from=2026-09-07&coderId=${CODER_ID}&week=2026-11-23`,
    );

    // A point on the trend opens the charts of that coder and week.
    const point = (charts.charts[0]!.options[0] as { series: { data: { link: object }[] }[] })
      .series[0]!.data[1]!;
    charts.charts[0]!.click!({ data: point });
    await settle();
    expect(url()).toBe(`/quality/charts?from=2026-09-07&coderId=${CODER_ID}&week=2026-11-23`);
    team();
    http
      .match((r) => r.url === '/api/quality/charts')
      .forEach((r) => r.flush({ rows: [], total: 0, page: 1, pageSize: 50 }));
  });

  it('keeps the filter in the address and asks again when it changes', async () => {
    await harness.navigateByUrl('/quality');
    await settle();
    team();
    http.expectOne((r) => r.url === '/api/quality/report').flush(makeReport());
    await settle();
    const family = one<HTMLSelectElement>('quality-family')!;
    family.value = 'em';
    family.dispatchEvent(new Event('change'));
    await settle();
    expect(url()).toBe('/quality?family=em');
    const request = http.expectOne((r) => r.url === '/api/quality/report');
    expect(request.request.params.get('family')).toBe('em');
    request.flush(makeReport({ byCoder: [] }));
    await settle();
    expect(text(one('quality-family-note'))).toContain(
      'Corrections by category stay over every code family',
    );
    expect(one('quality-category-note')).toBeNull();
    expect(text(one('by-coder'))).toContain('No reviewed charts match this filter.');

    const provider = one<HTMLInputElement>('quality-provider')!;
    provider.value = '123';
    provider.dispatchEvent(new Event('change'));
    await settle();
    expect(text(root().querySelector('[role="alert"]'))).toBe('A provider NPI is 10 digits.');
    expect(url()).toBe('/quality?family=em');
  });

  it('shows "no data" rather than 0% when nothing was reviewed', async () => {
    await harness.navigateByUrl('/quality');
    await settle();
    team();
    const empty = makeReport();
    const none = { value: null, numerator: 0, denominator: 0 };
    http
      .expectOne((r) => r.url === '/api/quality/report')
      .flush({
        ...empty,
        totals: {
          ...empty.totals,
          line: none,
          chart: none,
          dollar: none,
          tally: { ...empty.totals.tally, chartsReviewed: 0 },
        },
        coderWeeks: [],
        byWeek: [],
        byCategory: [],
      });
    await settle();
    expect(text(one('tile-line'))).toBe('Line accuracy — 0 lines reviewed');
    expect(text(one('tile-impact'))).toContain('no charts reviewed');
    expect(text(one('trend-card'))).toContain('No reviewed charts in this period.');
    expect(charts.charts).toHaveLength(0);
  });

  it('lists the charts behind a figure, in words, linking each to its room, page by page', async () => {
    await harness.navigateByUrl(
      `/quality/charts?coderId=${CODER_ID}&week=2026-11-23&outcome=corrected&page=2`,
    );
    await settle();
    team();
    const request = http.expectOne((r) => r.url === '/api/quality/charts');
    expect(request.request.params.get('page')).toBe('2');
    expect(request.request.params.get('outcome')).toBe('corrected');
    request.flush({
      rows: [
        {
          encounterId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
          patientName: 'Avery Review',
          dateOfService: '2026-11-20',
          coder: { id: CODER_ID, name: 'Casey Coder' },
          reviewer: { id: REVIEWER_ID, name: 'Riley Reviewer' },
          approvedAt: '2026-11-24T15:00:00.000Z',
          figures: TWO_CLEAN,
          categories: ['missing-modifier'],
        },
      ],
      total: 51,
      page: 2,
      pageSize: 50,
    });
    await settle();
    expect(text(one('charts-filter'))).toBe(
      'Approved in the last 12 weeks · week of 2026-11-23 · coder Casey Coder · charts with a corrected line',
    );
    expect(text(one('charts-count'))).toBe('51 charts · page 2 of 2');
    expect(one('charts-room-link')!.getAttribute('href')).toBe(
      '/encounters/aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
    );
    expect(text(one('charts-row'))).toContain('100% 3 of 3 lines');
    expect(text(one('charts-row'))).toContain('Missing modifier');
    expect(one('charts-back')!.getAttribute('href')).toBe(`/quality?coderId=${CODER_ID}`);
  });

  it('shows a coder their own figures, this week against last, and their corrections', async () => {
    await harness.navigateByUrl('/quality/me');
    await settle();
    http.expectOne((r) => r.url === '/api/quality/me').flush(makeMine());
    await settle();
    expect(text(one('tile-line', one('my-totals')!))).toContain('291 of 300 lines');
    const week = one('my-week')!;
    expect(text(week)).toContain(
      '2 charts approved this week, 4 charts last week: the change is under each measure.',
    );
    expect(text(one('my-last-week'))).toBe(
      'Last week: line accuracy 80% (8 of 10 lines), chart accuracy 50% (2 of 4 charts), dollar accuracy 98%.',
    );
    expect(text(one('change-line', week))).toBe('+20 pts vs last week');
    expect(text(one('change-chart', week))).toBe('+50 pts vs last week');
    const correction = one('my-correction')!;
    expect(text(correction)).toContain('Corrected');
    expect(text(correction)).toContain('Missing modifier');
    expect(text(correction)).toContain('99214 x1');
    expect(text(correction)).toContain('99214-25 x1');
    expect(text(correction)).toContain(
      'Separately identifiable E/M on the day of the injection — Riley Reviewer',
    );
    expect(one('my-correction-link')!.getAttribute('href')).toBe(
      '/encounters/aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
    );
    // No review level yet: the block is left out.
    expect(one('my-review-level')).toBeNull();
    expect(charts.charts).toHaveLength(1);
  });

  it('shows the review level when the sampling policy gives one', async () => {
    await harness.navigateByUrl('/quality/me');
    await settle();
    http
      .expectOne((r) => r.url === '/api/quality/me')
      .flush(
        makeMine({
          reviewLevel: {
            level: 'sampled',
            explanation: '20% sample: 97% line accuracy over the last 30 charts',
            reviewedCharts: 30,
            lineAccuracy: 0.97,
            sampleRate: 0.2,
          },
        }),
      );
    await settle();
    expect(text(one('my-review-level'))).toContain('20% of charts sampled');
    expect(text(one('my-review-level'))).toContain('97% line accuracy over the last 30 charts');
  });
});
