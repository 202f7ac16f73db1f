import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HTTP_STATUS_BY_CODE } from '@countersign/shared';
import type { Response } from 'express';
import { retryAfterSeconds, toErrorBody } from './to-error-body.js';

/** The one global HTTP filter: every error leaves as `{ code, message, details? }`. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = toErrorBody(error, this.logger);
    const retryAfter = retryAfterSeconds(body);
    if (retryAfter !== null) response.setHeader('Retry-After', String(retryAfter));
    response.status(HTTP_STATUS_BY_CODE[body.code]).json(body);
  }
}
