import { Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  ChartAuditQuerySchema,
  ChartAuditSchema,
  type ChartAudit,
  type ChartAuditQuery,
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
}
