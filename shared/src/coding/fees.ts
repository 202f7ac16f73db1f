import type { DollarImpact, EditsInput, EditsReference, FeeEstimate, FeeLine, FeeScheduleRow } from '../edits/edits.schema.js';
import { procedureCodeKind } from './formats.js';
import { placeOfService } from './place-of-service.js';

/** Fee schedule status codes paid from RVUs (active, restricted, therapy). */
const PRICED_STATUSES = new Set(['A', 'R', 'T']);

const STATUS_NOTES: Readonly<Record<string, string>> = {
  B: 'bundled into another service; not paid separately',
  C: 'priced by the Medicare contractor, not by RVUs',
  E: 'excluded from the fee schedule by regulation',
  I: 'not valid for Medicare; another code is used',
  J: 'anesthesia service, priced by base and time units',
  M: 'measurement code, no payment',
  N: 'not covered by Medicare',
  P: 'bundled or excluded; not paid separately',
  X: 'excluded by statute',
};

/** Modifiers that select their own fee schedule row. */
const PRICING_MODIFIERS = ['26', 'TC', '53'] as const;

type FeeReference = Pick<EditsReference, 'fees' | 'conversionFactor' | 'feeSource'>;

/** Rounds dollars to cents the way a fee schedule amount is published. */
export function roundCents(value: number): number {
  return Math.round((value + Number.EPSILON) * 100) / 100;
}

/** Index of fee schedule rows by `code` then modifier (`''` for the global row). */
export function feeRowsByCode(rows: readonly FeeScheduleRow[]): Map<string, Map<string, FeeScheduleRow>> {
  const byCode = new Map<string, Map<string, FeeScheduleRow>>();
  for (const row of rows) {
    let byModifier = byCode.get(row.code);
    if (!byModifier) byCode.set(row.code, (byModifier = new Map()));
    byModifier.set(row.modifier, row);
  }
  return byCode;
}

/**
 * Medicare fee estimate (DOMAIN.md section 4): per line (work + practice expense + malpractice
 * RVU) x conversion factor x units, the facility or non-facility practice expense by place of
 * service. Modifier 26 or TC prices the component's own row; modifier 50 on a code with
 * bilateral indicator 1 pays 150%. Geographic factors and multiple-procedure reductions are
 * left out: this is an estimate for review, not a remittance.
 */
export function estimateFees(input: Pick<EditsInput, 'placeOfService' | 'lines'>, reference: FeeReference): FeeEstimate {
  const facility = placeOfService(input.placeOfService)?.facility ?? false;
  const cf = reference.conversionFactor?.value ?? null;
  const rows = feeRowsByCode(reference.fees);
  const lines = input.lines.map((line): FeeLine => {
    const base = { lineId: line.id, code: line.code, units: line.units };
    if (procedureCodeKind(line.code) === 'CPT-II') {
      return { ...base, modifier: null, rvu: null, amount: 0, priced: true, note: 'Category II codes carry no charge', row: null };
    }
    const byModifier = rows.get(line.code);
    const modifier = PRICING_MODIFIERS.find((m) => line.modifiers.includes(m) && byModifier?.has(m)) ?? '';
    const row = byModifier?.get(modifier);
    if (!row) return { ...base, modifier: null, rvu: null, amount: 0, priced: false, note: 'Not in the fee schedule', row: null };
    const pe = facility ? row.facilityPeRvu : row.nonFacilityPeRvu;
    const rvu = { work: row.workRvu, pe, mp: row.mpRvu, total: roundCents(row.workRvu + pe + row.mpRvu) };
    if (!PRICED_STATUSES.has(row.status)) {
      const note = `Status ${row.status}: ${STATUS_NOTES[row.status] ?? 'not paid under the fee schedule'}`;
      return { ...base, modifier, rvu, amount: 0, priced: false, note, row: row.row };
    }
    if (cf === null) return { ...base, modifier, rvu, amount: 0, priced: false, note: 'No conversion factor is loaded for this year', row: row.row };
    const bilateral = line.modifiers.includes('50') && row.bilateral === '1';
    const perUnit = roundCents(rvu.total * cf);
    const amount = roundCents(perUnit * line.units * (bilateral ? 1.5 : 1));
    return { ...base, modifier, rvu, amount, priced: true, note: bilateral ? 'Bilateral: 150% of the fee' : null, row: row.row };
  });
  const feeSource = reference.feeSource;
  const cfSource = reference.conversionFactor;
  const source = [
    feeSource ? `MPFS RVU ${feeSource.edition}` : 'No fee schedule loaded',
    cfSource ? `conversion factor ${cfSource.year} ${cfSource.value}` : 'no conversion factor',
    facility ? 'facility' : 'non-facility',
  ].join(', ');
  return { facility, conversionFactor: cf, lines, total: roundCents(lines.reduce((sum, l) => sum + l.amount, 0)), source };
}

/**
 * The dollar impact of a review (DOMAIN.md sections 4 and 5): the reviewed lines' estimate minus
 * the coder's, and dollar accuracy = 1 - |impact| / reviewed amount.
 */
export function reviewDollarImpact(
  coderLines: EditsInput['lines'],
  reviewedLines: EditsInput['lines'],
  context: { placeOfService: string },
  reference: FeeReference,
): DollarImpact {
  const coder = estimateFees({ placeOfService: context.placeOfService, lines: coderLines }, reference);
  const reviewed = estimateFees({ placeOfService: context.placeOfService, lines: reviewedLines }, reference);
  const impact = roundCents(reviewed.total - coder.total);
  const dollarAccuracy = reviewed.total > 0 ? Math.max(0, 1 - Math.abs(impact) / reviewed.total) : null;
  return { coderTotal: coder.total, reviewedTotal: reviewed.total, impact, dollarAccuracy, coder, reviewed };
}
