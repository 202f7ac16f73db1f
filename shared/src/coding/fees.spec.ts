import type { EditsReference, FeeScheduleRow } from '../edits/edits.schema.js';
import { estimateFees, reviewDollarImpact, roundCents } from './fees.js';

function row(code: string, overrides: Partial<FeeScheduleRow> = {}): FeeScheduleRow {
  return { code, modifier: '', status: 'A', workRvu: 1.3, nonFacilityPeRvu: 1.28, facilityPeRvu: 0.55, mpRvu: 0.1, pctc: '0', globalDays: 'XXX', bilateral: '0', row: 9, ...overrides };
}

const source = { dataset: 'MPFS RVU', edition: '2025', file: 'mpfs-rvu-2025.tsv', effectiveDate: '2025-01-01' };
const reference: Pick<EditsReference, 'fees' | 'conversionFactor' | 'feeSource'> = {
  fees: [
    row('99213'),
    row('71046', { pctc: '1', workRvu: 0.22, nonFacilityPeRvu: 0.74, facilityPeRvu: 0.74, mpRvu: 0.02 }),
    row('71046', { modifier: '26', pctc: '1', workRvu: 0.22, nonFacilityPeRvu: 0.08, facilityPeRvu: 0.08, mpRvu: 0.01 }),
    row('20610', { bilateral: '1', workRvu: 0.79, nonFacilityPeRvu: 0.84, facilityPeRvu: 0.37, mpRvu: 0.09 }),
    row('36415', { status: 'X' }),
  ],
  conversionFactor: { year: 2025, value: 32.3465, source: { ...source, dataset: 'MPFS conversion factor' } },
  feeSource: source,
};

const line = (id: string, code: string, modifiers: string[] = [], units = 1) => ({ id, code, modifiers, units, pointers: ['A' as const] });

describe(estimateFees.name, () => {
  it('prices (work + PE + MP) x conversion factor x units with the non-facility PE in an office', () => {
    const estimate = estimateFees({ placeOfService: '11', lines: [line('a', '99213', [], 2)] }, reference);
    const perUnit = roundCents((1.3 + 1.28 + 0.1) * 32.3465);
    expect(estimate.lines[0]).toMatchObject({ amount: roundCents(perUnit * 2), priced: true, rvu: { pe: 1.28 } });
    expect(estimate.total).toBe(roundCents(perUnit * 2));
    expect(estimate.facility).toBe(false);
    expect(estimate.source).toBe('MPFS RVU 2025, conversion factor 2025 32.3465, non-facility');
  });

  it('uses the facility PE in a hospital', () => {
    const estimate = estimateFees({ placeOfService: '22', lines: [line('a', '99213')] }, reference);
    expect(estimate.lines[0]!.amount).toBe(roundCents((1.3 + 0.55 + 0.1) * 32.3465));
    expect(estimate.facility).toBe(true);
  });

  it('prices modifier 26 from its own row and 50 at 150% where the bilateral indicator is 1', () => {
    const estimate = estimateFees({ placeOfService: '11', lines: [line('a', '71046', ['26']), line('b', '20610', ['50'])] }, reference);
    expect(estimate.lines[0]).toMatchObject({ modifier: '26', amount: roundCents(0.31 * 32.3465) });
    expect(estimate.lines[1]!.amount).toBe(roundCents(roundCents(1.72 * 32.3465) * 1.5));
  });

  it('gives no amount for a status that is not paid, an unknown code or a Category II code', () => {
    const estimate = estimateFees({ placeOfService: '11', lines: [line('a', '36415'), line('b', '99499'), line('c', '3074F')] }, reference);
    expect(estimate.lines.map((l) => [l.amount, l.priced])).toEqual([
      [0, false],
      [0, false],
      [0, true],
    ]);
    expect(estimate.lines[0]!.note).toContain('Status X');
    expect(estimate.total).toBe(0);
  });
});

describe(reviewDollarImpact.name, () => {
  it('is the reviewed total minus the coder total, with dollar accuracy', () => {
    const impact = reviewDollarImpact([line('a', '99213'), line('b', '20610')], [line('a', '99213')], { placeOfService: '11' }, reference);
    const visit = roundCents(2.68 * 32.3465);
    const injection = roundCents(1.72 * 32.3465);
    expect(impact.coderTotal).toBe(roundCents(visit + injection));
    expect(impact.reviewedTotal).toBe(visit);
    expect(impact.impact).toBe(roundCents(-injection));
    expect(impact.dollarAccuracy).toBeCloseTo(1 - injection / visit, 6);
  });

  it('has no dollar accuracy when the reviewed amount is zero', () => {
    expect(reviewDollarImpact([line('a', '99213')], [], { placeOfService: '11' }, reference).dollarAccuracy).toBeNull();
  });
});
