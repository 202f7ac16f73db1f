import type { DollarImpact, EditsLine, Finding } from '../edits/edits.schema.js';
import { needsAcknowledgement } from '../edits/edits.schema.js';
import { reviewDollarImpact, type FeeReference } from '../edits/fees.js';
import { DIAGNOSIS_LETTERS, normalizeCode } from '../coding/formats.js';
import { codeFamily, measure, type Measure } from '../quality/accuracy.js';
import type { Acknowledgement } from '../review/review-state.schema.js';

/**
 * Scoring a trainee's coding of a practice chart against its answer key (docs/agreement.md),
 * pure, so the room can show the same score the server records. Each key line is matched to at
 * most one trainee line, then judged on four elements: code, modifiers, units and diagnosis
 * pointers (compared by diagnosis code, since the trainee may list the diagnoses in another order).
 */

/** One line of the answer key: what should be billed, and why. */
export interface PracticeKeyLine extends EditsLine {
  explanation: string;
}

export interface PracticeAnswerKey {
  /** The key's diagnoses, in the order its pointers' letters refer to. */
  diagnoses: readonly string[];
  lines: readonly PracticeKeyLine[];
}

export interface PracticeAttempt {
  diagnoses: readonly string[];
  lines: readonly EditsLine[];
}

export interface PracticeContext {
  placeOfService: string;
  /** The fee data of the chart's date of service, as for the chart itself. */
  fees: FeeReference;
  /** The findings of the trainee's lines, from the edits engine. */
  findings: readonly Finding[];
  acknowledgements: readonly Pick<Acknowledgement, 'findingId'>[];
}

/** A line as scored: codes normalised, pointers as diagnosis codes. */
export interface PracticeLine {
  id: string;
  code: string;
  modifiers: string[];
  units: number;
  /**
   * The diagnosis codes the line points at, in pointer order. A pointer to a letter with no
   * diagnosis behind it stays as its letter (`D`), so it can never match a code.
   */
  pointers: string[];
}

export interface PracticeLineScore {
  key: PracticeLine;
  /** The trainee line matched to this key line; null when they missed it. */
  attempt: PracticeLine | null;
  verdict: 'right' | 'differs' | 'missed';
  code: 'right' | 'wrong' | 'missing';
  modifiers: { right: boolean; missing: string[]; extra: string[] };
  units: { right: boolean };
  pointers: { right: boolean; missing: string[]; extra: string[] };
  /** How many of the four elements (code, modifiers, units, pointers) are right: 0 for a missed line. */
  right: number;
  /** The answer key's explanation of the line. */
  explanation: string;
  /** The key line's fee, and the matched trainee line's (null when missed), after the payment rules of each claim. */
  keyAmount: number;
  attemptAmount: number | null;
}

export interface PracticeExtraLine extends PracticeLine {
  amount: number;
}

export interface PracticeScore {
  /** One per key line, in key order. */
  lines: PracticeLineScore[];
  /** Trainee lines matched to no key line, in the trainee's order. */
  extraLines: PracticeExtraLine[];
  /**
   * Share of elements right. Every key line and every extra line has four elements (code,
   * modifiers, units, pointers): numerator = elements right on matched key lines; denominator =
   * 4 x (key lines + extra lines). A missed line and an extra line each cost four, a wrong code
   * one. Null when both are empty. Ignored findings and dollars are reported beside it, not in it.
   */
  score: Measure;
  /** The key's estimate against the trainee's: `impact` = key total - trainee total (+ = left unbilled). */
  dollars: DollarImpact;
  /** Error findings on the trainee's lines, and warnings they did not acknowledge (data notices neither). */
  ignoredFindings: { errors: Finding[]; unacknowledgedWarnings: Finding[] };
}

const ELEMENTS_PER_LINE = 4;

/** A line as compared: code normalised, modifiers upper-case, pointers as diagnosis codes. */
export function scoredLine(line: EditsLine, diagnoses: readonly string[]): PracticeLine {
  return {
    id: line.id,
    code: normalizeCode(line.code),
    modifiers: line.modifiers.map((m) => m.trim().toUpperCase()),
    units: line.units,
    pointers: line.pointers.map((letter) => {
      const diagnosis = diagnoses[DIAGNOSIS_LETTERS.indexOf(letter)];
      return diagnosis === undefined ? letter : normalizeCode(diagnosis);
    }),
  };
}

/** What is in `a` and not in `b`, in `a`'s order. */
function without(a: readonly string[], b: readonly string[]): string[] {
  return a.filter((x) => !b.includes(x));
}

function shared(a: readonly string[], b: readonly string[]): number {
  return a.filter((x) => b.includes(x)).length;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}

/** How a trainee line differs from a key line, element by element. */
export interface Comparison {
  codeRight: boolean;
  modifiers: { right: boolean; missing: string[]; extra: string[] };
  unitsRight: boolean;
  pointers: { right: boolean; missing: string[]; extra: string[] };
  /** Elements right, of the four. */
  right: number;
}

