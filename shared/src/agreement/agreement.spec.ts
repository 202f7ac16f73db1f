import fc from 'fast-check';
import { isEvaluationAndManagement } from '../coding/code-sections.js';
import {
  ALPHA_LEVELS,
  agreementItem,
  chartCategoryUnits,
  coincidences,
  cohensKappa,
  krippendorffsAlpha,
  percentAgreement,
  positiveAgreement,
  unionUnits,
  type AgreementUnit,
  type ChartCodings,
  type AgreementRating,
} from './agreement.js';

/** Reliability data as a table: one row per unit, one column per coder, null = not rated. */
function table(coders: readonly string[], rows: readonly (readonly (AgreementRating | null)[])[]) {
  return rows.map((row, u): AgreementUnit => ({
    key: `u${u + 1}`,
    ratings: Object.fromEntries(coders.map((coder, i) => [coder, row[i] ?? null])),
  }));
}

/** A 2x2 table of two coders' present(1)/absent(0) ratings, as units. */
function twoByTwo(a: number, b: number, c: number, d: number) {
  const rows: [number, number][] = [
    ...Array.from({ length: a }, (): [number, number] => [1, 1]),
    ...Array.from({ length: b }, (): [number, number] => [1, 0]),
    ...Array.from({ length: c }, (): [number, number] => [0, 1]),
    ...Array.from({ length: d }, (): [number, number] => [0, 0]),
  ];
  return table(['A', 'B'], rows);
}

