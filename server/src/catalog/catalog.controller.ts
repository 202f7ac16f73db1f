import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CatalogLookupQuerySchema, CatalogLookupResponseSchema, type CatalogLookupResponse } from '@countersign/shared';
import type { z } from 'zod';
import { ZodValidationPipe } from '../errors/zod-validation.pipe.js';
import { ApiZodQuery, ApiZodResponse } from '../openapi/zod-openapi.js';
import { CatalogService } from './catalog.service.js';

@ApiTags('catalog')
@Controller('catalog')
export class CatalogController {
  constructor(@Inject(CatalogService) private readonly catalog: CatalogService) {}

  /** Descriptions of the codes on a chart, e.g. `?codes=99213,E11.9,25`. */
  @Get('lookup')
  @ApiZodQuery(CatalogLookupQuerySchema)
  @ApiZodResponse(CatalogLookupResponseSchema)
  async lookup(
    @Query(new ZodValidationPipe(CatalogLookupQuerySchema)) query: z.output<typeof CatalogLookupQuerySchema>,
  ): Promise<CatalogLookupResponse> {
    return { items: await this.catalog.lookup(query.codes) };
  }
}
