import { ConsoleLogger, type LoggerService, type LogLevel } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { describeError } from './redact.js';

/** Keys whose values never reach a log, wherever they sit in a logged object. */
export const REDACTED_KEYS = [
  'password',
  'passwordHash',
  'patient',
  'clinicalNote',
  'mrn',
  'dateOfBirth',
  'name',
  'email',
  'token',
  'cookie',
  'body',
  'comment',
  'rationale',
  'quote',
  'reason',
  'parameters',
  'query',
];

const ORDER: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/**
 * One JSON object per line. Patient data never reaches a log: request logs carry route
 * patterns, not URLs or bodies, and these keys are redacted wherever an object is logged.
 */
export function createJsonLogger(level: AppConfig['logLevel']): ConsoleLogger {
  return new ConsoleLogger({
    json: true,
    colors: false,
    flattenParams: true,
    logLevels: ORDER.slice(0, ORDER.indexOf(level) + 1),
    redact: REDACTED_KEYS,
  });
}

/**
 * Uncaught exceptions and unhandled rejections leave through the same logger, redacted like
 * every other error (Node would print the whole error, values included, to stderr), and stop
 * the process as Node would.
 */
export function logProcessErrors(
  logger: LoggerService,
  target: Pick<NodeJS.EventEmitter, 'on'> = process,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  target.on('uncaughtException', (error: unknown) => {
    logger.fatal?.({ msg: 'uncaught exception', ...describeError(error) });
    exit(1);
  });
  target.on('unhandledRejection', (reason: unknown) => {
    logger.fatal?.({ msg: 'unhandled rejection', ...describeError(reason) });
    exit(1);
  });
}