describe('hand-computed cases, two coders', () => {
  it('perfect agreement: kappa 1, alpha 1, 100%', () => {
    // (1,1) (1,1) (0,0) (0,0): po = 4/4 = 1; each coder says 1 half the time,
    // pe = 0.5*0.5 + 0.5*0.5 = 0.5; kappa = (1 - 0.5) / (1 - 0.5) = 1.
    // Coincidences: o11 = 4, o00 = 4, no off-diagonal pair, so D_o = 0 and alpha = 1.
    const units = twoByTwo(2, 0, 0, 2);
    expect(cohensKappa(units)).toEqual({
      kappa: 1,
      observed: 1,
      expected: 0.5,
      units: 4,
      coders: ['A', 'B'],
    });
    expect(krippendorffsAlpha(units).alpha).toBe(1);
    expect(percentAgreement(units)).toEqual({ value: 1, numerator: 4, denominator: 4 });
  });

  it('agreement at chance level: kappa 0, alpha 1/8 (the small-sample correction)', () => {
    // (1,1) (1,0) (0,1) (0,0): po = 2/4 = 0.5; pe = 0.5*0.5 + 0.5*0.5 = 0.5; kappa = 0 / 0.5 = 0.
    // Alpha: n = 8 values, n_1 = n_0 = 4; the two split units give o10 = o01 = 2.
    // alpha = 1 - (n - 1) * sum_{c!=k} o_ck / (n^2 - sum n_c^2) = 1 - 7 * 4 / (64 - 32) = 1/8.
    const units = twoByTwo(1, 1, 1, 1);
    expect(cohensKappa(units)).toMatchObject({ kappa: 0, observed: 0.5, expected: 0.5 });
    expect(krippendorffsAlpha(units).alpha).toBeCloseTo(1 / 8, 12);
    expect(percentAgreement(units).value).toBe(0.5);
  });

  it('systematic disagreement: kappa -1, alpha -3/4', () => {
    // (1,0) (0,1) (1,0) (0,1): po = 0; pe = 0.5*0.5 + 0.5*0.5 = 0.5; kappa = (0 - 0.5) / 0.5 = -1.
    // Alpha: n_1 = n_0 = 4, o10 = o01 = 4; alpha = 1 - 7 * 8 / 32 = -3/4.
    const units = twoByTwo(0, 2, 2, 0);
    expect(cohensKappa(units)).toMatchObject({ kappa: -1, observed: 0, expected: 0.5 });
    expect(krippendorffsAlpha(units).alpha).toBeCloseTo(-3 / 4, 12);
    expect(percentAgreement(units).value).toBe(0);
  });

  it('each coder keeps to one category, not the same one: kappa 0 (no variation to beat), alpha -3/4', () => {
    // (1,0) x 4: po = 0; A always 1, B always 0: pe = 1*0 + 0*1 = 0; kappa = (0 - 0) / 1 = 0.
    // Alpha pools the coders: n_1 = n_0 = 4, o10 = o01 = 4, the same as above: -3/4.
    const units = twoByTwo(0, 4, 0, 0);
    expect(cohensKappa(units)).toMatchObject({ kappa: 0, observed: 0, expected: 0 });
    expect(krippendorffsAlpha(units).alpha).toBeCloseTo(-3 / 4, 12);
  });

  it('both coders use one same category throughout: kappa and alpha undefined (null), 100% agreement', () => {
    // (1,1) x 3: po = 1, pe = 1*1 = 1: kappa = 0/0. Alpha: only n_1 = 6, so D_e = 0: 0/0.
    const units = twoByTwo(3, 0, 0, 0);
    expect(cohensKappa(units)).toMatchObject({ kappa: null, observed: 1, expected: 1, units: 3 });
    expect(krippendorffsAlpha(units)).toMatchObject({
      alpha: null,
      observedDisagreement: 0,
      expectedDisagreement: 0,
      values: 6,
    });
    expect(percentAgreement(units).value).toBe(1);
  });

  it('no unit rated by both: every figure is null, never 0 or 1', () => {
    const units = table(
      ['A', 'B'],
      [
        [1, null],
        [null, 0],
        [null, null],
      ],
    );
    expect(cohensKappa(units)).toEqual({
      kappa: null,
      observed: null,
      expected: null,
      units: 0,
      coders: ['A', 'B'],
    });
    expect(krippendorffsAlpha(units)).toEqual({
      alpha: null,
      observedDisagreement: null,
      expectedDisagreement: null,
      values: 0,
      units: 0,
    });
    expect(percentAgreement(units)).toEqual({ value: null, numerator: 0, denominator: 0 });
    expect(positiveAgreement(units).value).toBeNull();
  });

  it('kappa refuses more than two coders', () => {
    expect(() => cohensKappa(table(['A', 'B', 'C'], [[1, 1, 0]]))).toThrow(
      "Cohen's kappa is for two coders; these units have 3: A, B, C",
    );
  });

  it('kappa on three categories: E/M levels per chart, 3/7', () => {
    // Chart:   1     2     3     4     5     6     7     8
    // X:     99213 99213 99213 99214 99214 none  99212 99214
    // Y:     99213 99213 99214 99214 99213 none  99213 99214
    // Alike on charts 1, 2, 4, 6, 8: po = 5/8.
    // X: 99213 x3, 99214 x3, none x1, 99212 x1; Y: 99213 x4, 99214 x3, none x1.
    // pe = (3*4 + 3*3 + 1*1 + 1*0) / 64 = 22/64; kappa = (40/64 - 22/64) / (42/64) = 18/42 = 3/7.
    const visits: [string | null, string | null][] = [
      ['99213', '99213'],
      ['99213', '99213'],
      ['99213', '99214'],
      ['99214', '99214'],
      ['99214', '99213'],
      [null, null],
      ['99212', '99213'],
      ['99214', '99214'],
    ];
    const line = (code: string) => ({ code, modifiers: [], units: 1 });
    const charts: ChartCodings[] = visits.map(([x, y], i) => ({
      chartId: `c${i + 1}`,
      codings: {
        X: [...(x ? [line(x)] : []), line('36415')],
        Y: [...(y ? [line(y)] : []), line('36415')],
      },
    }));
    const units = chartCategoryUnits(
      charts,
      (lines) => lines.find((l) => isEvaluationAndManagement(l.code))?.code ?? 'none',
    );
    expect(cohensKappa(units)).toMatchObject({ observed: 5 / 8, expected: 22 / 64 });
    expect(cohensKappa(units).kappa).toBeCloseTo(3 / 7, 12);
  });
});

