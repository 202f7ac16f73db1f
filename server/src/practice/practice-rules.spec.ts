import { madeUpPatient, seedOf } from './made-up-patient.js';
import { courseProgress } from './progress.js';

describe(madeUpPatient.name, () => {
  it('is the same patient for the same seed and another for another seed', () => {
    expect(madeUpPatient(7, '1960-01-01')).toEqual(madeUpPatient(7, '1960-01-01'));
    expect(madeUpPatient(7, '1960-01-01')).not.toEqual(madeUpPatient(8, '1960-01-01'));
  });

  it('says it is practice, and is born up to a year before the real patient, never after', () => {
    for (let seed = 0; seed < 200; seed++) {
      const patient = madeUpPatient(seed, '1960-06-15');
      expect(patient.mrn).toMatch(/^PR-\d{6}$/);
      expect(patient.name).toMatch(/^[A-Z][a-z]+, [A-Z][a-z]+$/);
      expect(patient.dateOfBirth <= '1960-06-15').toBe(true);
      expect(patient.dateOfBirth > '1959-06-15').toBe(true);
    }
  });

  it('seeds from text deterministically', () => {
    expect(seedOf('abc')).toBe(seedOf('abc'));
    expect(seedOf('abc')).not.toBe(seedOf('abd'));
  });
});

describe(courseProgress.name, () => {
  const course = { passPercent: 80, minCharts: 2 };
  const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

  it('counts the latest submitted attempt of each chart, pooling elements', () => {
    const progress = courseProgress(
      course,
      ['a', 'b', 'c'],
      [
        { chartId: 'a', submittedAt: at(1), elementsRight: 2, elementsTotal: 8 },
        { chartId: 'a', submittedAt: at(5), elementsRight: 8, elementsTotal: 8 },
        { chartId: 'b', submittedAt: at(2), elementsRight: 3, elementsTotal: 4 },
        { chartId: 'c', submittedAt: null, elementsRight: null, elementsTotal: null },
        { chartId: 'archived', submittedAt: at(3), elementsRight: 0, elementsTotal: 4 },
      ],
    );
    expect(progress).toEqual({
      chartsDone: 2,
      chartsTotal: 3,
      average: { value: 11 / 12, numerator: 11, denominator: 12 },
      passed: true,
    });
  });

  it('does not pass below the minimum of charts, however good, nor below the mark', () => {
    const one = [{ chartId: 'a', submittedAt: at(1), elementsRight: 4, elementsTotal: 4 }];
    expect(courseProgress(course, ['a', 'b'], one).passed).toBe(false);
    const low = [...one, { chartId: 'b', submittedAt: at(2), elementsRight: 0, elementsTotal: 4 }];
    expect(courseProgress(course, ['a', 'b'], low).passed).toBe(false);
  });

  it('passes exactly at the mark', () => {
    const attempts = [
      { chartId: 'a', submittedAt: at(1), elementsRight: 4, elementsTotal: 5 },
      { chartId: 'b', submittedAt: at(2), elementsRight: 4, elementsTotal: 5 },
    ];
    expect(courseProgress(course, ['a', 'b'], attempts).passed).toBe(true);
  });
});
