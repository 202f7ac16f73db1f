import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Controller, Get, Inject, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  BulkClaimQuerySchema,
  ChartClaimQuerySchema,
  type BulkClaimQuery,
  type ChartClaimQuery,
  type SessionUser,
} from '@countersign/shared';
import type { Response } from 'express';
import { CurrentUser } from '../auth/auth.guard.js';
import { ZodValidationPipe } from '../errors/zod-validation.pipe.js';
import { ApiZodQuery } from '../openapi/zod-openapi.js';
import { ClaimExportService, type ExportFile } from './claim-export.service.js';

const PRODUCES = ['application/fhir+json', 'application/fhir+ndjson', 'text/csv'];

function sendHeaders(response: Response, file: Omit<ExportFile, 'body'>): void {
  response.setHeader('Content-Type', file.contentType);
  response.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
  response.setHeader('Cache-Control', 'no-store');
}

/** Claims out: one chart's claim, and the signed-off charts of a date range. */
@ApiTags('exports')
@Controller()
export class ClaimExportController {
  constructor(@Inject(ClaimExportService) private readonly exports: ClaimExportService) {}

  /** The chart as a FHIR R4 Claim (`format=fhir`) or CSV; `onRequest=true` for a chart not signed off. */
  @Get('encounters/:id/claim')
  @ApiZodQuery(ChartClaimQuerySchema)
  @ApiProduces(...PRODUCES)
  async chartClaim(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query(new ZodValidationPipe(ChartClaimQuerySchema)) query: ChartClaimQuery,
    @Res() response: Response,
  ): Promise<void> {
    const file = await this.exports.chartClaim(user, id, query);
    sendHeaders(response, file);
    response.send(file.body);
  }

  /**
   * The signed-off charts whose sign-off day (UTC) or date of service is within `from`..`to`, as
   * a FHIR Bundle (collection), NDJSON or CSV, streamed. An error before the first byte is the
   * usual JSON error; one after it aborts the response, so a cut file never looks complete.
   */
  @Get('exports/claims')
  @ApiZodQuery(BulkClaimQuerySchema)
  @ApiProduces(...PRODUCES)
  async bulk(
    @CurrentUser() user: SessionUser,
    @Query(new ZodValidationPipe(BulkClaimQuerySchema)) query: BulkClaimQuery,
    @Res() response: Response,
  ): Promise<void> {
    const stream = this.exports.bulk(user, query);
    const first = await stream.chunks.next();
    sendHeaders(response, stream);
    async function* body(): AsyncGenerator<string> {
      if (!first.done) yield first.value;
      yield* stream.chunks;
    }
    try {
      await pipeline(Readable.from(body()), response);
    } catch {
      response.destroy();
    } finally {
      // Ends the export's transaction and frees its slot even when the client left before the
      // stream reached it (a no-op once the export has run to its end).
      await stream.chunks.return(undefined);
    }
  }
}