describe('published worked examples', () => {
  it("Cohen's kappa: Wikipedia's 50 grant proposals (a=20, b=5, c=10, d=15), kappa 0.4", () => {
    // Wikipedia, "Cohen's kappa", section "Simple example"
    // (https://en.wikipedia.org/wiki/Cohen%27s_kappa): reader A says yes to 25 proposals, B to 30.
    // po = (20 + 15) / 50 = 0.7; pe = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    const kappa = cohensKappa(twoByTwo(20, 5, 10, 15));
    expect(kappa.observed).toBeCloseTo(0.7, 12);
    expect(kappa.expected).toBeCloseTo(0.5, 12);
    expect(kappa.kappa).toBeCloseTo(0.4, 12);
    expect(kappa.units).toBe(50);
  });

  // Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
  // Communication, University of Pennsylvania (https://repository.upenn.edu/asc_papers/43): its
  // example of nominal data, any number of observers, missing data. Four observers, twelve units,
  // values 1-5, "." = missing; unit 12 has a single value, so it is unpairable and counts for nothing.
  const observers = ['A', 'B', 'C', 'D'];
  const _ = null;
  const paper = table(observers, [
    [1, 1, _, 1],
    [2, 2, 3, 2],
    [3, 3, 3, 3],
    [3, 3, 3, 3],
    [2, 2, 2, 2],
    [1, 2, 3, 4],
    [4, 4, 4, 4],
    [1, 1, 2, 1],
    [2, 2, 2, 2],
    [_, 5, 5, 5],
    [_, _, 1, 1],
    [_, 3, _, _],
  ]);

  it('Krippendorff 2011: the coincidence matrix of the 4 observers x 12 units example', () => {
    // Unit 6 (1,2,3,4): m = 4, each of its 12 ordered pairs weighs 1/3; unit 2 (2,2,3,2): the
    // 6 pairs 2-2 give o22 += 2, the 3 pairs each of 2-3 and 3-2 give o23 = o32 += 1; and so on.
    const c = coincidences(paper);
    expect(c.values).toEqual([1, 2, 3, 4, 5]);
    const third = 1 / 3;
    const expected = [
      [7, 4 * third, third, third, 0],
      [4 * third, 10, 4 * third, third, 0],
      [third, 4 * third, 8, third, 0],
      [third, third, third, 4, 0],
      [0, 0, 0, 0, 3],
    ];
    c.matrix.forEach((row, i) =>
      row.forEach((o, k) => expect(o).toBeCloseTo(expected[i]![k]!, 12)),
    );
    c.totals.forEach((t, i) => expect(t).toBeCloseTo([9, 13, 10, 5, 3][i]!, 12));
    expect(c.n).toBe(40);
    expect(c.units).toBe(11);
  });

  it('Krippendorff 2011: nominal alpha 0.743', () => {
    // sum_{c!=k} o_ck = n - sum o_cc = 40 - (7 + 10 + 8 + 4 + 3) = 8;
    // n^2 - sum n_c^2 = 1600 - (81 + 169 + 100 + 25 + 9) = 1216;
    // alpha = 1 - (n - 1) * 8 / 1216 = 1 - 312/1216 = 113/152 = 0.7434.
    const alpha = krippendorffsAlpha(paper, 'nominal');
    expect(alpha.alpha).toBeCloseTo(113 / 152, 12);
    expect(alpha.alpha!.toFixed(3)).toBe('0.743');
    expect(alpha).toMatchObject({ values: 40, units: 11 });
    expect(alpha.observedDisagreement).toBeCloseTo(8 / 40, 12);
    expect(alpha.expectedDisagreement).toBeCloseTo(1216 / (40 * 39), 12);
  });

  it('Krippendorff 2011: the same data as ordinal 0.815, interval 0.849 and ratio 0.797', () => {
    // The paper computes the same data at the other levels too. Interval: D_o = 13/30, D_e = 112/39, alpha = 951/1120.
    expect(krippendorffsAlpha(paper, 'ordinal').alpha!.toFixed(3)).toBe('0.815');
    expect(krippendorffsAlpha(paper, 'interval').alpha).toBeCloseTo(951 / 1120, 12);
    expect(krippendorffsAlpha(paper, 'interval').alpha!.toFixed(3)).toBe('0.849');
    expect(krippendorffsAlpha(paper, 'ratio').alpha!.toFixed(3)).toBe('0.797');
  });

  it('percent agreement of the example: 8 of its 11 pairable units are unanimous', () => {
    // Unanimous: units 1, 3, 4, 5, 7, 9, 10, 11 = 8 of 11 (the missing ratings do not count against).
    expect(percentAgreement(paper)).toEqual({ value: 8 / 11, numerator: 8, denominator: 11 });
  });

  it('orders the categories as numbers and refuses text for a level above nominal', () => {
    expect(coincidences(table(['A', 'B'], [[10, 9]])).values).toEqual([9, 10]);
    expect(() => krippendorffsAlpha(table(['A', 'B'], [['x', 'y']]), 'interval')).toThrow(
      'interval alpha needs numeric ratings, got "x"',
    );
  });
});

