import {
  diagnosisIndex,
  diagnosisLetter,
  formatIcd10Cm,
  isIcd10CmCode,
  isModifier,
  normalizeCode,
  procedureCodeKind,
} from './formats.js';

describe('procedureCodeKind', () => {
  it.each([
    ['99213', 'CPT-I'],
    ['00100', 'CPT-I'],
    ['3074F', 'CPT-II'],
    ['0042T', 'CPT-III'],
    ['0001U', 'CPT-PLA'],
    ['0002M', 'CPT-OTHER'],
    ['J1100', 'HCPCS-II'],
    ['G0439', 'HCPCS-II'],
  ])('%s is %s', (code, kind) => {
    expect(procedureCodeKind(code)).toBe(kind);
  });

  it.each(['9921', '992133', 'D0120', 'W1234', 'J110', 'abcde', '', '3074f'])(
    '%s is no procedure code',
    (code) => {
      expect(procedureCodeKind(code)).toBeNull();
    },
  );
});

describe('ICD-10-CM', () => {
  it.each(['E119', 'I10', 'S83241A', 'M1711', 'Z0000', 'T7432XA', 'U071', 'U099'])(
    '%s is a stored ICD-10-CM code',
    (code) => {
      expect(isIcd10CmCode(code)).toBe(true);
    },
  );

  it.each(['E11.9', 'U0', 'UA71', '1E119', 'E1', 'E1190000', 'e119'])('%s is not', (code) => {
    expect(isIcd10CmCode(code)).toBe(false);
  });

  it('normalizes what a coder types to the stored form and formats it back with the dot', () => {
    expect(normalizeCode(' e11.9 ')).toBe('E119');
    expect(formatIcd10Cm('E119')).toBe('E11.9');
    expect(formatIcd10Cm('I10')).toBe('I10');
    expect(formatIcd10Cm('S83241A')).toBe('S83.241A');
  });
});

describe('modifiers and pointers', () => {
  it('accepts two letters or digits only', () => {
    expect(['25', '59', 'XS', 'LT', 'F1'].every(isModifier)).toBe(true);
    expect(['5', '259', 'x', '--'].some(isModifier)).toBe(false);
  });

  it('maps pointer letters to diagnosis positions and back', () => {
    expect(diagnosisLetter(0)).toBe('A');
    expect(diagnosisLetter(11)).toBe('L');
    expect(diagnosisIndex('C')).toBe(2);
    expect(() => diagnosisLetter(12)).toThrow(RangeError);
  });
});
