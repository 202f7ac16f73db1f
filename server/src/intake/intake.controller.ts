import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import {
  IntakeCommitSchema,
  IntakeListResponseSchema,
  IntakePreviewSchema,
  IntakeRowsQuerySchema,
  IntakeRowsResponseSchema,
  IntakeSummarySchema,
  IntakeUploadQuerySchema,
  MAX_INTAKE_BYTES,
  type IntakeCommit,
  type IntakeFormat,
  type IntakeListResponse,
  type IntakePreview,
  type IntakeRowsQuery,
  type IntakeRowsResponse,
  type IntakeSummary,
  type IntakeUploadQuery,
  type SessionUser,
} from '@countersign/shared';
import type { Request } from 'express';
import { CurrentUser } from '../auth/auth.guard.js';
import { ZodValidationPipe } from '../errors/zod-validation.pipe.js';
import { ApiZodBody, ApiZodQuery, ApiZodResponse } from '../openapi/zod-openapi.js';
import { readTextBody } from './request-body.js';
import { IntakeService } from './intake.service.js';

/** Charts in: upload a CSV or FHIR file, read its preview, commit it (docs/intake-api.md). */
@ApiTags('encounter-imports')
@Controller('encounter-imports')
export class IntakeController {
  constructor(@Inject(IntakeService) private readonly intake: IntakeService) {}

  @Get()
  @ApiZodResponse(IntakeListResponseSchema)
  async list(@CurrentUser() user: SessionUser): Promise<IntakeListResponse> {
    return { items: await this.intake.list(user) };
  }

  /** The file is the body (`text/csv` or `application/fhir+json`); answers the preview. */
  @Post()
  @HttpCode(201)
  @ApiConsumes('text/csv', 'application/fhir+json')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiZodQuery(IntakeUploadQuerySchema)
  @ApiZodResponse(IntakePreviewSchema, 201)
  async upload(
    @CurrentUser() user: SessionUser,
    @Query(new ZodValidationPipe(IntakeUploadQuerySchema)) query: IntakeUploadQuery,
    @Req() request: Request,
  ): Promise<IntakePreview> {
    const format = query.format ?? formatOf(request);
    const content = await readTextBody(request, MAX_INTAKE_BYTES);
    return this.intake.preview(user, format, content, { fileName: query.fileName ?? null });
  }

  @Get(':id')
  @ApiZodResponse(IntakeSummarySchema)
  get(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<IntakeSummary> {
    return this.intake.summary(user, id);
  }

  @Get(':id/rows')
  @ApiZodQuery(IntakeRowsQuerySchema)
  @ApiZodResponse(IntakeRowsResponseSchema)
  rows(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query(new ZodValidationPipe(IntakeRowsQuerySchema)) query: IntakeRowsQuery,
  ): Promise<IntakeRowsResponse> {
    return this.intake.rows(user, id, query);
  }

  /** Starts the commit (202, `committing`); poll `GET :id` for progress. */
  @Post(':id/commit')
  @HttpCode(202)
  @ApiZodBody(IntakeCommitSchema)
  @ApiZodResponse(IntakeSummarySchema, 202)
  commit(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body(new ZodValidationPipe(IntakeCommitSchema)) body: IntakeCommit,
  ): Promise<IntakeSummary> {
    return this.intake.commit(user, id, body.mode);
  }

  /** Discards a preview: nothing was created, its rows are dropped. */
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiZodResponse(IntakeSummarySchema)
  async cancel(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<IntakeSummary> {
    await this.intake.cancel(user, id);
    return this.intake.summary(user, id);
  }
}

function formatOf(request: Request): IntakeFormat {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'text/csv' ? 'csv' : 'fhir';
}