describe('units over the union of codes on each chart', () => {
  const line = (code: string, modifiers: string[] = [], units = 1) => ({ code, modifiers, units });
  const charts: ChartCodings[] = [
    {
      chartId: 'c1',
      codings: {
        X: [line('99213', ['25']), line('20610', ['RT'])],
        Y: [line('99213', ['25']), line('20610', ['LT'])],
        Z: [line('99213'), line('20610', ['RT'])],
      },
    },
    {
      chartId: 'c2',
      codings: { X: [line('99214')], Y: [line('99214'), line('36415')] },
    },
  ];

  it('names an item by its code, or by code, sorted modifiers and units', () => {
    expect(agreementItem(line('20610', ['RT']), 'line')).toBe('20610|RT|1');
    expect(agreementItem(line('11042', ['XS', '59'], 2), 'line')).toBe('11042|59,XS|2');
    expect(agreementItem(line(' j1100 ', ['rt'], 3), 'code')).toBe('J1100');
  });

  it('rates each item of the union 1 or 0 for each coder of the chart; a coder who did not code it rates nothing', () => {
    expect(unionUnits(charts, 'code')).toEqual([
      { key: 'c1|20610', ratings: { X: 1, Y: 1, Z: 1 } },
      { key: 'c1|99213', ratings: { X: 1, Y: 1, Z: 1 } },
      { key: 'c2|36415', ratings: { X: 0, Y: 1 } },
      { key: 'c2|99214', ratings: { X: 1, Y: 1 } },
    ]);
    expect(unionUnits(charts, 'line').map((u) => [u.key, u.ratings])).toEqual([
      ['c1|20610|LT|1', { X: 0, Y: 1, Z: 0 }],
      ['c1|20610|RT|1', { X: 1, Y: 0, Z: 1 }],
      ['c1|99213|25|1', { X: 1, Y: 1, Z: 0 }],
      ['c1|99213||1', { X: 0, Y: 0, Z: 1 }],
      ['c2|36415||1', { X: 0, Y: 1 }],
      ['c2|99214||1', { X: 1, Y: 1 }],
    ]);
  });

  it('percent agreement: codes 3 of 4 units, whole lines 1 of 6', () => {
    expect(percentAgreement(unionUnits(charts, 'code')).value).toBe(3 / 4);
    expect(percentAgreement(unionUnits(charts, 'line')).value).toBe(1 / 6);
  });

  it('positive agreement of X and Y on chart lines: 2a / (2a + b + c) = 4 / 7', () => {
    // X and Y only: both on 99213-25 and 99214 (a = 2), X alone on 20610-RT (b = 1), Y alone on
    // 20610-LT and 36415 (c = 2): 2*2 / (2*2 + 1 + 2) = 4/7.
    const pair = unionUnits(
      charts.map((c) => ({ ...c, codings: { X: c.codings.X!, Y: c.codings.Y! } })),
      'line',
    );
    expect(positiveAgreement(pair)).toEqual({ value: 4 / 7, numerator: 4, denominator: 7 });
  });

  it('two coders over the union: kappa and alpha are never above 0 (no unit is absent for both)', () => {
    // With d = 0 the 2x2 kappa 2(ad - bc) / ((a+b)(b+d) + (a+c)(c+d)) is -2bc / ((a+b)b + (a+c)c),
    // and alpha = 1 - (2N - 1)(b + c) / ((b + c)(2a + b + c)) = (1 - b - c) / (2N - b - c).
    // So 49 codes in common and one each alone give kappa -2/100 and alpha -1/100: these are not
    // figures to show for union units (docs/agreement.md).
    const units = twoByTwo(49, 1, 1, 0);
    expect(cohensKappa(units).kappa).toBeCloseTo((-2 * 1 * 1) / (50 * 1 + 50 * 1), 12);
    expect(krippendorffsAlpha(units).alpha).toBeCloseTo((1 - 2) / (2 * 51 - 2), 12);
    expect(percentAgreement(units).value).toBeCloseTo(49 / 51, 12);
    expect(positiveAgreement(units).value).toBeCloseTo(98 / 100, 12);
    fc.assert(
      fc.property(fc.nat({ max: 30 }), fc.nat({ max: 30 }), fc.nat({ max: 30 }), (a, b, c) => {
        fc.pre(a + b + c > 0);
        const union = twoByTwo(a, b, c, 0);
        const kappa = cohensKappa(union).kappa;
        const alpha = krippendorffsAlpha(union).alpha;
        if (kappa !== null) expect(kappa).toBeLessThanOrEqual(1e-12);
        if (alpha !== null) {
          expect(alpha).toBeLessThanOrEqual(1e-12);
          expect(alpha).toBeCloseTo((1 - b - c) / (2 * (a + b + c) - b - c), 10);
        }
      }),
    );
  });
});

