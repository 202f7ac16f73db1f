import type { CodedLineView, ReconciliationRow } from '@countersign/shared';
import {
  AGREE_REASON,
  buildCommand,
  choicesFor,
  initialDecision,
  lineDraft,
  type RowDecision,
} from './reconciliation-draft';

const view = (id: string, code: string, modifiers: string[] = []): CodedLineView => ({
  id,
  code,
  modifiers,
  units: 1,
  pointers: ['A'],
  pointedDiagnoses: ['M17.11'],
  rationale: '',
  feeCents: 5000,
});
const F1 = '00000000-0000-4000-8000-0000000000f1';
const S1 = '00000000-0000-4000-8000-0000000000a1';
const F2 = '00000000-0000-4000-8000-0000000000f2';
const S2 = '00000000-0000-4000-8000-0000000000a2';
const S3 = '00000000-0000-4000-8000-0000000000a3';

const rows: ReconciliationRow[] = [
  { key: '1', first: view(F1, '99213'), second: view(S1, '99213'), differences: [] },
  {
    key: '2',
    first: view(F2, '20610', ['RT']),
    second: view(S2, '20610', ['LT']),
    differences: ['modifiers'],
  },
  { key: '3', first: null, second: view(S3, '36415'), differences: ['missing'] },
];

describe('reconciliation draft', () => {
  it('offers both only for the same line, a side only when it has one', () => {
    expect(choicesFor(rows[0]!)).toEqual(['both', 'first', 'second', 'new', 'dropped']);
    expect(choicesFor(rows[2]!)).toEqual(['second', 'new', 'dropped']);
    // Two different lines are not "both": the reviewer takes one side or writes the line.
    expect(choicesFor(rows[1]!)).toEqual(['first', 'second', 'new', 'dropped']);
  });

  it('prefills identical rows with both and "Both coders agree"; the others wait', () => {
    expect(initialDecision(rows[0]!)).toMatchObject({ choice: 'both', reason: AGREE_REASON });
    expect(initialDecision(rows[1]!)).toMatchObject({ choice: null, reason: '' });
    expect(initialDecision(rows[2]!).line.code).toBe('36415');
  });

  it('names every undecided row and missing reason, and sends nothing', () => {
    const decisions = rows.map(initialDecision);
    decisions[2] = { ...decisions[2]!, choice: 'dropped' };
    const result = buildCommand(rows, decisions, [{ line: lineDraft(null), reason: '' }]);
    expect(result).toEqual({
      ok: false,
      problems: [
        { row: 1, added: null, message: 'Row 2: choose what the chart keeps' },
        { row: 2, added: null, message: 'Row 3: give a reason' },
        { row: null, added: 0, message: 'New line 1: give a reason' },
      ],
    });
  });

  it('refuses a chart with every line dropped, and a written line that is not valid', () => {
    const dropAll: RowDecision[] = rows.map((r) => ({
      ...initialDecision(r),
      choice: 'dropped',
      reason: 'No',
    }));
    expect(buildCommand(rows, dropAll, [])).toMatchObject({
      ok: false,
      problems: [{ message: 'Keep or write at least one line' }],
    });
    const bad = rows.map(initialDecision);
    bad[1] = { choice: 'new', line: { ...lineDraft(rows[1]!.first), units: '0' }, reason: 'x' };
    bad[2] = { ...bad[2]!, choice: 'second', reason: 'Drawn' };
    const result = buildCommand(rows, bad, []);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]).toMatchObject({
      row: 1,
      message: 'Row 2: units: Units are at least 1',
    });
  });

  it('builds one decision per row, naming both sides’ lines, and one per new line', () => {
    const decisions = rows.map(initialDecision);
    decisions[1] = { ...decisions[1]!, choice: 'first', reason: 'Right knee documented' };
    decisions[2] = { ...decisions[2]!, choice: 'second', reason: 'Venipuncture documented' };
    const result = buildCommand(rows, decisions, [
      {
        line: { code: 'j1100', modifiers: '', units: '2', pointers: 'a, b', rationale: '' },
        reason: 'Both missed the drug',
      },
    ]);
    expect(result.ok).toBe(true);
    expect(result.ok && result.command.decisions).toEqual([
      {
        source: 'both',
        firstLineId: F1,
        secondLineId: S1,
        line: { code: '99213', modifiers: [], units: 1, pointers: ['A'], rationale: '' },
        reason: AGREE_REASON,
      },
      {
        source: 'first',
        firstLineId: F2,
        secondLineId: S2,
        line: { code: '20610', modifiers: ['RT'], units: 1, pointers: ['A'], rationale: '' },
        reason: 'Right knee documented',
      },
      {
        source: 'second',
        firstLineId: null,
        secondLineId: S3,
        line: { code: '36415', modifiers: [], units: 1, pointers: ['A'], rationale: '' },
        reason: 'Venipuncture documented',
      },
      {
        source: 'new',
        line: { code: 'J1100', modifiers: [], units: 2, pointers: ['A', 'B'], rationale: '' },
        reason: 'Both missed the drug',
      },
    ]);
  });
});
