import type { PracticeAttemptView } from '@countersign/shared';
import { toChartInput } from './chart-editor-page/chart-editor-page';
import { describeLine, differences } from './score-page/score-page';

type LineScore = NonNullable<PracticeAttemptView['result']>['score']['lines'][number];

const key = { id: 'k', code: '20610', modifiers: ['RT'], units: 1, pointers: ['M1711'] };

function scored(overrides: Partial<LineScore>): LineScore {
  return {
    key,
    attempt: { ...key, id: 'a' },
    verdict: 'right',
    code: 'right',
    modifiers: { right: true, missing: [], extra: [] },
    units: { right: true },
    pointers: { right: true, missing: [], extra: [] },
    right: 4,
    explanation: 'Why',
    keyAmount: 80,
    attemptAmount: 80,
    ...overrides,
  };
}

describe('practice score page', () => {
  it('writes a line with its modifiers, units and diagnoses', () => {
    expect(describeLine(key)).toBe('20610-RT ×1 → M17.11');
    expect(describeLine({ code: '99213', modifiers: [], units: 2, pointers: [] })).toBe('99213 ×2');
  });

  it('says what differs on a line, element by element', () => {
    expect(differences(scored({}))).toEqual([]);
    expect(
      differences(
        scored({
          verdict: 'differs',
          code: 'wrong',
          attempt: { id: 'a', code: '20611', modifiers: ['LT'], units: 2, pointers: ['E119'] },
          modifiers: { right: false, missing: ['RT'], extra: ['LT'] },
          units: { right: false },
          pointers: { right: false, missing: ['M1711'], extra: ['E119'] },
          right: 0,
        }),
      ),
    ).toEqual([
      'Code: you billed 20611',
      'Modifier missing: RT',
      'Modifier not needed: LT',
      'Units: you billed 2',
      'Diagnosis not pointed at: M17.11',
      'Diagnosis pointed at instead: E11.9',
    ]);
    expect(differences(scored({ verdict: 'missed', attempt: null }))).toEqual([
      'You did not bill this line',
    ]);
  });
});

describe('practice chart editor', () => {
  it('turns the text fields into the from-scratch body', () => {
    const body = toChartInput(
      'course-1',
      {
        title: 'T',
        patientName: 'P',
        mrn: 'PR-1',
        dateOfBirth: '1970-01-01',
        dateOfService: '2026-03-02',
        provider: 'Dr X',
        placeOfService: '11',
        note: 'Note',
        diagnoses: 'E11.9, I10',
      },
      [{ code: '99214', modifiers: '25 ,59', units: 1, pointers: 'a, b', explanation: 'E' }],
    );
    expect(body.diagnoses).toEqual(['E11.9', 'I10']);
    expect(body.keyLines).toEqual([
      { code: '99214', modifiers: ['25', '59'], units: 1, pointers: ['A', 'B'], explanation: 'E' },
    ]);
  });
});
