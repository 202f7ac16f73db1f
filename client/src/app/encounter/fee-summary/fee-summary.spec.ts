import { makeEdits, makeEncounter, makeFees, makeLine } from '../../../testing/encounter-fixtures';
import { RoomHarness } from '../../../testing/room-harness';
import type { FeeEstimate } from '@countersign/shared';
import { FeeSummary } from './fee-summary';
import { formatDifference } from './money';

describe(FeeSummary.name, () => {
  const visit = makeLine({ code: '99213' });
  const drug = makeLine({ code: 'J1100' });
  const encounter = makeEncounter({ version: 4, status: 'in_review', lines: [visit, drug] });
  const fees: FeeEstimate = makeFees({
    conversionFactor: 32.3465,
    total: 92.18,
    source: 'MPFS RVU 2025, conversion factor 2025 32.3465, non-facility',
    lines: [
      {
        lineId: visit.id,
        code: '99213',
        units: 1,
        modifier: '',
        rvu: { work: 1.3, pe: 1.42, mp: 0.13, total: 2.85 },
        amount: 92.18,
        baseAmount: 92.18,
        outcome: 'paid',
        priced: true,
        note: null,
        row: 9102,
      },
      {
        lineId: drug.id,
        code: 'J1100',
        units: 1,
        modifier: null,
        rvu: null,
        amount: 0,
        baseAmount: 0,
        outcome: 'not-paid',
        priced: false,
        note: 'Not in the fee schedule (status E)',
        row: null,
      },
    ],
  });

  it('shows each line’s fee, a dash with the reason for an unpriced line, and the chart total with its source', async () => {
    const room = await RoomHarness.open(encounter, 'reviewer', undefined, makeEdits(4, { fees }));
    expect(room.text(room.one('line-fee', room.row(visit.id)))).toBe('$92.18');
    const unpriced = room.one('line-fee', room.row(drug.id));
    expect(room.text(unpriced)).toBe('—');
    expect(unpriced.querySelector('[aria-label]')?.getAttribute('aria-label')).toBe(
      'Not priced: Not in the fee schedule (status E)',
    );
    expect(room.text(room.one('fee-total-amount'))).toBe('$92.18');
    expect(room.text(room.one('fee-total'))).toContain('1 line not priced');
    expect(room.text(room.one('fee-source'))).toBe(
      'MPFS RVU 2025, conversion factor 2025 32.3465, non-facility',
    );
    expect(room.one('dollar-impact')).toBeNull();
  });

  it('shows the dollar impact of the review once there is one', async () => {
    const impact = {
      coderTotal: 150,
      reviewedTotal: 92.18,
      impact: -57.82,
      dollarAccuracy: 0.3727,
      coder: fees,
      reviewed: fees,
    };
    const room = await RoomHarness.open(
      encounter,
      'reviewer',
      undefined,
      makeEdits(4, { fees, impact }),
    );
    expect(room.text(room.one('dollar-impact').querySelector('.flow'))).toBe('$150.00→$92.18');
    expect(room.text(room.one('dollar-impact-difference'))).toBe('−$57.82');
    expect(room.text(room.one('dollar-accuracy'))).toBe('Dollar accuracy 37.3%');
    expect(room.one('dollar-impact-difference').classList).toContain('difference--down');
  });

  it('lists the lines a payment rule changed, with the reason, and warns when the RVU year is not the date of service year', async () => {
    const injection = makeLine({ code: '20610' });
    const chart = makeEncounter({ version: 4, status: 'in_review', lines: [visit, injection] });
    const denied: FeeEstimate = makeFees({
      conversionFactor: 33.4009,
      total: 92.18,
      source: 'MPFS RVU 2025, conversion factor 2026 33.4009, non-facility',
      rvuEdition: '2025',
      conversionFactorYear: 2026,
      warnings: ['Priced with the 2025 RVUs (edition 2025); no 2026 RVU edition is loaded.'],
      lines: [
        {
          lineId: visit.id,
          code: '99213',
          units: 1,
          modifier: '',
          rvu: { work: 1.3, pe: 1.42, mp: 0.13, total: 2.85 },
          amount: 92.18,
          baseAmount: 92.18,
          outcome: 'paid',
          priced: true,
          note: null,
          row: 9102,
        },
        {
          lineId: injection.id,
          code: '20610',
          units: 1,
          modifier: '',
          rvu: { work: 0.79, pe: 0.84, mp: 0.09, total: 1.72 },
          amount: 0,
          baseAmount: 57.45,
          outcome: 'denied',
          priced: true,
          note: 'Denied: NCCI PTP edit 99213 / 20610 (modifier indicator 0), 20610 is not paid with 99213',
          row: 77,
        },
      ],
    });
    const room = await RoomHarness.open(
      chart,
      'reviewer',
      undefined,
      makeEdits(4, { fees: denied }),
    );
    expect(room.text(room.one('fee-warnings'))).toContain('Priced with the 2025 RVUs');
    const rows = room.all('fee-adjustment');
    expect(rows.map((r) => r.getAttribute('data-outcome'))).toEqual(['denied']);
    expect(room.text(rows[0]!)).toContain('Line 2 20610');
    expect(room.text(rows[0]!)).toContain('$57.45');
    expect(room.text(room.one('fee-adjustment-reason', rows[0]))).toContain(
      'Denied: NCCI PTP edit 99213 / 20610',
    );
  });

  it('shows no warning and no adjustment list when every line is paid in full from the date of service year', async () => {
    const room = await RoomHarness.open(
      encounter,
      'reviewer',
      undefined,
      makeEdits(4, { fees: makeFees({ total: 92.18, lines: [fees.lines[0]!] }) }),
    );
    expect(room.one('fee-warnings')).toBeNull();
    expect(room.one('fee-adjustments')).toBeNull();
  });

  it('writes a difference with its sign', () => {
    expect(formatDifference(12.4)).toBe('+$12.40');
    expect(formatDifference(-1234.5)).toBe('−$1,234.50');
    expect(formatDifference(0.001)).toBe('$0.00');
  });
});
