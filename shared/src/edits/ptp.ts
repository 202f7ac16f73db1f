import type { EditsInput, EditsLine, EditsReference, PtpEdit } from './edits.schema.js';
import { isEvaluationAndManagement } from '../coding/code-sections.js';

/**
 * NCCI procedure-to-procedure pairs on one chart and what each pair's lines may do about it
 * (docs/domain.md section 3.3), shared by the findings and the fee estimate so both read a pair the
 * same way: indicator 0 denies the column-2 line; indicator 1 is bypassed only by a modifier
 * that fits the column-2 code.
 */

/** Modifiers that bypass an edit whose column-2 code is an E/M service: a separate E/M (25), the decision for surgery (57). */
export const PTP_EM_BYPASS_MODIFIERS: readonly string[] = ['25', '57'];

/** Modifiers that bypass an edit whose column-2 code is a procedure: a distinct service, session or encounter. */
export const PTP_PROCEDURE_BYPASS_MODIFIERS: readonly string[] = [
  '59',
  'XE',
  'XP',
  'XS',
  'XU',
  '24',
  '27',
  '58',
  '78',
  '79',
  '91',
];

/**
 * Anatomic modifiers, by the body area they name a site in: they bypass an edit only when the two
 * lines name different sites of one area (RT and LT, F1 and F2), never the same site on both.
 */
export const ANATOMIC_MODIFIER_GROUPS: Readonly<Record<string, readonly string[]>> = {
  side: ['LT', 'RT'],
  finger: ['FA', 'F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9'],
  toe: ['TA', 'T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9'],
  eyelid: ['E1', 'E2', 'E3', 'E4'],
  coronary: ['LC', 'LD', 'LM', 'RC', 'RI'],
};

const ANATOMIC = new Map(
  Object.entries(ANATOMIC_MODIFIER_GROUPS).flatMap(([group, mods]) =>
    mods.map((m) => [m, group] as const),
  ),
);

/** Every modifier CMS lists as NCCI-associated (any of them may bypass some pair). */
export const PTP_BYPASS_MODIFIERS: ReadonlySet<string> = new Set([
  ...PTP_EM_BYPASS_MODIFIERS,
  ...PTP_PROCEDURE_BYPASS_MODIFIERS,
  ...ANATOMIC.keys(),
]);

export type PtpOutcome =
  | { kind: 'denied' }
  | { kind: 'bypassed'; modifier: string }
  | { kind: 'needs-modifier'; advice: string; notBypass: string | null };

export interface PtpPair {
  edit: PtpEdit;
  first: EditsLine;
  second: EditsLine;
  outcome: PtpOutcome;
}

export function ptpInEffect(
  edit: Pick<PtpEdit, 'effectiveDate' | 'deletionDate'>,
  date: string,
): boolean {
  return (
    (edit.effectiveDate === null || edit.effectiveDate <= date) &&
    (edit.deletionDate === null || edit.deletionDate >= date)
  );
}

/** The anatomic sites a line names, as `group:modifier`. */
function sites(line: EditsLine): string[] {
  return line.modifiers.filter((m) => ANATOMIC.has(m)).map((m) => `${ANATOMIC.get(m)}:${m}`);
}

/** True when both lines name a site of one body area and the sites differ (RT and LT). */
function differentSites(first: EditsLine, second: EditsLine): string | null {
  const a = sites(first);
  for (const site of sites(second)) {
    const group = site.split(':')[0]!;
    const mine = a.filter((s) => s.startsWith(`${group}:`));
    if (mine.length && !mine.includes(site)) return site.split(':')[1]!;
  }
  return null;
}

/** What the column-2 line's modifiers do to an indicator-1 edit. */
function outcomeOf(first: EditsLine, second: EditsLine): PtpOutcome {
  if (isEvaluationAndManagement(second.code)) {
    const bypass = second.modifiers.find((m) => PTP_EM_BYPASS_MODIFIERS.includes(m));
    if (bypass) return { kind: 'bypassed', modifier: bypass };
    const wrong =
      second.modifiers.find((m) => PTP_PROCEDURE_BYPASS_MODIFIERS.includes(m) || ANATOMIC.has(m)) ??
      null;
    return {
      kind: 'needs-modifier',
      advice: `25 on ${second.code} for a significant, separately identifiable E/M, or 57 when it is the decision for a 90-day-global surgery`,
      notBypass: wrong,
    };
  }
  const bypass = second.modifiers.find((m) => PTP_PROCEDURE_BYPASS_MODIFIERS.includes(m));
  if (bypass) return { kind: 'bypassed', modifier: bypass };
  const site = differentSites(first, second);
  if (site) return { kind: 'bypassed', modifier: site };
  const sameSite =
    second.modifiers.find((m) => ANATOMIC.has(m)) ??
    second.modifiers.find((m) => PTP_EM_BYPASS_MODIFIERS.includes(m)) ??
    null;
  return {
    kind: 'needs-modifier',
    advice: `59 or an X modifier (XE, XS, XP, XU) on ${second.code} when the services are distinct, or anatomic modifiers naming a different site on each line (RT and LT, F1 and F2)`,
    notBypass: sameSite,
  };
}

/** Every PTP edit in effect on the date of service between two lines of the chart, with its outcome. */
export function ptpPairs(
  input: Pick<EditsInput, 'dateOfService' | 'lines'>,
  reference: Pick<EditsReference, 'ptp' | 'ptpSource'>,
): PtpPair[] {
  if (!reference.ptpSource) return [];
  const byCode = new Map<string, EditsLine[]>();
  for (const line of input.lines) byCode.set(line.code, [...(byCode.get(line.code) ?? []), line]);
  const pairs: PtpPair[] = [];
  for (const edit of reference.ptp) {
    if (edit.modifierIndicator === 9 || !ptpInEffect(edit, input.dateOfService)) continue;
    const firsts = byCode.get(edit.column1);
    const seconds = byCode.get(edit.column2);
    if (!firsts || !seconds) continue;
    for (const first of firsts) {
      for (const second of seconds) {
        if (first === second) continue;
        pairs.push({
          edit,
          first,
          second,
          outcome: edit.modifierIndicator === 0 ? { kind: 'denied' } : outcomeOf(first, second),
        });
      }
    }
  }
  return pairs;
}
