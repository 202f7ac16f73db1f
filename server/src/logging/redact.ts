/**
 * What of an error may be logged. Messages of database errors quote the values that failed
 * (`invalid input syntax for type date: "0000-01-01"`), and parse errors quote the input, so
 * a message is cut at its first quote; a database error keeps its SQLSTATE, constraint, table
 * and column, never its parameters, query or detail.
 */
export function describeError(error: unknown): Record<string, unknown> {
  if (isDatabaseError(error)) {
    return {
      error: 'DatabaseError',
      sqlState: error.code,
      message: redactMessage(error.message),
      constraint: error.constraint,
      table: error.table,
      column: error.column,
      routine: error.routine,
    };
  }
  if (error instanceof Error) {
    const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
    return {
      error: error.name,
      message: redactMessage(error.message),
      stack: frames.slice(0, 12).join('\n'),
    };
  }
  return { error: typeof error, message: '(not an Error; not logged)' };
}

/** One line for a log message: the error's name and its redacted message. */
export function errorSummary(error: unknown): string {
  const described = describeError(error);
  return `${String(described.error)}: ${String(described.message)}${typeof described.sqlState === 'string' ? ` (SQLSTATE ${described.sqlState})` : ''}`;
}

/**
 * A message up to its first quoted value: database and parse errors put the values they
 * choked on in quotes (nested ones too, `"{"name": "..."`), so nothing after a quote is kept.
 */
export function redactMessage(message: string): string {
  const firstLine = message.split('\n')[0]!;
  const quote = firstLine.search(/["'`]|=\(/);
  const kept = quote === -1 ? firstLine : `${firstLine.slice(0, quote)}…`;
  return kept.slice(0, 300);
}

interface DatabaseErrorLike {
  code: string;
  message: string;
  constraint?: string;
  table?: string;
  column?: string;
  routine?: string;
}

/** pg's DatabaseError, or TypeORM's QueryFailedError around it (which copies its fields). */
function isDatabaseError(error: unknown): error is DatabaseErrorLike {
  if (!(error instanceof Error)) return false;
  const e = error as Error & { code?: unknown; severity?: unknown; driverError?: unknown };
  return (
    (typeof e.code === 'string' &&
      /^[0-9A-Z]{5}$/.test(e.code) &&
      ('severity' in e || 'driverError' in e)) ||
    e.name === 'QueryFailedError'
  );
}
