import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { signal } from '@angular/core';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { Router, provideRouter } from '@angular/router';
import type { CourseProgress, PromotionOffer, TraineeProgress } from '@countersign/shared';
import { ApiClient } from '../../core/api/api-client';
import { AuthService } from '../../core/auth/auth.service';
import { provideAppIcons } from '../../core/icons';
import { PracticeApi } from '../practice-api';
import { PracticePage } from './practice-page';

const ORG = '00000000-0000-4000-8000-000000000000';
const COURSE = {
  id: '10000000-0000-4000-8000-000000000000',
  title: 'Modifier 25 and 59',
  description: 'A visit beside a procedure',
  passPercent: 75,
  minCharts: 1,
  archived: false,
  chartCount: 2,
  createdAt: '2026-03-01T00:00:00.000Z',
};
const PROGRESS = {
  chartsDone: 1,
  chartsTotal: 2,
  average: { value: 0.875, numerator: 7, denominator: 8 },
  passed: true,
};
const MY: CourseProgress[] = [
  {
    course: COURSE,
    progress: PROGRESS,
    charts: [
      {
        id: '20000000-0000-4000-8000-000000000001',
        position: 0,
        title: 'Knee injection',
        state: 'submitted',
        attemptId: '30000000-0000-4000-8000-000000000001',
        encounterId: '40000000-0000-4000-8000-000000000001',
        lastScore: 0.875,
        attempts: 1,
      },
      {
        id: '20000000-0000-4000-8000-000000000002',
        position: 1,
        title: 'Two visits',
        state: 'not_started',
        attemptId: null,
        encounterId: null,
        lastScore: null,
        attempts: 0,
      },
    ],
  },
];
const TRAINEE = { id: '50000000-0000-4000-8000-000000000000', name: 'Morgan Trainee' };
const OFFER: PromotionOffer = {
  id: '60000000-0000-4000-8000-000000000000',
  trainee: TRAINEE,
  course: { id: COURSE.id, title: COURSE.title },
  progress: PROGRESS,
  status: 'open',
  offeredAt: '2026-03-02T10:00:00.000Z',
  decidedBy: null,
  decidedAt: null,
  note: null,
};
const PEOPLE: TraineeProgress[] = [
  {
    trainee: TRAINEE,
    email: 'morgan@example.test',
    isTrainee: true,
    promotedAt: null,
    courses: [{ courseId: COURSE.id, title: COURSE.title, progress: PROGRESS }],
  },
];

function fakeApi() {
  return {
    my: jest.fn().mockResolvedValue(MY),
    courses: jest.fn().mockResolvedValue([COURSE]),
    charts: jest.fn().mockResolvedValue([]),
    progress: jest.fn().mockResolvedValue(PEOPLE),
    offers: jest.fn().mockResolvedValue([OFFER]),
    promote: jest.fn().mockResolvedValue({ ...OFFER, status: 'promoted' }),
    start: jest.fn().mockResolvedValue({ encounterId: '40000000-0000-4000-8000-000000000009' }),
    setTrainee: jest.fn(),
  };
}

async function render(
  role: 'coder' | 'supervisor',
  api: ReturnType<typeof fakeApi>,
): Promise<ComponentFixture<PracticePage>> {
  TestBed.configureTestingModule({
    providers: [
      provideRouter([]),
      provideAppIcons(),
      { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      { provide: PracticeApi, useValue: api },
      { provide: ApiClient, useValue: { team: jest.fn().mockResolvedValue([]) } },
      {
        provide: AuthService,
        useValue: {
          user: signal({ id: TRAINEE.id, name: 'Someone', role, organizationId: ORG }),
        },
      },
    ],
  });
  const fixture = TestBed.createComponent(PracticePage);
  await fixture.whenStable();
  fixture.detectChanges();
  await fixture.whenStable();
  fixture.detectChanges();
  return fixture;
}

const text = (fixture: ComponentFixture<unknown>, testId: string) =>
  [...(fixture.nativeElement as HTMLElement).querySelectorAll(`[data-testid="${testId}"]`)].map(
    (e) => e.textContent?.replace(/\s+/g, ' ').trim() ?? '',
  );

describe(PracticePage.name, () => {
  it('shows a coder their courses with progress and each chart with its state', async () => {
    const api = fakeApi();
    const fixture = await render('coder', api);
    expect(text(fixture, 'course-progress')[0]).toContain('1 of 2 charts');
    expect(text(fixture, 'course-progress')[0]).toContain('88%');
    expect(text(fixture, 'course-passed')).toEqual(['Passed']);
    expect(text(fixture, 'practice-chart-row')).toEqual([
      expect.stringContaining('Knee injection Submitted 88%'),
      expect.stringContaining('Two visits Not started —'),
    ]);
    expect(text(fixture, 'practice-start')).toEqual(['Try again', 'Start']);
    expect(api.offers).not.toHaveBeenCalled();
    expect(text(fixture, 'promotion-offer')).toEqual([]);
  });

  it('starts a chart and opens its room', async () => {
    const api = fakeApi();
    const fixture = await render('coder', api);
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    (fixture.nativeElement as HTMLElement)
      .querySelectorAll<HTMLButtonElement>('[data-testid="practice-start"]')[1]!
      .click();
    await fixture.whenStable();
    expect(api.start).toHaveBeenCalledWith('20000000-0000-4000-8000-000000000002');
    expect(navigate).toHaveBeenCalledWith(['/encounters', '40000000-0000-4000-8000-000000000009']);
  });

  it('shows a supervisor the offers and trainees, and promotes from an offer', async () => {
    const api = fakeApi();
    const fixture = await render('supervisor', api);
    expect(api.my).not.toHaveBeenCalled();
    expect(text(fixture, 'promotion-offer')[0]).toContain(
      'Morgan Trainee passed Modifier 25 and 59',
    );
    expect(text(fixture, 'trainee-row')[0]).toContain('Trainee');
    expect(text(fixture, 'trainee-row')[0]).toContain('Passed');
    api.offers.mockResolvedValue([{ ...OFFER, status: 'promoted' }]);
    (fixture.nativeElement as HTMLElement)
      .querySelector<HTMLButtonElement>('[data-testid="promote"]')!
      .click();
    await fixture.whenStable();
    fixture.detectChanges();
    await fixture.whenStable();
    fixture.detectChanges();
    expect(api.promote).toHaveBeenCalledWith(OFFER.id);
    expect(text(fixture, 'promotion-offer')).toEqual([]);
    expect(text(fixture, 'no-offers')).toHaveLength(1);
  });
});
