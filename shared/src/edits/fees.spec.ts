import type { FeeScheduleRow } from './edits.schema.js';
import { estimateFees, reviewDollarImpact, roundCents, type FeeReference } from './fees.js';

function row(code: string, overrides: Partial<FeeScheduleRow> = {}): FeeScheduleRow {
  return {
    code,
    modifier: '',
    status: 'A',
    workRvu: 1.3,
    nonFacilityPeRvu: 1.28,
    facilityPeRvu: 0.55,
    mpRvu: 0.1,
    pctc: '0',
    globalDays: 'XXX',
    bilateral: '0',
    multProc: '0',
    row: 9,
    ...overrides,
  };
}

const source = {
  dataset: 'MPFS RVU',
  edition: '2025',
  file: 'mpfs-rvu-2025.tsv',
  effectiveDate: '2025-01-01',
};
const reference: FeeReference = {
  dateOfService: '2025-06-02',
  ptp: [],
  ptpSource: null,
  mue: {},
  clfs: {},
  clfsSource: null,
  coverage: [],
  fees: [
    row('99213'),
    row('71046', {
      pctc: '1',
      workRvu: 0.22,
      nonFacilityPeRvu: 0.74,
      facilityPeRvu: 0.74,
      mpRvu: 0.02,
    }),
    row('71046', {
      modifier: '26',
      pctc: '1',
      workRvu: 0.22,
      nonFacilityPeRvu: 0.08,
      facilityPeRvu: 0.08,
      mpRvu: 0.01,
    }),
    row('20610', {
      bilateral: '1',
      workRvu: 0.79,
      nonFacilityPeRvu: 0.84,
      facilityPeRvu: 0.37,
      mpRvu: 0.09,
    }),
    row('36415', { status: 'X' }),
  ],
  conversionFactor: {
    year: 2025,
    value: 32.3465,
    source: { ...source, dataset: 'MPFS conversion factor' },
  },
  feeSource: source,
};

const line = (id: string, code: string, modifiers: string[] = [], units = 1) => ({
  id,
  code,
  modifiers,
  units,
  pointers: ['A' as const],
});

describe(estimateFees.name, () => {
  it('prices (work + PE + MP) x conversion factor x units with the non-facility PE in an office', () => {
    const estimate = estimateFees(
      { placeOfService: '11', lines: [line('a', '99213', [], 2)] },
      reference,
    );
    const perUnit = roundCents((1.3 + 1.28 + 0.1) * 32.3465);
    expect(estimate.lines[0]).toMatchObject({
      amount: roundCents(perUnit * 2),
      priced: true,
      rvu: { pe: 1.28 },
    });
    expect(estimate.total).toBe(roundCents(perUnit * 2));
    expect(estimate.facility).toBe(false);
    expect(estimate.source).toBe('MPFS RVU 2025, conversion factor 2025 32.3465, non-facility');
  });

  it('pays the facility rate in an office where the non-facility PE is NA, and says so', () => {
    const na: FeeReference = {
      ...reference,
      fees: [
        row('29881', {
          nonFacilityNa: true,
          nonFacilityPeRvu: 0,
          facilityPeRvu: 8.22,
          workRvu: 7.03,
          mpRvu: 1.39,
        }),
      ],
    };
    const [fee] = estimateFees({ placeOfService: '11', lines: [line('a', '29881')] }, na).lines;
    expect(fee).toMatchObject({
      amount: roundCents(16.64 * 32.3465),
      note: 'No non-facility rate (NA): paid at the facility rate',
    });
  });

  it('uses the facility PE in a hospital', () => {
    const estimate = estimateFees({ placeOfService: '22', lines: [line('a', '99213')] }, reference);
    expect(estimate.lines[0]!.amount).toBe(roundCents((1.3 + 0.55 + 0.1) * 32.3465));
    expect(estimate.facility).toBe(true);
  });

  it('prices modifier 26 from its own row and 50 at 150% where the bilateral indicator is 1', () => {
    const estimate = estimateFees(
      { placeOfService: '11', lines: [line('a', '71046', ['26']), line('b', '20610', ['50'])] },
      reference,
    );
    expect(estimate.lines[0]).toMatchObject({ modifier: '26', amount: roundCents(0.31 * 32.3465) });
    expect(estimate.lines[1]!.amount).toBe(roundCents(roundCents(1.72 * 32.3465) * 1.5));
  });

  it('gives no amount for a status that is not paid, an unknown code or a Category II code', () => {
    const estimate = estimateFees(
      { placeOfService: '11', lines: [line('a', '36415'), line('b', '99499'), line('c', '3074F')] },
      reference,
    );
    expect(estimate.lines.map((l) => [l.amount, l.priced])).toEqual([
      [0, false],
      [0, false],
      [0, true],
    ]);
    expect(estimate.lines[0]!.note).toContain('Status X');
    expect(estimate.total).toBe(0);
  });
});

