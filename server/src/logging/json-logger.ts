import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';

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
    redact: ['password', 'passwordHash', 'patient', 'clinicalNote', 'mrn', 'dateOfBirth', 'name', 'email', 'token', 'cookie'],
  });
}
