import { makeLine } from '../../../testing/encounter-fixtures';
import { draftOf, linePatch, parseDraft, splitModifiers, splitPointers } from './claim-line-form';

describe('claim line form', () => {
  it('splits modifiers on commas and spaces, upper-cased', () => {
    expect(splitModifiers('25, 59')).toEqual(['25', '59']);
    expect(splitModifiers(' lt  rt ')).toEqual(['LT', 'RT']);
    expect(splitModifiers('')).toEqual([]);
  });

  it('reads pointers as letters with or without separators', () => {
    expect(splitPointers('A,B')).toEqual(['A', 'B']);
    expect(splitPointers('ab')).toEqual(['A', 'B']);
    expect(splitPointers('A, C ,D')).toEqual(['A', 'C', 'D']);
    expect(splitPointers('')).toEqual([]);
  });

  it('turns a valid draft into a normalized line', () => {
    expect(parseDraft({ code: ' j1100 ', modifiers: 'rt', units: 2, pointers: 'ab' })).toEqual({
      ok: true,
      line: { code: 'J1100', modifiers: ['RT'], units: 2, pointers: ['A', 'B'] },
    });
  });

  it('explains what is wrong with a draft, using the shared schema messages', () => {
    expect(parseDraft({ code: '', modifiers: '', units: 1, pointers: 'A' })).toEqual({
      ok: false,
      message: 'Enter a CPT or HCPCS code (for example 99213).',
    });
    expect(parseDraft({ code: 'E119', modifiers: '', units: 1, pointers: 'A' })).toMatchObject({
      ok: false,
      message: expect.stringContaining('Not a CPT or HCPCS Level II code'),
    });
    expect(parseDraft({ code: '99213', modifiers: '255', units: 1, pointers: 'A' })).toMatchObject({
      ok: false,
      message: expect.stringContaining('two letters or digits'),
    });
    expect(parseDraft({ code: '99213', modifiers: '', units: 0, pointers: 'A' })).toMatchObject({
      ok: false,
      message: 'Units are at least 1',
    });
    expect(parseDraft({ code: '99213', modifiers: '', units: null, pointers: 'A' })).toMatchObject({
      ok: false,
    });
    expect(parseDraft({ code: '99213', modifiers: '', units: 1, pointers: 'AZ' })).toEqual({
      ok: false,
      message: 'Pointer Z is not a diagnosis letter (A to L).',
    });
    expect(parseDraft({ code: '99213', modifiers: '', units: 1, pointers: 'AA' })).toMatchObject({
      ok: false,
      message: 'A diagnosis pointer appears twice',
    });
  });

  it('patches only the fields that changed since editing began', () => {
    const line = makeLine({ code: '99213', modifiers: ['25'], units: 1, pointers: ['A'] });
    expect(
      linePatch(line, { code: '99213', modifiers: ['25'], units: 1, pointers: ['A'] }),
    ).toBeNull();
    expect(
      linePatch(line, { code: '99214', modifiers: ['25'], units: 1, pointers: ['A', 'B'] }),
    ).toEqual({
      code: '99214',
      pointers: ['A', 'B'],
    });
    expect(linePatch(line, { code: '99213', modifiers: [], units: 3, pointers: ['A'] })).toEqual({
      modifiers: [],
      units: 3,
    });
  });

  it('counts a new modifier order as a change', () => {
    const line = makeLine({ modifiers: ['59', 'LT'] });
    expect(linePatch(line, { ...line, modifiers: ['LT', '59'] })).toEqual({
      modifiers: ['LT', '59'],
    });
  });

  it('round-trips a line through its editable text', () => {
    const line = makeLine({
      code: '20610',
      modifiers: ['RT', '59'],
      units: 2,
      pointers: ['A', 'C'],
    });
    const parsed = parseDraft(draftOf(line));
    expect(parsed).toEqual({
      ok: true,
      line: { code: '20610', modifiers: ['RT', '59'], units: 2, pointers: ['A', 'C'] },
    });
  });
});