describe('payment rules', () => {
  const cf = 32.3465;
  const fee = (rvus: number) => roundCents(rvus * cf);
  const surgery = (code: string, total: number, extra: Partial<FeeScheduleRow> = {}) =>
    row(code, {
      workRvu: total - 1.1,
      nonFacilityPeRvu: 1,
      facilityPeRvu: 1,
      mpRvu: 0.1,
      multProc: '2',
      globalDays: '010',
      ...extra,
    });
  const data = (overrides: Partial<FeeReference> = {}): FeeReference => ({
    ...reference,
    fees: [
      ...reference.fees,
      surgery('11402', 5.16),
      surgery('12032', 9.09),
      surgery('11400', 3.84),
      surgery('27447', 40, { bilateral: '0' }),
      row('93000', { multProc: '0' }),
    ],
    ...overrides,
  });
  const ptp0 = {
    column1: '12032',
    column2: '11402',
    modifierIndicator: 0 as const,
    rationale: 'Standards of medical/surgical practice',
    effectiveDate: null,
    deletionDate: null,
    row: 5,
  };

  it('denies the column-2 line of an indicator-0 PTP edit: $0, out of the total, with the reason', () => {
    const source = {
      dataset: 'NCCI PTP practitioner',
      edition: '2024Q3',
      file: null,
      effectiveDate: '2024-07-01',
    };
    const estimate = estimateFees(
      { placeOfService: '11', lines: [line('a', '12032'), line('b', '11402')] },
      data({ ptp: [ptp0], ptpSource: source }),
    );
    expect(estimate.lines[1]).toMatchObject({
      amount: 0,
      outcome: 'denied',
      baseAmount: fee(5.16),
    });
    expect(estimate.lines[1]!.note).toContain(
      'Denied: NCCI PTP edit 12032 / 11402 (modifier indicator 0)',
    );
    expect(estimate.lines[0]).toMatchObject({ amount: fee(9.09), outcome: 'paid' });
    expect(estimate.total).toBe(fee(9.09));
  });

  it('does not deny on an indicator-1 edit, nor when the PTP edit is not loaded', () => {
    const source = {
      dataset: 'NCCI PTP practitioner',
      edition: '2024Q3',
      file: null,
      effectiveDate: '2024-07-01',
    };
    const one = estimateFees(
      { placeOfService: '11', lines: [line('a', '12032'), line('b', '11402')] },
      data({ ptp: [{ ...ptp0, modifierIndicator: 1 }], ptpSource: source }),
    );
    expect(one.lines.map((l) => l.outcome)).toEqual(['paid', 'reduced']);
  });

  it('denies a code whose MUE is 0', () => {
    const estimate = estimateFees(
      { placeOfService: '11', lines: [line('a', '99213')] },
      data({ mue: { '99213': { value: 0, mai: 2, rationale: 'Nonpayable', row: 3 } } }),
    );
    expect(estimate.lines[0]).toMatchObject({
      amount: 0,
      outcome: 'denied',
      note: 'Denied: MUE 0, 99213 is not payable on a practitioner claim',
    });
    expect(estimate.total).toBe(0);
  });

  it('multiple procedures (indicator 2): 100% for the highest-valued, 50% for each other, ranked by fee', () => {
    const estimate = estimateFees(
      {
        placeOfService: '11',
        lines: [line('a', '11402'), line('b', '12032'), line('c', '11400'), line('d', '93000')],
      },
      data(),
    );
    expect(estimate.lines.map((l) => [l.code, l.outcome, l.amount])).toEqual([
      ['11402', 'reduced', roundCents(fee(5.16) * 0.5)],
      ['12032', 'paid', fee(9.09)],
      ['11400', 'reduced', roundCents(fee(3.84) * 0.5)],
      ['93000', 'paid', fee(2.68)],
    ]);
    expect(estimate.lines[0]!.note).toContain('50% (ranked 2 of 3 by fee)');
  });

  it('one indicator-2 procedure alone is not reduced; its second unit is', () => {
    expect(
      estimateFees({ placeOfService: '11', lines: [line('a', '11402')] }, data()).lines[0],
    ).toMatchObject({ outcome: 'paid', amount: fee(5.16) });
    expect(
      estimateFees({ placeOfService: '11', lines: [line('a', '11402', [], 3)] }, data()).lines[0],
    ).toMatchObject({ outcome: 'reduced', amount: roundCents(((fee(5.16) * 3) / 3) * 2) });
  });

  it('modifier 50 follows the bilateral indicator: 150% for 1, no uplift and a note where 50 is not allowed', () => {
    const estimate = estimateFees(
      { placeOfService: '11', lines: [line('a', '20610', ['50'])] },
      data(),
    );
    expect(estimate.lines[0]).toMatchObject({
      outcome: 'increased',
      amount: roundCents(fee(1.72) * 1.5),
    });
    const wrong = estimateFees(
      { placeOfService: '11', lines: [line('a', '27447', ['50'])] },
      data(),
    );
    expect(wrong.lines[0]).toMatchObject({ outcome: 'paid', amount: fee(40) });
    expect(wrong.lines[0]!.note).toBe(
      'Modifier 50 is not allowed (bilateral indicator 0): priced once, no bilateral adjustment',
    );
  });

  it('a lab code says the clinical lab fee schedule pays it, and takes its CLFS rate when loaded', () => {
    const without = estimateFees(
      { placeOfService: '11', lines: [line('a', '36415'), line('b', '0001U')] },
      data(),
    );
    expect(without.lines[0]!.note).toContain('clinical lab fee schedule');
    expect(without.lines[1]!.note).toBe(
      'Lab test: paid under the clinical lab fee schedule, which is not loaded',
    );
    const clfsSource = {
      dataset: 'CMS clinical lab fee schedule',
      edition: '2026Q1',
      file: null,
      effectiveDate: '2026-01-01',
    };
    const clfs = {
      '36415': [{ code: '36415', modifier: '', rate: 3, indicator: 'N', row: 12 }],
      '0001U': [{ code: '0001U', modifier: '', rate: 720, indicator: 'N', row: 13 }],
    };
    const withClfs = estimateFees(
      { placeOfService: '11', lines: [line('a', '36415', [], 2), line('b', '0001U')] },
      data({ clfs, clfsSource }),
    );
    expect(withClfs.lines.map((l) => [l.amount, l.priced, l.note])).toEqual([
      [6, true, 'Clinical lab fee schedule 2026Q1: $3.00 a unit'],
      [720, true, 'Clinical lab fee schedule 2026Q1: $720.00 a unit'],
    ]);
    expect(withClfs.total).toBe(726);
  });

  it('names the RVU year and conversion factor, and warns when they are not the date of service year', () => {
    const same = estimateFees({ placeOfService: '11', lines: [line('a', '99213')] }, data());
    expect(same).toMatchObject({ rvuEdition: '2025', conversionFactorYear: 2025, warnings: [] });
    const later = estimateFees(
      { placeOfService: '11', lines: [line('a', '99213')] },
      data({ dateOfService: '2026-02-03' }),
    );
    expect(later.warnings).toEqual([
      'Priced with the 2025 RVUs (edition 2025); no 2026 RVU edition is loaded.',
      'Conversion factor of 2025 (32.3465) used; none is loaded for 2026.',
    ]);
    const earlier = estimateFees(
      { placeOfService: '11', lines: [line('a', '99213')] },
      data({
        dateOfService: '2024-05-01',
        coverage: [
          {
            key: 'RVU',
            dataset: 'MPFS RVU',
            status: 'not-covered',
            applied: source,
            loaded: [{ edition: '2025', effectiveDate: '2025-01-01' }],
            serviceQuarter: '2024Q2',
          },
        ],
      }),
    );
    expect(earlier.warnings[0]).toBe(
      'No loaded RVU edition covers 2024-05-01: priced with the nearest, 2025.',
    );
    expect(earlier.lines[0]!.amount).toBe(fee(2.68));
  });
});

