import { returningRows } from './returning-rows.js';

describe(returningRows.name, () => {
  it('takes the rows out of an UPDATE answer and leaves a SELECT answer as it is', () => {
    expect(returningRows([[{ id: 'a' }], 1])).toEqual([{ id: 'a' }]);
    expect(returningRows([[], 0])).toEqual([]);
    expect(returningRows([{ id: 'a' }, { id: 'b' }])).toEqual([{ id: 'a' }, { id: 'b' }]);
  });
});
