import type { EditsLine, FeeScheduleRow, Finding } from '../edits/edits.schema.js';
import type { FeeReference } from '../edits/fees.js';
import { emptyEditsReference } from '../edits/edits.js';
import fc from 'fast-check';
import { DIAGNOSIS_LETTERS, type DiagnosisLetter } from '../coding/formats.js';
import {
  scorePractice,
  type PracticeAnswerKey,
  type PracticeAttempt,
  type PracticeContext,
} from './scoring.js';

/** A fee schedule row worth `total` RVUs; with a conversion factor of 10, `total` x $10 a unit. */
function row(code: string, total: number): FeeScheduleRow {
  return {
    code,
    modifier: '',
    status: 'A',
    workRvu: total,
    nonFacilityPeRvu: 0,
    facilityPeRvu: 0,
    mpRvu: 0,
    pctc: '0',
    globalDays: 'XXX',
    bilateral: '0',
    multProc: '0',
    row: 1,
  };
}

const source = { dataset: 'MPFS RVU', edition: '2025', file: null, effectiveDate: '2025-01-01' };
/** 99213 $30, 99214 $40, 20610 $20, 20611 $25, 96372 $5; J3301 is in no schedule here ($0). */
const fees: FeeReference = {
  ...emptyEditsReference('2025-06-02'),
  fees: [row('99213', 3), row('99214', 4), row('20610', 2), row('20611', 2.5), row('96372', 0.5)],
  conversionFactor: { year: 2025, value: 10, source: { ...source, dataset: 'MPFS CF' } },
  feeSource: source,
};
const context: PracticeContext = { placeOfService: '11', fees, findings: [], acknowledgements: [] };

const line = (
  id: string,
  code: string,
  modifiers: string[],
  units: number,
  pointers: DiagnosisLetter[],
): EditsLine => ({ id, code, modifiers, units, pointers });

/** An established patient's visit with a right-knee steroid injection: $50. */
const key: PracticeAnswerKey = {
  diagnoses: ['M1711', 'E119'],
  lines: [
    {
      ...line('k1', '99213', ['25'], 1, ['A', 'B']),
      explanation: 'Low-complexity visit; 25 because the visit stands apart from the injection',
    },
    {
      ...line('k2', '20610', ['RT'], 1, ['A']),
      explanation: 'Major joint injection, right knee, without ultrasound guidance',
    },
    {
      ...line('k3', 'J3301', [], 4, ['A']),
      explanation: 'Triamcinolone 40 mg: four units of 10 mg',
    },
  ],
};

/** The trainee lists the diagnoses the other way round: their A is the key's B. */
const diagnoses = ['E119', 'M1711'];
const right = () => [
  line('t1', '99213', ['25'], 1, ['B', 'A']),
  line('t2', '20610', ['RT'], 1, ['B']),
  line('t3', 'J3301', [], 4, ['B']),
];
const attempt = (lines: EditsLine[]): PracticeAttempt => ({ diagnoses, lines });