/** Random reliability data: 1-40 units, 2-5 coders, 1-4 categories, some ratings missing. */
const reliabilityData = fc
  .record({
    coders: fc.integer({ min: 2, max: 5 }),
    categories: fc.integer({ min: 1, max: 4 }),
    missing: fc.boolean(),
  })
  .chain(({ coders, categories, missing }) =>
    fc
      .array(
        fc.array(
          missing
            ? fc.option(fc.integer({ min: 1, max: categories }), { freq: 4, nil: null })
            : fc.integer({ min: 1, max: categories }),
          { minLength: coders, maxLength: coders },
        ),
        { minLength: 1, maxLength: 40 },
      )
      .map((rows) => ({ coders: Array.from({ length: coders }, (_, i) => `c${i}`), rows })),
  );

/** Complete two-coder data, at least one unit. */
const twoCoderData = fc.array(
  fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
  {
    minLength: 1,
    maxLength: 60,
  },
);

/** Scott's pi (Scott 1955), the reference here: chance from the two coders' pooled shares. */
function scottsPi(rows: readonly (readonly [number, number])[]): number | null {
  const n = rows.length;
  const observed = rows.filter(([a, b]) => a === b).length / n;
  const pooled = new Map<number, number>();
  for (const [a, b] of rows) {
    pooled.set(a, (pooled.get(a) ?? 0) + 1);
    pooled.set(b, (pooled.get(b) ?? 0) + 1);
  }
  const expected = [...pooled.values()].reduce((sum, k) => sum + (k / (2 * n)) ** 2, 0);
  return expected === 1 ? null : (observed - expected) / (1 - expected);
}

