import { EventEmitter } from 'node:events';
import type { LoggerService } from '@nestjs/common';
import { logProcessErrors } from './json-logger.js';

describe(logProcessErrors.name, () => {
  it('logs an uncaught exception and an unhandled rejection redacted, then stops the process', () => {
    const lines: unknown[] = [];
    const logger = {
      log: () => {},
      error: () => {},
      warn: () => {},
      fatal: (line: unknown) => lines.push(line),
    } as LoggerService;
    const target = new EventEmitter();
    const exits: number[] = [];
    logProcessErrors(logger, target, (code) => exits.push(code));

    target.emit('uncaughtException', new Error('invalid input syntax for type date: "1959-11-04"'));
    target.emit(
      'unhandledRejection',
      Object.assign(new Error('value too long for type character varying(40): "MRN-Z8Q2K7"'), {
        code: '22001',
        severity: 'ERROR',
      }),
    );

    expect(exits).toEqual([1, 1]);
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'uncaught exception',
        error: 'Error',
        message: 'invalid input syntax for type date: …',
      }),
      expect.objectContaining({
        msg: 'unhandled rejection',
        error: 'DatabaseError',
        sqlState: '22001',
      }),
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/1959-11-04|MRN-Z8Q2K7/);
  });
});
