import { describeError, errorSummary, redactMessage } from './redact.js';

describe(describeError.name, () => {
  it('keeps a database error’s SQLSTATE, table and constraint, never the values in its message, its parameters or detail', () => {
    const error = Object.assign(
      new Error('new row for relation "encounters" violates check constraint "no_marker"'),
      {
        code: '23514',
        severity: 'ERROR',
        table: 'encounters',
        constraint: 'no_marker',
        detail: 'Failing row contains (Jordan Example, MRN-1)',
        parameters: ['Jordan Example', 'MRN-1'],
      },
    );
    const described = describeError(error);
    expect(described).toMatchObject({
      error: 'DatabaseError',
      sqlState: '23514',
      table: 'encounters',
      constraint: 'no_marker',
    });
    expect(JSON.stringify(described)).not.toMatch(/Jordan|MRN-1/);
    expect(errorSummary(error)).toBe('DatabaseError: new row for relation … (SQLSTATE 23514)');
  });

  it('cuts any message at its first quoted value', () => {
    expect(redactMessage('invalid input syntax for type date: "0000-01-01"')).toBe(
      'invalid input syntax for type date: …',
    );
    expect(
      redactMessage(`Unexpected token 'x', "{"name": "Jordan Example" x}" is not valid JSON`),
    ).toBe('Unexpected token …');
    expect(redactMessage('connect ECONNREFUSED 127.0.0.1:5432')).toBe(
      'connect ECONNREFUSED 127.0.0.1:5432',
    );
  });

  it('keeps the stack frames of an ordinary error, without its message twice', () => {
    const described = describeError(
      new TypeError(`Cannot read properties of undefined (reading 'patient')`),
    );
    expect(described.message).toBe('Cannot read properties of undefined (reading …');
    expect(String(described.stack)).toMatch(/^\s+at /);
  });

  it('logs nothing of a thrown value that is not an Error', () => {
    expect(describeError('Jordan Example')).toEqual({
      error: 'string',
      message: '(not an Error; not logged)',
    });
  });
});