describe(scorePractice.name, () => {
  it('all right: 12 of 12, pointers compared by diagnosis code whatever their letters, no dollar difference', () => {
    const score = scorePractice(key, attempt(right()), context);
    expect(score.lines.map((l) => [l.key.code, l.verdict, l.right, l.attempt?.id])).toEqual([
      ['99213', 'right', 4, 't1'],
      ['20610', 'right', 4, 't2'],
      ['J3301', 'right', 4, 't3'],
    ]);
    expect(score.lines[0]).toMatchObject({
      code: 'right',
      modifiers: { right: true, missing: [], extra: [] },
      units: { right: true },
      pointers: { right: true, missing: [], extra: [] },
      explanation: 'Low-complexity visit; 25 because the visit stands apart from the injection',
      keyAmount: 30,
      attemptAmount: 30,
    });
    expect(score.lines[0]!.key.pointers).toEqual(['M1711', 'E119']);
    expect(score.extraLines).toEqual([]);
    expect(score.score).toEqual({ value: 1, numerator: 12, denominator: 12 });
    expect(score.dollars).toMatchObject({ coderTotal: 50, reviewedTotal: 50, impact: 0 });
  });

  it('wrong code: the neighbouring code is matched, judged wrong, and the rest of its line still counts', () => {
    const lines = right();
    lines[0] = line('t1', '99214', ['25'], 1, ['B', 'A']);
    const score = scorePractice(key, attempt(lines), context);
    expect(score.lines[0]).toMatchObject({
      verdict: 'differs',
      code: 'wrong',
      attempt: { id: 't1', code: '99214' },
      modifiers: { right: true },
      units: { right: true },
      pointers: { right: true },
      right: 3,
      keyAmount: 30,
      attemptAmount: 40,
    });
    // 3 + 4 + 4 = 11 of 3 lines x 4 elements; $50 due, $60 billed: impact 50 - 60 = -10.
    expect(score.score).toEqual({ value: 11 / 12, numerator: 11, denominator: 12 });
    expect(score.dollars).toMatchObject({ impact: -10, dollarAccuracy: 0.8 });
  });

  it('missing modifier', () => {
    const lines = right();
    lines[1] = line('t2', '20610', [], 1, ['B']);
    const score = scorePractice(key, attempt(lines), context);
    expect(score.lines[1]).toMatchObject({
      verdict: 'differs',
      code: 'right',
      modifiers: { right: false, missing: ['RT'], extra: [] },
      right: 3,
    });
    expect(score.score.numerator).toBe(11);
  });

  it('extra modifier, whatever its case', () => {
    const lines = right();
    lines[1] = line('t2', '20610', ['rt', '59'], 1, ['B']);
    const score = scorePractice(key, attempt(lines), context);
    expect(score.lines[1]!.modifiers).toEqual({ right: false, missing: [], extra: ['59'] });
    expect(score.score.numerator).toBe(11);
  });

  it('wrong units', () => {
    const lines = right();
    lines[2] = line('t3', 'J3301', [], 2, ['B']);
    const score = scorePractice(key, attempt(lines), context);
    expect(score.lines[2]).toMatchObject({
      units: { right: false },
      attempt: { units: 2 },
      key: { units: 4 },
      right: 3,
    });
    expect(score.score.numerator).toBe(11);
  });

  it('wrong pointer: names the diagnosis that is missing and the one pointed at instead', () => {
    const lines = right();
    lines[1] = line('t2', '20610', ['RT'], 1, ['A']);
    const score = scorePractice(key, attempt(lines), context);
    expect(score.lines[1]!.pointers).toEqual({
      right: false,
      missing: ['M1711'],
      extra: ['E119'],
    });
    expect(score.score.numerator).toBe(11);
  });

  it('a pointer to a letter with no diagnosis stays a letter and is wrong', () => {
    const lines = right();
    lines[2] = line('t3', 'J3301', [], 4, ['B', 'C']);
    expect(scorePractice(key, attempt(lines), context).lines[2]!.pointers).toEqual({
      right: false,
      missing: [],
      extra: ['C'],
    });
  });

  it('missed line: no match, all four elements lost, its explanation still shown', () => {
    const score = scorePractice(key, attempt(right().slice(0, 2)), context);
    expect(score.lines[2]).toEqual({
      key: { id: 'k3', code: 'J3301', modifiers: [], units: 4, pointers: ['M1711'] },
      attempt: null,
      verdict: 'missed',
      code: 'missing',
      modifiers: { right: false, missing: [], extra: [] },
      units: { right: false },
      pointers: { right: false, missing: ['M1711'], extra: [] },
      right: 0,
      explanation: 'Triamcinolone 40 mg: four units of 10 mg',
      keyAmount: 0,
      attemptAmount: null,
    });
    expect(score.score).toEqual({ value: 8 / 12, numerator: 8, denominator: 12 });
  });

  it('extra line: listed with its fee, and costs four elements like a missed line', () => {
    const score = scorePractice(
      key,
      attempt([...right(), line('t4', '96372', [], 1, ['B'])]),
      context,
    );
    expect(score.extraLines).toEqual([
      { id: 't4', code: '96372', modifiers: [], units: 1, pointers: ['M1711'], amount: 5 },
    ]);
    // 12 right of (3 key lines + 1 extra) x 4 = 16; $55 billed where $50 was due.
    expect(score.score).toEqual({ value: 12 / 16, numerator: 12, denominator: 16 });
    expect(score.dollars.impact).toBe(-5);
  });

  it.each([
    // J3301 (HCPCS) and 96372 (Medicine) are of different families.
    { keyLine: 2, given: line('t3', '96372', [], 1, ['B']) },
    // 20610 and 11042 are both Surgery, but share no leading digits and no diagnosis.
    { keyLine: 1, given: line('t2', '11042', [], 1, ['A']) },
  ])(
    'no wrong code but a missed line and an extra one: $given.code for key line $keyLine',
    ({ keyLine, given }) => {
      const lines = right();
      lines[keyLine] = given;
      const score = scorePractice(key, attempt(lines), context);
      expect(score.lines[keyLine]).toMatchObject({ verdict: 'missed', attempt: null });
      expect(score.extraLines.map((l) => l.id)).toEqual([given.id]);
      expect(score.score).toEqual({ value: 8 / 16, numerator: 8, denominator: 16 });
    },
  );

  it('two key lines of one code are matched by overlap, not by order', () => {
    const bilateral: PracticeAnswerKey = {
      diagnoses: ['M1711', 'M1712'],
      lines: [
        { ...line('k1', '20610', ['RT'], 1, ['A']), explanation: 'Right knee' },
        { ...line('k2', '20610', ['LT'], 1, ['B']), explanation: 'Left knee' },
      ],
    };
    const score = scorePractice(
      bilateral,
      {
        diagnoses: ['M1711', 'M1712'],
        lines: [line('t1', '20610', ['LT'], 1, ['B']), line('t2', '20610', ['RT'], 1, ['A'])],
      },
      context,
    );
    expect(score.lines.map((l) => [l.key.id, l.attempt?.id, l.verdict])).toEqual([
      ['k1', 't2', 'right'],
      ['k2', 't1', 'right'],
    ]);
  });

  it('a same-code match is taken before a closer-looking neighbour', () => {
    // The trainee's 99214 line looks more like key line 1 (same pointers and modifier) than their
    // 99213 does, but 99213 is the key's code: it is matched, and 99214 is extra.
    const score = scorePractice(
      { diagnoses: ['M1711', 'E119'], lines: [key.lines[0]!] },
      {
        diagnoses: ['M1711', 'E119'],
        lines: [line('t1', '99214', ['25'], 1, ['A', 'B']), line('t2', '99213', [], 1, ['A'])],
      },
      context,
    );
    expect(score.lines[0]).toMatchObject({
      attempt: { id: 't2' },
      code: 'right',
      modifiers: { missing: ['25'] },
      pointers: { missing: ['E119'] },
      right: 2,
    });
    expect(score.extraLines.map((l) => l.code)).toEqual(['99214']);
  });

  it('empty attempt: every key line missed, score 0, the whole key amount unbilled', () => {
    const score = scorePractice(key, attempt([]), context);
    expect(score.lines.every((l) => l.verdict === 'missed')).toBe(true);
    expect(score.score).toEqual({ value: 0, numerator: 0, denominator: 12 });
    expect(score.dollars).toMatchObject({ coderTotal: 0, reviewedTotal: 50, impact: 50 });
    expect(score.dollars.dollarAccuracy).toBe(0);
  });

  it('nothing to bill and nothing billed: no score rather than 0 or 100%', () => {
    const score = scorePractice({ diagnoses: [], lines: [] }, attempt([]), context);
    expect(score.score).toEqual({ value: null, numerator: 0, denominator: 0 });
  });

  it('reports the errors and the warnings not acknowledged, never a data notice', () => {
    const finding = (id: string, ruleId: Finding['ruleId'], severity: Finding['severity']) => ({
      id,
      ruleId,
      severity,
      lineIds: ['t1'],
      codes: [],
      message: id,
      source: {
        dataset: 'Coding policy',
        edition: null,
        file: null,
        row: null,
        effectiveDate: null,
        text: '',
      },
    });
    const error = finding('e1', 'modifier-25-not-em', 'error');
    const acknowledged = finding('w1', 'ptp-modifier-bypass', 'warning');
    const ignored = finding('w2', 'office-visit-repeated', 'warning');
    const notice = finding('n1', 'edition-not-covering', 'warning');
    const score = scorePractice(key, attempt(right()), {
      ...context,
      findings: [error, acknowledged, ignored, notice],
      acknowledgements: [{ findingId: 'w1' }],
    });
    expect(score.ignoredFindings).toEqual({ errors: [error], unacknowledgedWarnings: [ignored] });
    // Findings are reported beside the score, not in it.
    expect(score.score.value).toBe(1);
  });
});

