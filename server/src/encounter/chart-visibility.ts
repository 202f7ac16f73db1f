import {
  Inject,
  Injectable,
  SetMetadata,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { SessionUser } from '@countersign/shared';
import type { Request } from 'express';
import { from, mergeMap, type Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { requestUser } from '../auth/auth.guard.js';
import type { SqlRunner } from '../database/live-pool.js';
import { DomainError } from '../errors/domain-error.js';

/**
 * Who may see a chart that is not a claim (docs/domain.md section 11.2), the one rule every
 * read and command applies:
 * - a claim: everyone of the organization (the role x state policy decides what they may do);
 * - anything else: supervisors and admins (and the operator), and the chart's own coder (the
 *   trainee of a practice chart, the coder of a blind copy);
 * - a blind copy, besides: once its double coding is reconciling or reconciled (both copies
 *   submitted), reviewers and both coders of the double coding. A cancelled double coding's
 *   copies stay with their coder.
 * A chart the caller may not see is answered exactly as a chart that does not exist (404).
 *
 * `visibleChartSql` is that rule as SQL over the encounter alias `e`, with the caller's id and
 * role as the parameters it names; a claim chart short-circuits on its first comparison.
 */
export function visibleChartSql(userParam: string, roleParam: string, alias = 'e'): string {
  return `(${alias}.purpose = 'claim'
    OR ${roleParam}::text IN ('supervisor', 'admin', 'operator')
    OR ${alias}.coder_id = ${userParam}::uuid
    OR (${alias}.purpose = 'blind' AND EXISTS (
         SELECT 1 FROM double_coding_copies copy
           JOIN double_codings dc ON dc.id = copy.double_coding_id
           JOIN double_coding_copies mine ON mine.double_coding_id = dc.id
          WHERE copy.encounter_id = ${alias}.id AND dc.status IN ('reconciling', 'reconciled')
            AND (${roleParam}::text = 'reviewer' OR mine.coder_id = ${userParam}::uuid))))`;
}

/** Whether `user` may see the chart; false when their organization has no such chart. */
export async function chartVisible(
  runner: SqlRunner,
  user: Pick<SessionUser, 'id' | 'role' | 'organizationId'>,
  encounterId: string,
): Promise<boolean> {
  const rows = await runner.query<unknown[]>(
    `SELECT 1 FROM encounters e
      WHERE e.id = $1 AND e.organization_id = $2 AND ${visibleChartSql('$3', '$4')}`,
    [encounterId, user.organizationId, user.id, user.role],
  );
  return rows.length > 0;
}

/** The rule for services: throws the chart's `not_found` when `user` may not see it. */
@Injectable()
export class ChartVisibility {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async assertVisible(
    user: Pick<SessionUser, 'id' | 'role' | 'organizationId'>,
    encounterId: string,
    runner: SqlRunner = this.dataSource.manager,
  ): Promise<void> {
    if (!(await chartVisible(runner, user, encounterId)))
      throw DomainError.notFound('The encounter');
  }
}

/**
 * Assignment is for claims: a blind copy or a practice chart keeps the coder it was made for
 * (its visibility follows that coder).
 */
export function assertAssignable(chart: { purpose: 'claim' | 'practice' | 'blind' }): void {
  if (chart.purpose !== 'claim')
    throw new DomainError(
      'invalid_state',
      'A blind copy or a practice chart keeps the coder it was made for',
    );
}

const CHART_PARAM = 'countersign:chart-param';

/**
 * Names the route parameter that holds a chart id when the route's path does not say so with
 * `encounters/:id` (for example `precedents/for-chart/:id`).
 */
export const ChartParam = (name: string) => SetMetadata(CHART_PARAM, name);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The route parameter of a REST route that holds a chart id: `:id` right after an `encounters`
 * segment (`/api/encounters/:id/...`, `/api/audit/encounters/:id`, `/api/quality/encounters/:id/result`),
 * or the one a route names with `@ChartParam`. Null for a route about no one chart.
 */
export function chartParamOf(path: string, named: string | undefined): string | null {
  if (named) return named;
  return /(^|\/)encounters\/:id(\/|$)/.test(path) ? 'id' : null;
}

/**
 * Applied to every REST route (an APP_INTERCEPTOR, after the auth guard): a route about one chart
 * answers 404 before its handler runs when the caller may not see the chart, so no route, present
 * or future, can serve a blind copy or a practice chart to someone the rule keeps it from. A
 * malformed id is left to the route's own validation.
 */
@Injectable()
export class ChartVisibilityInterceptor implements NestInterceptor {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ChartVisibility) private readonly visibility: ChartVisibility,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const user = requestUser(request);
    const route = (request.route as { path?: unknown } | undefined)?.path;
    const param = chartParamOf(
      typeof route === 'string' ? route : '',
      this.reflector.get<string | undefined>(CHART_PARAM, context.getHandler()),
    );
    const encounterId = param ? request.params[param] : undefined;
    if (!user || typeof encounterId !== 'string' || !UUID.test(encounterId)) return next.handle();
    return from(this.visibility.assertVisible(user, encounterId)).pipe(
      mergeMap(() => next.handle()),
    );
  }
}
