import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import {
  DEFAULT_SAMPLING_POLICY,
  type CoderReviewLevel,
  type SamplingPolicy,
} from '@countersign/shared';
import { provideAppIcons } from '../../core/icons';
import { SamplingPage } from './sampling-page';

const LEVELS: CoderReviewLevel[] = [
  {
    coder: { id: '00000000-0000-4000-8000-000000000001', name: 'Casey Coder' },
    level: {
      level: 'sampled',
      explanation: '25% sample: 97% line accuracy over the last 30 charts',
      reviewedCharts: 41,
      lineAccuracy: 0.97,
      sampleRate: 0.25,
    },
  },
  {
    coder: { id: '00000000-0000-4000-8000-000000000002', name: 'Nia Newcomer' },
    level: {
      level: 'full',
      explanation: '100% review: 12 of 30 reviewed charts so far',
      reviewedCharts: 12,
      lineAccuracy: 1,
      sampleRate: 1,
    },
  },
];

describe(SamplingPage.name, () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
        provideRouter([{ path: 'quality/sampling', component: SamplingPage }]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
  });
  afterEach(() => http.verify());

  const root = () => harness.routeNativeElement as HTMLElement;
  const one = <T extends HTMLElement>(id: string) =>
    root().querySelector<T>(`[data-testid="${id}"]`)!;
  const text = (el: Element) => el.textContent.replace(/\s+/g, ' ').trim();

  async function settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await harness.fixture.whenStable();
      harness.detectChanges();
    }
  }

  async function open(policy: SamplingPolicy = DEFAULT_SAMPLING_POLICY): Promise<void> {
    await harness.navigateByUrl('/quality/sampling');
    http.expectOne('/api/sampling/policy').flush(policy);
    await settle();
    http.expectOne('/api/sampling/levels').flush(LEVELS);
    await settle();
  }

  function type(id: string, value: string): void {
    const input = one<HTMLInputElement>(id);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  it('shows the policy in people’s units and each coder’s level', async () => {
    await open();
    expect(one<HTMLInputElement>('sampling-new-coder-charts').value).toBe('30');
    expect(one<HTMLInputElement>('sampling-threshold').value).toBe('95');
    expect(one<HTMLInputElement>('sampling-rate').value).toBe('25');
    expect(one<HTMLInputElement>('sampling-modifiers').value).toBe('25, 59');
    expect(one<HTMLInputElement>('sampling-dollar-limit').value).toBe('1000');
    const rows = [...root().querySelectorAll('[data-testid="sampling-level-row"]')].map((row) =>
      [...row.querySelectorAll('td')].map(text).join(' | '),
    );
    expect(rows).toEqual([
      'Casey Coder | 25% sample | 41 | 97% | 25% sample: 97% line accuracy over the last 30 charts',
      'Nia Newcomer | 100% review | 12 | 100% | 100% review: 12 of 30 reviewed charts so far',
    ]);
  });

  it('saves the edited policy as the schema has it, then shows the levels again', async () => {
    await open();
    type('sampling-rate', '10');
    type('sampling-new-coder-charts', '5');
    type('sampling-modifiers', '25 59 xs');
    type('sampling-dollar-limit', '');
    one<HTMLButtonElement>('sampling-save').click();
    await settle();
    const put = http.expectOne('/api/sampling/policy');
    const expected: SamplingPolicy = {
      ...DEFAULT_SAMPLING_POLICY,
      newCoderCharts: 5,
      sampleRate: 0.1,
      risk: {
        ...DEFAULT_SAMPLING_POLICY.risk,
        modifiers: ['25', '59', 'XS'],
        dollarLimitCents: null,
      },
    };
    expect(put.request.method).toBe('PUT');
    expect(put.request.body).toEqual(expected);
    put.flush(expected);
    await settle();
    http.expectOne('/api/sampling/levels').flush(LEVELS);
    await settle();
    expect(text(one('sampling-saved'))).toBe('Saved');
  });

  it('says which fields are wrong and sends nothing', async () => {
    await open();
    type('sampling-rate', '150');
    type('sampling-modifiers', '25, 5');
    one<HTMLButtonElement>('sampling-save').click();
    await settle();
    const alerts = [...root().querySelectorAll('[role="alert"]')].map(text);
    expect(alerts).toEqual([
      'A percentage from 0 to 100',
      'Two-character modifiers separated by commas, such as 25, 59 (at most 20)',
    ]);
  });

  it('shows the server’s refusal', async () => {
    await open();
    one<HTMLButtonElement>('sampling-save').click();
    await settle();
    http.expectOne('/api/sampling/policy').flush(
      {
        code: 'forbidden',
        message: 'Only a supervisor or an admin can change the sampling policy',
      },
      { status: 403, statusText: 'Forbidden' },
    );
    await settle();
    expect(text(one('sampling-save-error'))).toBe(
      'Only a supervisor or an admin can change the sampling policy',
    );
  });
});
