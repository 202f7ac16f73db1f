import { Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  ChartAuditQuerySchema,
  ChartAuditSchema,
  PeopleAuditSchema,
  type ChartAudit,
  type ChartAuditQuery,
  type PeopleAudit,
  type SessionUser,
} from '@countersign/shared';
import { CurrentUser } from '../auth/auth.guard.js';
import { ApiZodQuery, ApiZodResponse } from '../openapi/zod-openapi.js';
import { ZodValidationPipe } from '../errors/zod-validation.pipe.js';
import { AuditService } from './audit.service.js';

/** The audit of a chart for an admin: its event chain verified and who opened it. */
@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(@Inject(AuditService) private readonly audit: AuditService) {}

  @Get('encounters/:id')
  @ApiZodQuery(ChartAuditQuerySchema)
  @ApiZodResponse(ChartAuditSchema)
  chart(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query(new ZodValidationPipe(ChartAuditQuerySchema)) query: ChartAuditQuery,
  ): Promise<ChartAudit> {
    return this.audit.chart(user, id, query.limit);
  }

  /** The people trail of the admin's organization: who did what to whom, its hash chain checked. */
  @Get('people')
  @ApiZodQuery(ChartAuditQuerySchema)
  @ApiZodResponse(PeopleAuditSchema)
  people(
    @CurrentUser() user: SessionUser,
    @Query(new ZodValidationPipe(ChartAuditQuerySchema)) query: ChartAuditQuery,
  ): Promise<PeopleAudit> {
    return this.audit.peopleTrail(user, query.limit);
  }
}