describe(`${scorePractice.name} (properties)`, () => {
  const codes = ['99213', '99214', '20610', '20611', '11042', '96372', 'J3301'];
  const pool = ['M1711', 'M1712', 'E119', 'I10', 'Z7984'];
  const keyLine = (letters: DiagnosisLetter[]) =>
    fc.record({
      code: fc.constantFrom(...codes),
      modifiers: fc.subarray(['25', '59', 'RT', 'LT']),
      units: fc.integer({ min: 1, max: 4 }),
      pointers: fc.subarray(letters, { minLength: 1 }),
    });
  /** A random key and a perfect copy of it: lines shuffled, diagnoses reordered, pointers relettered. */
  const keyAndCopy = fc
    .shuffledSubarray(pool, { minLength: 1, maxLength: 4 })
    .chain((diagnoses) => {
      const letters = DIAGNOSIS_LETTERS.slice(0, diagnoses.length);
      return fc.record({
        diagnoses: fc.constant(diagnoses),
        lines: fc.array(keyLine(letters), { minLength: 1, maxLength: 6 }),
        reordered: fc.shuffledSubarray(diagnoses, {
          minLength: diagnoses.length,
          maxLength: diagnoses.length,
        }),
        order: fc.infiniteStream(fc.nat()),
      });
    })
    .map(({ diagnoses, lines, reordered, order }) => {
      const answer: PracticeAnswerKey = {
        diagnoses,
        lines: lines.map((l, i) => ({ ...l, id: `k${i}`, explanation: `line ${i}` })),
      };
      const reletter = (letter: DiagnosisLetter) =>
        DIAGNOSIS_LETTERS[reordered.indexOf(diagnoses[DIAGNOSIS_LETTERS.indexOf(letter)]!)]!;
      const copies = lines.map((l, i) => ({
        ...l,
        id: `t${i}`,
        pointers: l.pointers.map(reletter),
      }));
      const shuffled = copies
        .map((line) => ({ line, rank: order.next().value as number }))
        .sort((x, y) => x.rank - y.rank)
        .map(({ line }) => line);
      return { answer, copy: { diagnoses: reordered, lines: shuffled } };
    });

  it('a perfect copy, in any order and with the diagnoses in any order, scores 1 with no dollar difference', () => {
    fc.assert(
      fc.property(keyAndCopy, ({ answer, copy }) => {
        const score = scorePractice(answer, copy, context);
        expect(score.score.value).toBe(1);
        expect(score.lines.every((l) => l.verdict === 'right')).toBe(true);
        expect(score.extraLines).toEqual([]);
        expect(score.dollars.impact).toBe(0);
      }),
    );
  });

  it('dropping one line of a perfect copy costs exactly its four elements', () => {
    fc.assert(
      fc.property(keyAndCopy, fc.nat(), ({ answer, copy }, drop) => {
        const lines = copy.lines.filter((_, i) => i !== drop % copy.lines.length);
        const score = scorePractice(answer, { ...copy, lines }, context);
        const n = answer.lines.length;
        expect(score.score).toMatchObject({ numerator: 4 * (n - 1), denominator: 4 * n });
        expect(score.lines.filter((l) => l.verdict === 'missed')).toHaveLength(1);
      }),
    );
  });

  it('adding any line to a perfect copy keeps every key line right and adds four to the denominator', () => {
    fc.assert(
      fc.property(
        keyAndCopy,
        keyLine(['A']).map((l) => ({ ...l, id: 'added' })),
        ({ answer, copy }, added) => {
          const score = scorePractice(answer, { ...copy, lines: [...copy.lines, added] }, context);
          const n = answer.lines.length;
          expect(score.score).toMatchObject({ numerator: 4 * n, denominator: 4 * (n + 1) });
          expect(score.extraLines).toHaveLength(1);
        },
      ),
    );
  });

  it('any attempt scores in [0, 1]', () => {
    fc.assert(
      fc.property(keyAndCopy, keyAndCopy, ({ answer }, { copy }) => {
        const value = scorePractice(answer, copy, context).score.value!;
        expect(value >= 0 && value <= 1).toBe(true);
      }),
    );
  });
});