function compare(key: PracticeLine, given: PracticeLine): Comparison {
  const difference = (k: readonly string[], g: readonly string[]) => {
    const missing = without(k, g);
    const extra = without(g, k);
    return { right: missing.length + extra.length === 0, missing, extra };
  };
  const codeRight = key.code === given.code;
  const modifiers = difference(key.modifiers, given.modifiers);
  const unitsRight = key.units === given.units;
  const pointers = difference(key.pointers, given.pointers);
  const right = [codeRight, modifiers.right, unitsRight, pointers.right].filter(Boolean).length;
  return { codeRight, modifiers, unitsRight, pointers, right };
}

/**
 * Which key and trainee lines are the same service. Candidates: the same code, or a neighbouring
 * code (the same code family and either the same first two characters or a shared diagnosis).
 * Pairs are taken greedily: same code first, then the most elements right, then the most overlap
 * (code prefix + shared pointers + shared modifiers), then key order, then trainee order. An
 * exact copy of a key line is therefore always matched to it (swapping it into any other
 * matching loses no element: the four elements obey the triangle inequality). Blind double
 * coding's reconciliation pairs the two coders' lines with it too (first coding as `key`).
 */
export function matchLines(
  key: readonly PracticeLine[],
  attempt: readonly PracticeLine[],
): Map<number, { a: number; comparison: Comparison }> {
  const candidates: {
    k: number;
    a: number;
    sameCode: boolean;
    overlap: number;
    comparison: Comparison;
  }[] = [];
  key.forEach((kl, k) =>
    attempt.forEach((al, a) => {
      const sameCode = kl.code === al.code;
      const pointers = shared(kl.pointers, al.pointers);
      const prefix = commonPrefix(kl.code, al.code);
      const neighbour =
        codeFamily(kl.code) === codeFamily(al.code) && (prefix >= 2 || pointers > 0);
      if (!sameCode && !neighbour) return;
      const overlap = prefix + pointers + shared(kl.modifiers, al.modifiers);
      candidates.push({ k, a, sameCode, overlap, comparison: compare(kl, al) });
    }),
  );
  candidates.sort(
    (x, y) =>
      Number(y.sameCode) - Number(x.sameCode) ||
      y.comparison.right - x.comparison.right ||
      y.overlap - x.overlap ||
      x.k - y.k ||
      x.a - y.a,
  );
  const matched = new Map<number, { a: number; comparison: Comparison }>();
  const taken = new Set<number>();
  for (const { k, a, comparison } of candidates) {
    if (matched.has(k) || taken.has(a)) continue;
    matched.set(k, { a, comparison });
    taken.add(a);
  }
  return matched;
}

/**
 * Scores a trainee's lines against the answer key: per key line what is right, wrong or missing,
 * the lines they added, the dollars, and the findings they ignored. See `PracticeScore.score` for
 * the overall figure.
 */
export function scorePractice(
  answerKey: PracticeAnswerKey,
  attempt: PracticeAttempt,
  context: PracticeContext,
): PracticeScore {
  const key = answerKey.lines.map((l) => scoredLine(l, answerKey.diagnoses));
  const given = attempt.lines.map((l) => scoredLine(l, attempt.diagnoses));
  const matched = matchLines(key, given);
  const dollars = reviewDollarImpact(
    [...attempt.lines],
    [...answerKey.lines],
    { placeOfService: context.placeOfService },
    context.fees,
  );
  const amount = (lines: DollarImpact['coder']['lines'], id: string) =>
    lines.find((l) => l.lineId === id)?.amount ?? 0;

  const lines = key.map((k, i): PracticeLineScore => {
    const explanation = answerKey.lines[i]!.explanation;
    const keyAmount = amount(dollars.reviewed.lines, k.id);
    const match = matched.get(i);
    if (!match)
      return {
        key: k,
        attempt: null,
        verdict: 'missed',
        code: 'missing',
        modifiers: { right: false, missing: k.modifiers, extra: [] },
        units: { right: false },
        pointers: { right: false, missing: k.pointers, extra: [] },
        right: 0,
        explanation,
        keyAmount,
        attemptAmount: null,
      };
    const a = given[match.a]!;
    const { codeRight, modifiers, unitsRight, pointers, right } = match.comparison;
    return {
      key: k,
      attempt: a,
      verdict: right === ELEMENTS_PER_LINE ? 'right' : 'differs',
      code: codeRight ? 'right' : 'wrong',
      modifiers,
      units: { right: unitsRight },
      pointers,
      right,
      explanation,
      keyAmount,
      attemptAmount: amount(dollars.coder.lines, a.id),
    };
  });

  const used = new Set([...matched.values()].map((m) => m.a));
  const extraLines = given
    .filter((_, a) => !used.has(a))
    .map((line) => ({ ...line, amount: amount(dollars.coder.lines, line.id) }));

  const numerator = lines.reduce((sum, l) => sum + l.right, 0);
  const denominator = ELEMENTS_PER_LINE * (key.length + extraLines.length);
  const acknowledged = new Set(context.acknowledgements.map((a) => a.findingId));
  return {
    lines,
    extraLines,
    score: measure(numerator, denominator),
    dollars,
    ignoredFindings: {
      errors: context.findings.filter((f) => f.severity === 'error'),
      unacknowledgedWarnings: context.findings.filter(
        (f) => needsAcknowledgement(f) && !acknowledged.has(f.id),
      ),
    },
  };
}