describe(reviewDollarImpact.name, () => {
  it('uses the same payment rules as the chart total (a denied line counts $0 on both sides)', () => {
    const source = {
      dataset: 'NCCI PTP practitioner',
      edition: '2024Q3',
      file: null,
      effectiveDate: '2024-07-01',
    };
    const ptp = [
      {
        column1: '99213',
        column2: '20610',
        modifierIndicator: 0 as const,
        rationale: 'x',
        effectiveDate: null,
        deletionDate: null,
        row: 5,
      },
    ];
    const impact = reviewDollarImpact(
      [line('a', '99213'), line('b', '20610')],
      [line('a', '99213')],
      { placeOfService: '11' },
      { ...reference, ptp, ptpSource: source },
    );
    expect(impact.impact).toBe(0);
  });

  it('is the reviewed total minus the coder total, with dollar accuracy', () => {
    const impact = reviewDollarImpact(
      [line('a', '99213'), line('b', '20610')],
      [line('a', '99213')],
      { placeOfService: '11' },
      reference,
    );
    const visit = roundCents(2.68 * 32.3465);
    const injection = roundCents(1.72 * 32.3465);
    expect(impact.coderTotal).toBe(roundCents(visit + injection));
    expect(impact.reviewedTotal).toBe(visit);
    expect(impact.impact).toBe(roundCents(-injection));
    expect(impact.dollarAccuracy).toBeCloseTo(1 - injection / visit, 6);
  });

  it('has no dollar accuracy when the reviewed amount is zero', () => {
    expect(
      reviewDollarImpact([line('a', '99213')], [], { placeOfService: '11' }, reference)
        .dollarAccuracy,
    ).toBeNull();
  });
});
