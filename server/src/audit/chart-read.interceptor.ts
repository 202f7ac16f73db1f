import {
  Inject,
  Injectable,
  SetMetadata,
  UseInterceptors,
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { mergeMap, type Observable } from 'rxjs';
import { requestUser } from '../auth/auth.guard.js';
import { ChartReadsService } from './chart-reads.service.js';

const CHART_READ = 'countersign:chart-read';

/**
 * Marks a REST route that serves a chart (its `:id`): once the handler has answered, a
 * chart_reads row names who read it and through which route, before the response is sent. A
 * refused or failed read serves nothing and logs nothing.
 */
export const ChartReadRoute = (via: string) =>
  applyDecorators(SetMetadata(CHART_READ, via), UseInterceptors(ChartReadInterceptor));

@Injectable()
export class ChartReadInterceptor implements NestInterceptor {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ChartReadsService) private readonly reads: ChartReadsService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const via = this.reflector.get<string | undefined>(CHART_READ, context.getHandler());
    const request = context.switchToHttp().getRequest<Request>();
    const user = requestUser(request);
    const encounterId = request.params.id;
    if (!via || !user || typeof encounterId !== 'string') return next.handle();
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        await this.reads.record(user, encounterId, via);
        return body;
      }),
    );
  }
}
