import fc from 'fast-check';
import type { EditsInput } from '../edits/edits.schema.js';
import { emptyEditsReference, evaluateEdits } from '../edits/edits.js';
import {
  DIAGNOSIS_LETTERS,
  formatIcd10Cm,
  isIcd10CmCode,
  isModifier,
  normalizeCode,
  procedureCodeKind,
} from './formats.js';
import { remapPointers } from './pointers.js';

const digit = fc.constantFrom(...'0123456789'.split(''));
const alnum = fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''));
const icdLetter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTVWXYZ'.split(''));
const icd10 = fc
  .tuple(icdLetter, digit, fc.array(alnum, { minLength: 1, maxLength: 5 }))
  .map(([l, d, rest]) => `${l}${d}${rest.join('')}`);
const cptI = fc.array(digit, { minLength: 5, maxLength: 5 }).map((d) => d.join(''));
const hcpcs = fc
  .tuple(
    fc.constantFrom(...'ABCEFGHIJKLMNOPQRSTUV'.split('')),
    fc.array(digit, { minLength: 4, maxLength: 4 }),
  )
  .map(([l, d]) => l + d.join(''));

describe('code formats (properties)', () => {
  it('every ICD-10-CM code survives display with a dot and normalising back', () => {
    fc.assert(
      fc.property(icd10, (code) => {
        expect(isIcd10CmCode(code)).toBe(true);
        const shown = formatIcd10Cm(code);
        expect(shown.includes('.')).toBe(code.length > 3);
        expect(normalizeCode(` ${shown.toLowerCase()} `)).toBe(code);
      }),
    );
  });

  it('five digits are always CPT Category I, a letter and four digits always HCPCS Level II, never both', () => {
    fc.assert(fc.property(cptI, (code) => expect(procedureCodeKind(code)).toBe('CPT-I')));
    fc.assert(fc.property(hcpcs, (code) => expect(procedureCodeKind(code)).toBe('HCPCS-II')));
  });

  it('four digits and a letter are CPT with a suffix; the suffix list is open', () => {
    fc.assert(
      fc.property(
        fc.array(digit, { minLength: 4, maxLength: 4 }),
        fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('')),
        (digits, suffix) => {
          const kind = procedureCodeKind(digits.join('') + suffix);
          expect(kind).toMatch(/^CPT-/);
        },
      ),
    );
  });

  it('no string of the wrong length is a procedure code, and a modifier is exactly two letters or digits', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (value) => {
        if (value.length !== 5) expect(procedureCodeKind(value)).toBeNull();
        expect(isModifier(value)).toBe(/^[0-9A-Z]{2}$/.test(value));
      }),
    );
  });
});

const letter = fc.constantFrom(...DIAGNOSIS_LETTERS);
const diagnosisList = fc.uniqueArray(icd10, { minLength: 0, maxLength: 12 });

describe('pointer rules (properties)', () => {
  it('remapped pointers follow their code: each points at the same diagnosis it did before', () => {
    fc.assert(
      fc.property(
        diagnosisList.chain((before) =>
          fc.tuple(
            fc.constant(before),
            fc.shuffledSubarray(before),
            fc.uniqueArray(icd10, { maxLength: 3 }),
          ),
        ),
        fc.uniqueArray(letter, { maxLength: 4 }),
        ([before, kept, added], pointers) => {
          const after = [...new Set([...kept, ...added])].slice(0, 12);
          const remapped = remapPointers(pointers, before, after);
          expect(new Set(remapped).size).toBe(remapped.length);
          for (const pointer of remapped) {
            const code = after[DIAGNOSIS_LETTERS.indexOf(pointer)];
            expect(code).toBeDefined();
            expect(pointers.some((p) => before[DIAGNOSIS_LETTERS.indexOf(p)] === code)).toBe(true);
          }
          const survivors = pointers.filter((p) =>
            after.includes(before[DIAGNOSIS_LETTERS.indexOf(p)] ?? '#'),
          );
          expect(remapped).toHaveLength(
            new Set(survivors.map((p) => before[DIAGNOSIS_LETTERS.indexOf(p)])).size,
          );
        },
      ),
    );
  });

  const emptyReference = emptyEditsReference('2026-03-02');

  it('a line is flagged for its pointers exactly when it has none or one points past the diagnoses', () => {
    const lineArb = fc.record({ pointers: fc.uniqueArray(letter, { maxLength: 4 }) });
    fc.assert(
      fc.property(
        diagnosisList,
        fc.array(lineArb, { minLength: 1, maxLength: 8 }),
        (diagnoses, shapes) => {
          const lines = shapes.map((s, i) => ({
            id: `l${i}`,
            code: String(10000 + i * 7),
            modifiers: [],
            units: 1,
            pointers: s.pointers,
          }));
          const input: EditsInput = {
            dateOfService: '2026-03-02',
            placeOfService: '11',
            diagnoses,
            lines,
          };
          const findings = evaluateEdits(input, emptyReference).filter(
            (f) => f.ruleId === 'line-without-pointer' || f.ruleId === 'pointer-without-diagnosis',
          );
          for (const line of lines) {
            const mine = findings.filter((f) => f.lineIds.includes(line.id));
            const dangling = line.pointers.some(
              (p) => DIAGNOSIS_LETTERS.indexOf(p) >= diagnoses.length,
            );
            if (line.pointers.length === 0)
              expect(mine.map((f) => f.ruleId)).toEqual(['line-without-pointer']);
            else if (dangling)
              expect(mine.map((f) => f.ruleId)).toEqual(['pointer-without-diagnosis']);
            else expect(mine).toEqual([]);
          }
        },
      ),
    );
  });
});
