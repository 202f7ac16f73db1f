import { isDatabaseUnavailable } from './database-errors.js';

describe(isDatabaseUnavailable.name, () => {
  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    [
      'a terminated backend',
      Object.assign(new Error('terminating connection due to administrator command'), {
        code: '57P01',
      }),
    ],
    [
      'a database refusing connections',
      Object.assign(new Error('database "x" is not currently accepting connections'), {
        code: '55000',
      }),
    ],
    [
      'a statement timeout',
      Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
    ],
    ['the pool wait timeout', new Error('timeout exceeded when trying to connect')],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    [
      'a TypeORM wrapper',
      Object.assign(new Error('Query failed'), {
        driverError: Object.assign(new Error('x'), { code: '08006' }),
      }),
    ],
  ])('says yes for %s', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    [
      'a unique violation',
      Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }),
    ],
    ['a syntax error', Object.assign(new Error('syntax error at or near'), { code: '42601' })],
    ['a plain error', new Error('something else')],
    ['a string', 'Connection terminated'],
    ['nothing', undefined],
  ])('says no for %s', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
