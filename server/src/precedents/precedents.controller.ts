import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  PrecedentDetailSchema,
  PrecedentEditSchema,
  PrecedentPageSchema,
  PrecedentParamsSchema,
  PrecedentSchema,
  PrecedentSearchQuerySchema,
  PrecedentStatusChangeSchema,
  type Precedent,
  type PrecedentDetail,
  type PrecedentEdit,
  type PrecedentPage,
  type PrecedentSearchQuery,
  type PrecedentStatusChange,
  type SessionUser,
} from '@countersign/shared';
import { ChartReadRoute } from '../audit/chart-read.interceptor.js';
import { ChartParam } from '../encounter/chart-visibility.js';
import { CurrentUser } from '../auth/auth.guard.js';
import { ZodValidationPipe } from '../errors/zod-validation.pipe.js';
import { ApiZodBody, ApiZodQuery, ApiZodResponse } from '../openapi/zod-openapi.js';
import { PrecedentsService } from './precedents.service.js';

type Params = z.output<typeof PrecedentParamsSchema>;

/** The precedent library (docs/domain.md section 10.4). */
@ApiTags('precedents')
@Controller('precedents')
export class PrecedentsController {
  constructor(@Inject(PrecedentsService) private readonly precedents: PrecedentsService) {}

  /** Search by code and words; anyone in the organization. */
  @Get()
  @ApiZodQuery(PrecedentSearchQuerySchema)
  @ApiZodResponse(PrecedentPageSchema)
  search(
    @CurrentUser() user: SessionUser,
    @Query(new ZodValidationPipe(PrecedentSearchQuerySchema)) query: PrecedentSearchQuery,
  ): Promise<PrecedentPage> {
    return this.precedents.search(user, query);
  }

  /** What the room shows: the active precedents whose codes are all on the chart's billed lines. */
  @Get('for-chart/:id')
  @ChartParam('id')
  @ChartReadRoute('GET /api/precedents/for-chart/:id')
  @ApiZodResponse(z.array(PrecedentSchema))
  forChart(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<Precedent[]> {
    return this.precedents.forChart(user, id);
  }

  @Get(':number')
  @ApiZodResponse(PrecedentDetailSchema)
  detail(
    @CurrentUser() user: SessionUser,
    @Param(new ZodValidationPipe(PrecedentParamsSchema)) params: Params,
  ): Promise<PrecedentDetail> {
    return this.precedents.detail(user, params.number);
  }

  /** A supervisor or an admin edits; the change is kept as a revision. */
  @Patch(':number')
  @ApiZodBody(PrecedentEditSchema)
  @ApiZodResponse(PrecedentDetailSchema)
  edit(
    @CurrentUser() user: SessionUser,
    @Param(new ZodValidationPipe(PrecedentParamsSchema)) params: Params,
    @Body(new ZodValidationPipe(PrecedentEditSchema.strict())) body: PrecedentEdit,
  ): Promise<PrecedentDetail> {
    return this.precedents.edit(user, params.number, body);
  }

  @Post(':number/retire')
  @HttpCode(200)
  @ApiZodBody(PrecedentStatusChangeSchema)
  @ApiZodResponse(PrecedentDetailSchema)
  retire(
    @CurrentUser() user: SessionUser,
    @Param(new ZodValidationPipe(PrecedentParamsSchema)) params: Params,
    @Body(new ZodValidationPipe(PrecedentStatusChangeSchema)) body: PrecedentStatusChange,
  ): Promise<PrecedentDetail> {
    return this.precedents.retire(user, params.number, body.reason);
  }

  @Post(':number/reactivate')
  @HttpCode(200)
  @ApiZodBody(PrecedentStatusChangeSchema)
  @ApiZodResponse(PrecedentDetailSchema)
  reactivate(
    @CurrentUser() user: SessionUser,
    @Param(new ZodValidationPipe(PrecedentParamsSchema)) params: Params,
    @Body(new ZodValidationPipe(PrecedentStatusChangeSchema)) body: PrecedentStatusChange,
  ): Promise<PrecedentDetail> {
    return this.precedents.reactivate(user, params.number, body.reason);
  }
}
