import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import {
  BigIdSchema,
  CatalogEditionListSchema,
  CatalogImportListSchema,
  CatalogImportSchema,
  CatalogLookupQuerySchema,
  CatalogLookupResponseSchema,
  CatalogSearchQuerySchema,
  CatalogSearchResponseSchema,
  ImportRestoreRequestSchema,
  ImportUploadQuerySchema,
  type CatalogEditionList,
  type CatalogImport,
  type CatalogImportList,
  type CatalogLookupResponse,
  type CatalogSearchQuery,
  type CatalogSearchResponse,
  type ImportRestoreRequest,
  type ImportUploadQuery,
  type SessionUser,
} from '@countersign/shared';
import type { Request } from 'express';
import type { z } from 'zod';
import { CurrentUser } from '../auth/auth.guard.js';
import { ZodValidationPipe } from '../errors/zod-validation.pipe.js';
import { ApiZodBody, ApiZodQuery, ApiZodResponse } from '../openapi/zod-openapi.js';
import { CatalogImportService } from './catalog-import.service.js';
import { CatalogSearchService } from './catalog-search.service.js';
import { CatalogService } from './catalog.service.js';

@ApiTags('catalog')
@Controller('catalog')
export class CatalogController {
  constructor(
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(CatalogSearchService) private readonly searchService: CatalogSearchService,
    @Inject(CatalogImportService) private readonly imports: CatalogImportService,
  ) {}

  /** Descriptions of the codes on a chart, e.g. `?codes=99213,E11.9,25`. */
  @Get('lookup')
  @ApiZodQuery(CatalogLookupQuerySchema)
  @ApiZodResponse(CatalogLookupResponseSchema)
  async lookup(
    @Query(new ZodValidationPipe(CatalogLookupQuerySchema))
    query: z.output<typeof CatalogLookupQuerySchema>,
  ): Promise<CatalogLookupResponse> {
    return { items: await this.catalog.lookup(query.codes) };
  }

  /** The typeahead: `?q=e11.9` or `?q=diab mell&system=ICD10CM&date=2026-03-02`; at most 20. */
  @Get('search')
  @ApiZodQuery(CatalogSearchQuerySchema)
  @ApiZodResponse(CatalogSearchResponseSchema)
  async search(
    @Query(new ZodValidationPipe(CatalogSearchQuerySchema)) query: CatalogSearchQuery,
  ): Promise<CatalogSearchResponse> {
    return { items: await this.searchService.search(query) };
  }

  /** Loaded editions of every code set and edit file. */
  @Get('editions')
  @ApiZodResponse(CatalogEditionListSchema)
  async editions(): Promise<CatalogEditionList> {
    return { items: await this.imports.editions() };
  }

  /** Operator: upload one file as the request body; poll the import it answers with until its preview is ready. */
  @Post('imports')
  @HttpCode(202)
  @ApiConsumes('application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiZodQuery(ImportUploadQuerySchema)
  @ApiZodResponse(CatalogImportSchema, 202)
  upload(
    @CurrentUser() user: SessionUser,
    @Query(new ZodValidationPipe(ImportUploadQuerySchema)) query: ImportUploadQuery,
    @Req() request: Request,
  ): Promise<CatalogImport> {
    const length = Number(request.headers['content-length']);
    return this.imports.upload(user, query, request, Number.isFinite(length) ? length : null);
  }

  /** Operator: apply a preview (409 when it expired or another import was applied since). */
  @Post('imports/:id/confirm')
  @HttpCode(200)
  @ApiZodResponse(CatalogImportSchema)
  confirm(@CurrentUser() user: SessionUser, @Param('id') id: string): Promise<CatalogImport> {
    return this.imports.confirm(user, id);
  }

  /** Operator: drop a preview; nothing changes. */
  @Post('imports/:id/cancel')
  @HttpCode(200)
  @ApiZodResponse(CatalogImportSchema)
  cancel(@CurrentUser() user: SessionUser, @Param('id') id: string): Promise<CatalogImport> {
    return this.imports.cancel(user, id);
  }

  /** Operator: preview the undo of the last applied import of a kind and edition; confirm it like an import. */
  @Post('imports/restore')
  @HttpCode(201)
  @ApiZodBody(ImportRestoreRequestSchema)
  @ApiZodResponse(CatalogImportSchema, 201)
  restore(
    @CurrentUser() user: SessionUser,
    @Body(new ZodValidationPipe(ImportRestoreRequestSchema)) body: ImportRestoreRequest,
  ): Promise<CatalogImport> {
    return this.imports.restore(user, body);
  }

  /** Admin or operator: recent imports, newest first. */
  @Get('imports')
  @ApiZodResponse(CatalogImportListSchema)
  async list(@CurrentUser() user: SessionUser): Promise<CatalogImportList> {
    return { items: await this.imports.list(user) };
  }

  /** Admin: one import with its progress, summary or error. */
  @Get('imports/:id')
  @ApiZodResponse(CatalogImportSchema)
  get(
    @CurrentUser() user: SessionUser,
    @Param('id', new ZodValidationPipe(BigIdSchema)) id: string,
  ): Promise<CatalogImport> {
    return this.imports.get(user, id);
  }
}
