import { remapPointers } from './pointers.js';

describe(remapPointers.name, () => {
  const before = ['M1711', 'E119', 'I10'];

  it('keeps pointers when the list is unchanged or grows at the end', () => {
    expect(remapPointers(['A', 'C'], before, before)).toEqual(['A', 'C']);
    expect(remapPointers(['A', 'C'], before, [...before, 'Z23'])).toEqual(['A', 'C']);
  });

  it('moves a pointer to the letter its diagnosis now has', () => {
    expect(remapPointers(['C'], before, ['M1711', 'I10'])).toEqual(['B']);
    expect(remapPointers(['A', 'B'], before, ['E119', 'M1711', 'I10'])).toEqual(['B', 'A']);
  });

  it('drops a pointer whose diagnosis was removed, keeping the others in order', () => {
    expect(remapPointers(['B', 'C'], before, ['M1711', 'I10'])).toEqual(['B']);
    expect(remapPointers(['B'], before, ['M1711'])).toEqual([]);
  });
});
