import { Logger, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { requestUser } from '../auth/auth.guard.js';

/**
 * One structured line per API request: method, route pattern (never the query string or a
 * body, which may hold patient data), status, duration and who asked.
 */
export class RequestLogMiddleware implements NestMiddleware {
  private readonly logger = new Logger('Http');

  use(request: Request, response: Response, next: NextFunction): void {
    const started = performance.now();
    response.on('finish', () => {
      const route = (request.route as { path?: string } | undefined)?.path;
      const user = requestUser(request);
      this.logger.log({
        msg: 'request',
        method: request.method,
        route: route ? `${request.baseUrl}${route}` : '(unmatched)',
        status: response.statusCode,
        ms: Math.round(performance.now() - started),
        userId: user?.id,
        organizationId: user?.organizationId,
      });
    });
    next();
  }
}
