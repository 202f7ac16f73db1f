import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  IsoDateSchema,
  QualityChartsQuerySchema,
  QualityFilterSchema,
  type MyQuality,
  type QualityChartsPage,
  type QualityChartsQuery,
  type QualityFilter,
  type QualityReport,
  type SessionUser,
} from '@countersign/shared';
import { CurrentUser } from '../../auth/auth.guard.js';
import { ZodValidationPipe } from '../../errors/zod-validation.pipe.js';
import { ApiZodQuery } from '../../openapi/zod-openapi.js';
import { QualityReportsService } from './quality-reports.service.js';

/** A coder's own view takes a period only. */
const MyQualityQuerySchema = z
  .object({ from: IsoDateSchema.optional(), to: IsoDateSchema.optional() })
  .refine((f) => !f.from || !f.to || f.from <= f.to, {
    message: 'The start date must be on or before the end date',
    path: ['from'],
  });

/**
 * The quality programme's reports (docs/domain.md section 10.5). Periods are whole approval
 * weeks (Monday to Sunday, UTC), 12 by default, two years at most. A `category` filter narrows
 * the corrections by category and the charts list to that category; the accuracy figures stay
 * over all lines (the roll-ups cannot tell a chart's other lines apart by category).
 */
@ApiTags('quality')
@Controller('quality')
export class QualityReportsController {
  constructor(@Inject(QualityReportsService) private readonly reports: QualityReportsService) {}

  /** The team report: supervisors and admins only (403 otherwise). */
  @Get('report')
  @ApiZodQuery(QualityFilterSchema)
  report(
    @CurrentUser() user: SessionUser,
    @Query(new ZodValidationPipe(QualityFilterSchema)) filter: QualityFilter,
  ): Promise<QualityReport> {
    return this.reports.report(user, filter);
  }

  /** The signed-in user's own figures as a coder, and the corrections they received. */
  @Get('me')
  @ApiZodQuery(MyQualityQuerySchema)
  me(
    @CurrentUser() user: SessionUser,
    @Query(new ZodValidationPipe(MyQualityQuerySchema)) filter: Pick<QualityFilter, 'from' | 'to'>,
  ): Promise<MyQuality> {
    return this.reports.me(user, filter);
  }

  /** The reviewed charts behind a figure, newest approval first. */
  @Get('charts')
  @ApiZodQuery(QualityChartsQuerySchema)
  charts(
    @CurrentUser() user: SessionUser,
    @Query(new ZodValidationPipe(QualityChartsQuerySchema)) query: QualityChartsQuery,
  ): Promise<QualityChartsPage> {
    return this.reports.charts(user, query);
  }
}
