import type {
  DollarImpact,
  EditsInput,
  EditsReference,
  FeeEstimate,
  FeeLine,
  FeeScheduleRow,
} from './edits.schema.js';
import { cptSections } from '../coding/code-sections.js';
import { procedureCodeKind } from '../coding/formats.js';
import { placeOfService } from '../coding/place-of-service.js';
import { ptpPairs } from './ptp.js';

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
  X: 'excluded from the physician fee schedule by statute',
};

/** Modifiers that select their own fee schedule row. */
const PRICING_MODIFIERS = ['26', 'TC', '53'] as const;

/** Multiple procedure indicator under which the standard reduction applies (100% highest, 50% each other). */
const MULTIPLE_PROCEDURE_STANDARD = '2';

export type FeeReference = Pick<
  EditsReference,
  | 'dateOfService'
  | 'fees'
  | 'conversionFactor'
  | 'feeSource'
  | 'ptp'
  | 'ptpSource'
  | 'mue'
  | 'clfs'
  | 'clfsSource'
  | 'coverage'
>;

/** Rounds dollars to cents the way a fee schedule amount is published. */
export function roundCents(value: number): number {
  return Math.round((value + Number.EPSILON) * 100) / 100;
}

/** Index of fee schedule rows by `code` then modifier (`''` for the global row). */
export function feeRowsByCode(
  rows: readonly FeeScheduleRow[],
): Map<string, Map<string, FeeScheduleRow>> {
  const byCode = new Map<string, Map<string, FeeScheduleRow>>();
  for (const row of rows) {
    let byModifier = byCode.get(row.code);
    if (!byModifier) byCode.set(row.code, (byModifier = new Map<string, FeeScheduleRow>()));
    byModifier.set(row.modifier, row);
  }
  return byCode;
}

/** A lab test by number: CPT Pathology and Laboratory, or a proprietary lab analysis (PLA). */
function isLabCode(code: string): boolean {
  return (
    procedureCodeKind(code) === 'CPT-PLA' || cptSections(code).includes('Pathology and Laboratory')
  );
}

/** The year an edition is for: `2025`, `demo-2025`, `2026Q1`, else its effective date's year. */
function editionYear(edition: string, effectiveDate: string | null): number | null {
  const year = /(?:^|\D)((?:19|20)\d{2})(?!\d)/.exec(edition);
  if (year) return Number(year[1]);
  return effectiveDate ? Number(effectiveDate.slice(0, 4)) : null;
}

type Priced = FeeLine & { multProc: string | null };

/**
 * Medicare fee estimate (docs/domain.md section 4), the one pricing function behind the chart total
 * and the review's dollar impact. Per line: (work + practice expense + malpractice RVU) x
 * conversion factor x units, the facility or non-facility PE by place of service (the facility
 * PE where the non-facility one is NA); modifier 26
 * or TC prices the component's own row. Then the payment rules, each named on the line:
 * - a column-2 line of an indicator-0 NCCI PTP edit, and a code whose MUE is 0, pay $0 (denied);
 * - modifier 50 follows the bilateral indicator: 1 pays 150%, 3 pays 100% a side (200%), and
 *   where 50 is not allowed (0, 2, 9) the line is priced once with no uplift;
 * - multiple procedure indicator 2: the highest-valued unit pays 100%, every other unit of an
 *   indicator-2 line 50% (ranked by the fee per unit after the bilateral rule);
 * - status X and lab codes are paid under the clinical lab fee schedule: its rate when loaded.
 * Geographic factors are left out: this is an estimate for review, not a remittance.
 */