describe('properties', () => {
  it('percent in [0, 1]; alpha of every level in [-1, 1]', () => {
    fc.assert(
      fc.property(reliabilityData, ({ coders, rows }) => {
        const units = table(coders, rows);
        const percent = percentAgreement(units).value;
        if (percent !== null) expect(percent >= 0 && percent <= 1).toBe(true);
        for (const level of ALPHA_LEVELS) {
          const alpha = krippendorffsAlpha(units, level).alpha;
          if (alpha !== null) expect(alpha >= -1 - 1e-12 && alpha <= 1 + 1e-12).toBe(true);
        }
      }),
    );
  });

  it('kappa in [-1, 1] and its observed and expected agreement in [0, 1]', () => {
    fc.assert(
      fc.property(twoCoderData, (rows) => {
        const k = cohensKappa(table(['A', 'B'], rows));
        expect(k.observed! >= 0 && k.observed! <= 1).toBe(true);
        expect(k.expected! >= 0 && k.expected! <= 1).toBe(true);
        if (k.kappa !== null) expect(k.kappa >= -1 - 1e-12 && k.kappa <= 1 + 1e-12).toBe(true);
      }),
    );
  });

  it('no figure depends on the coders order or names', () => {
    fc.assert(
      fc.property(reliabilityData, fc.nat(), ({ coders, rows }, seed) => {
        const before = table(coders, rows);
        // Rotate the columns and rename the coders so that their sorted order changes too.
        const shift = seed % coders.length;
        const rotated = rows.map((row) => [...row.slice(shift), ...row.slice(0, shift)]);
        const renamed = coders.map((_, i) => `z${coders.length - i}`);
        const after = table(renamed, rotated);
        expect(percentAgreement(after)).toEqual(percentAgreement(before));
        expect(positiveAgreement(after)).toEqual(positiveAgreement(before));
        const a = krippendorffsAlpha(after).alpha;
        const b = krippendorffsAlpha(before).alpha;
        if (a === null || b === null) expect(a).toBe(b);
        else expect(a).toBeCloseTo(b, 10);
      }),
    );
    fc.assert(
      fc.property(twoCoderData, (rows) => {
        const ab = cohensKappa(table(['A', 'B'], rows));
        const ba = cohensKappa(table(['B', 'A'], rows));
        expect(ba.observed).toBe(ab.observed);
        expect(ba.expected).toBeCloseTo(ab.expected!, 12);
        if (ab.kappa === null) expect(ba.kappa).toBeNull();
        else expect(ba.kappa).toBeCloseTo(ab.kappa, 12);
      }),
    );
  });

  it("two coders, no missing data, nominal: 1 - alpha = (1 - 1/(2N)) (1 - Scott's pi), exactly", () => {
    // With n = 2N values, sum_{c!=k} o_ck = 2N(1 - po) and n^2 - sum n_c^2 = n^2 (1 - pe_pi), so
    // alpha = 1 - (n - 1)/n * (1 - po)/(1 - pe_pi) = pi + (1 - pi)/(2N). Alpha and pi therefore
    // approach each other as N grows, and alpha >= pi always (pi <= 1).
    fc.assert(
      fc.property(twoCoderData, (rows) => {
        const pi = scottsPi(rows);
        const alpha = krippendorffsAlpha(table(['A', 'B'], rows)).alpha;
        if (pi === null) return expect(alpha).toBeNull();
        expect(1 - alpha!).toBeCloseTo((1 - 1 / (2 * rows.length)) * (1 - pi), 10);
      }),
    );
  });

  it("kappa equals Scott's pi when both coders use each category equally often", () => {
    // Equal marginals make Cohen's chance term sum p1(c) p2(c) the pooled sum p(c)^2.
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 40 }),
        fc.nat(),
        (first, shift) => {
          const s = shift % first.length;
          const second = [...first.slice(s), ...first.slice(0, s)];
          const rows = first.map((a, i): [number, number] => [a, second[i]!]);
          const pi = scottsPi(rows);
          const kappa = cohensKappa(table(['A', 'B'], rows)).kappa;
          if (pi === null) expect(kappa).toBeNull();
          else expect(kappa).toBeCloseTo(pi, 10);
        },
      ),
    );
  });

  it('on a 2x2 table kappa is 2(ad - bc) / ((a+b)(b+d) + (a+c)(c+d)), and positive agreement 2a / (2a+b+c)', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 25 }),
        fc.nat({ max: 25 }),
        fc.nat({ max: 25 }),
        fc.nat({ max: 25 }),
        (a, b, c, d) => {
          fc.pre(a + b + c + d > 0);
          const units = twoByTwo(a, b, c, d);
          const denominator = (a + b) * (b + d) + (a + c) * (c + d);
          const kappa = cohensKappa(units).kappa;
          if (denominator === 0) expect(kappa).toBeNull();
          else expect(kappa).toBeCloseTo((2 * (a * d - b * c)) / denominator, 10);
          const positive = positiveAgreement(units).value;
          if (a + b + c === 0) expect(positive).toBeNull();
          else expect(positive).toBeCloseTo((2 * a) / (2 * a + b + c), 12);
        },
      ),
    );
  });

  it('kappa tends to positive agreement as the both-absent cell grows (Hripcsak and Rothschild 2005)', () => {
    // a = 20, b = 5, c = 10: positive agreement 40/55 = 0.72727. With d = 100,000 kappa is
    // 2(20e5 - 50) / (25 * 100005 + 30 * 100010) = 3,999,900 / 5,500,425 = 0.72720.
    const gaps = [10, 1000, 100_000].map((d) =>
      Math.abs(cohensKappa(twoByTwo(20, 5, 10, d)).kappa! - 40 / 55),
    );
    expect(gaps[0]).toBeGreaterThan(gaps[1]!);
    expect(gaps[1]).toBeGreaterThan(gaps[2]!);
    expect(gaps[2]).toBeLessThan(1e-4);
  });

  it('for present/absent ratings every level of alpha is the same', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.option(fc.integer({ min: 0, max: 1 }), { nil: null }), {
            minLength: 3,
            maxLength: 3,
          }),
          {
            minLength: 1,
            maxLength: 30,
          },
        ),
        (rows) => {
          const units = table(['A', 'B', 'C'], rows);
          const nominal = krippendorffsAlpha(units, 'nominal').alpha;
          for (const level of ALPHA_LEVELS) {
            const alpha = krippendorffsAlpha(units, level).alpha;
            if (nominal === null) expect(alpha).toBeNull();
            else expect(alpha).toBeCloseTo(nominal, 10);
          }
        },
      ),
    );
  });
});