export function estimateFees(
  input: Pick<EditsInput, 'placeOfService' | 'lines'>,
  reference: FeeReference,
): FeeEstimate {
  const facility = placeOfService(input.placeOfService)?.facility ?? false;
  const cf = reference.conversionFactor?.value ?? null;
  const rows = feeRowsByCode(reference.fees);
  const denied = deniedLines(input, reference);

  const priced = input.lines.map((line): Priced => {
    const base = { lineId: line.id, code: line.code, units: line.units, multProc: null };
    const unpaid = (note: string, extra: Partial<Priced> = {}): Priced => ({
      ...base,
      modifier: null,
      rvu: null,
      amount: 0,
      baseAmount: 0,
      outcome: 'not-paid',
      priced: false,
      note,
      row: null,
      ...extra,
    });
    if (procedureCodeKind(line.code) === 'CPT-II')
      return unpaid('Category II codes carry no charge', { priced: true });
    const byModifier = rows.get(line.code);
    const modifier =
      PRICING_MODIFIERS.find((m) => line.modifiers.includes(m) && byModifier?.has(m)) ?? '';
    const row = byModifier?.get(modifier);
    if (!row) {
      const lab = clfsPrice(line, reference);
      if (lab) return lab;
      return unpaid(
        isLabCode(line.code)
          ? 'Lab test: paid under the clinical lab fee schedule, which is not loaded'
          : 'Not in the fee schedule',
      );
    }
    const naHere = !facility && row.nonFacilityNa === true;
    const pe = facility || naHere ? row.facilityPeRvu : row.nonFacilityPeRvu;
    const rvu = {
      work: row.workRvu,
      pe,
      mp: row.mpRvu,
      total: roundCents(row.workRvu + pe + row.mpRvu),
    };
    if (!PRICED_STATUSES.has(row.status)) {
      const lab = clfsPrice(line, reference);
      if (lab) return { ...lab, rvu, row: row.row };
      const note = `Status ${row.status}: ${STATUS_NOTES[row.status] ?? 'not paid under the fee schedule'}`;
      const clfs =
        row.status === 'X' || isLabCode(line.code)
          ? '; a lab test is paid under the clinical lab fee schedule (not loaded)'
          : '';
      return unpaid(note + clfs, { modifier, rvu, row: row.row });
    }
    if (cf === null)
      return unpaid('No conversion factor is loaded for this year', {
        modifier,
        rvu,
        row: row.row,
      });
    const perUnit = roundCents(rvu.total * cf);
    const full = roundCents(perUnit * line.units);
    const bilateral = bilateralRule(line.modifiers.includes('50'), row.bilateral);
    const amount = roundCents(full * bilateral.factor);
    const note =
      [naHere ? 'No non-facility rate (NA): paid at the facility rate' : null, bilateral.note]
        .filter(Boolean)
        .join('; ') || null;
    return {
      ...base,
      modifier,
      rvu,
      amount,
      baseAmount: full,
      outcome: bilateral.factor > 1 ? 'increased' : 'paid',
      priced: true,
      note,
      row: row.row,
      multProc: row.multProc,
    };
  });

  for (const line of priced) {
    const reason = denied.get(line.lineId);
    if (reason && line.priced) Object.assign(line, { amount: 0, outcome: 'denied', note: reason });
    else if (reason) Object.assign(line, { note: [line.note, reason].filter(Boolean).join('; ') });
  }
  reduceMultipleProcedures(priced);

  const lines = priced.map(({ multProc: _m, ...line }) => line);
  const feeSource = reference.feeSource;
  const cfSource = reference.conversionFactor;
  const source = [
    feeSource ? `MPFS RVU ${feeSource.edition}` : 'No fee schedule loaded',
    cfSource ? `conversion factor ${cfSource.year} ${cfSource.value}` : 'no conversion factor',
    facility ? 'facility' : 'non-facility',
  ].join(', ');
  return {
    facility,
    conversionFactor: cf,
    lines,
    total: roundCents(lines.reduce((sum, l) => sum + l.amount, 0)),
    source,
    rvuEdition: feeSource?.edition ?? null,
    conversionFactorYear: cfSource?.year ?? null,
    warnings: feeWarnings(reference),
  };
}

/** Lines denied by an indicator-0 PTP edit (the column-2 line) or an MUE of 0, with the reason. */
function deniedLines(
  input: Pick<EditsInput, 'lines'>,
  reference: FeeReference,
): Map<string, string> {
  const reasons = new Map<string, string>();
  const never = {
    ptp: reference.ptp.filter((e) => e.modifierIndicator === 0),
    ptpSource: reference.ptpSource,
  };
  for (const { edit, second } of ptpPairs(
    { dateOfService: reference.dateOfService, lines: input.lines },
    never,
  )) {
    if (!reasons.has(second.id)) {
      reasons.set(
        second.id,
        `Denied: NCCI PTP edit ${edit.column1} / ${edit.column2} (modifier indicator 0), ${edit.column2} is not paid with ${edit.column1}`,
      );
    }
  }
  for (const line of input.lines) {
    if (reference.mue[line.code]?.value === 0 && !reasons.has(line.id)) {
      reasons.set(line.id, `Denied: MUE 0, ${line.code} is not payable on a practitioner claim`);
    }
  }
  return reasons;
}

function bilateralRule(has50: boolean, indicator: string): { factor: number; note: string | null } {
  if (!has50) return { factor: 1, note: null };
  if (indicator === '1') return { factor: 1.5, note: 'Bilateral (indicator 1): 150% of the fee' };
  if (indicator === '3') return { factor: 2, note: 'Bilateral (indicator 3): 100% for each side' };
  return {
    factor: 1,
    note: `Modifier 50 is not allowed (bilateral indicator ${indicator}): priced once, no bilateral adjustment`,
  };
}

/**
 * Multiple procedure indicator 2: rank every unit of the chart's indicator-2 lines by fee, pay
 * the highest 100% and every other one 50%.
 */
function reduceMultipleProcedures(lines: Priced[]): void {
  const eligible = lines.filter(
    (l) => l.multProc === MULTIPLE_PROCEDURE_STANDARD && l.outcome !== 'denied' && l.amount > 0,
  );
  const units = eligible.reduce((sum, l) => sum + l.units, 0);
  if (units < 2) return;
  const perUnit = (l: Priced) => l.amount / l.units;
  const ranked = [...eligible].sort((a, b) => perUnit(b) - perUnit(a));
  ranked.forEach((line, rank) => {
    const before = line.amount;
    const paidUnits = rank === 0 ? 1 + 0.5 * (line.units - 1) : 0.5 * line.units;
    line.amount = roundCents(perUnit(line) * paidUnits);
    if (line.amount === before) return;
    line.outcome = 'reduced';
    const what =
      rank === 0
        ? `highest-valued procedure: 100% for the first unit, 50% for the other ${line.units - 1}`
        : `multiple procedure reduction: 50% (ranked ${rank + 1} of ${ranked.length} by fee)`;
    line.note = [line.note, `Multiple procedures (indicator 2), ${what}`]
      .filter(Boolean)
      .join('; ');
  });
}

/** A lab line priced from the clinical lab fee schedule, when its rate is loaded. */
function clfsPrice(line: EditsInput['lines'][number], reference: FeeReference): Priced | null {
  const rates = reference.clfs[line.code];
  const rate =
    rates?.find((r) => line.modifiers.includes(r.modifier)) ??
    rates?.find((r) => r.modifier === '');
  if (!rate || !reference.clfsSource) return null;
  const amount = roundCents(rate.rate * line.units);
  return {
    lineId: line.id,
    code: line.code,
    units: line.units,
    modifier: rate.modifier || null,
    rvu: null,
    amount,
    baseAmount: amount,
    outcome: 'paid',
    priced: true,
    note: `Clinical lab fee schedule ${reference.clfsSource.edition}: $${rate.rate.toFixed(2)} a unit`,
    row: rate.row,
    multProc: null,
  };
}

/** What the figures rest on when it is not the date of service's own year. */
function feeWarnings(reference: FeeReference): string[] {
  const warnings: string[] = [];
  const year = Number(reference.dateOfService.slice(0, 4));
  const rvu = reference.feeSource;
  if (rvu) {
    const rvuYear = editionYear(rvu.edition, rvu.effectiveDate);
    const nearest = reference.coverage.some((c) => c.key === 'RVU' && c.status === 'not-covered');
    if (nearest)
      warnings.push(
        `No loaded RVU edition covers ${reference.dateOfService}: priced with the nearest, ${rvu.edition}.`,
      );
    else if (rvuYear !== null && rvuYear !== year)
      warnings.push(
        `Priced with the ${rvuYear} RVUs (edition ${rvu.edition}); no ${year} RVU edition is loaded.`,
      );
  }
  const cf = reference.conversionFactor;
  if (cf && cf.year !== year)
    warnings.push(
      `Conversion factor of ${cf.year} (${cf.value}) used; none is loaded for ${year}.`,
    );
  return warnings;
}

/**
 * The dollar impact of a review (docs/domain.md section 4.8): the reviewed lines' estimate minus
 * the coder's, both by `estimateFees`, and dollar accuracy = 1 - |impact| / reviewed amount.
 */
export function reviewDollarImpact(
  coderLines: EditsInput['lines'],
  reviewedLines: EditsInput['lines'],
  context: { placeOfService: string },
  reference: FeeReference,
): DollarImpact {
  const coder = estimateFees(
    { placeOfService: context.placeOfService, lines: coderLines },
    reference,
  );
  const reviewed = estimateFees(
    { placeOfService: context.placeOfService, lines: reviewedLines },
    reference,
  );
  const impact = roundCents(reviewed.total - coder.total);
  const dollarAccuracy =
    reviewed.total > 0 ? Math.max(0, 1 - Math.abs(impact) / reviewed.total) : null;
  return {
    coderTotal: coder.total,
    reviewedTotal: reviewed.total,
    impact,
    dollarAccuracy,
    coder,
    reviewed,
  };
}
