import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  CodeAttributesQuerySchema,
  CodeParamSchema,
  CodeAttributesSchema,
  EditsEvaluateRequestSchema,
  EditsReferenceQuerySchema,
  EditsReferenceSchema,
  EncounterEditsSchema,
  type CodeAttributes,
  type EditsEvaluateRequest,
  type EditsReference,
  type EditsReferenceQuery,
  type EncounterEdits,
} from '@countersign/shared';
import type { z } from 'zod';
import { ZodValidationPipe } from '../errors/zod-validation.pipe.js';
import { ApiZodBody, ApiZodQuery, ApiZodResponse } from '../openapi/zod-openapi.js';
import { EditsService } from './edits.service.js';

@ApiTags('edits')
@Controller('edits')
export class EditsController {
  constructor(@Inject(EditsService) private readonly edits: EditsService) {}

  /** Reference data for codes on a date: the browser runs the same rules on it for instant feedback. */
  @Get('reference')
  @ApiZodQuery(EditsReferenceQuerySchema)
  @ApiZodResponse(EditsReferenceSchema)
  reference(
    @Query(new ZodValidationPipe(EditsReferenceQuerySchema)) query: EditsReferenceQuery,
  ): Promise<EditsReference> {
    return this.edits.referenceFor(query.dateOfService, query.codes);
  }

  /** Findings and fees of a chart that is not saved (or not yet changed). */
  @Post('evaluate')
  @HttpCode(200)
  @ApiZodBody(EditsEvaluateRequestSchema)
  @ApiZodResponse(EncounterEditsSchema)
  evaluate(
    @Body(new ZodValidationPipe(EditsEvaluateRequestSchema)) body: EditsEvaluateRequest,
  ): Promise<EncounterEdits> {
    return this.edits.evaluate(body);
  }

  /** One code's attributes from the edit data on a date: `GET /api/edits/codes/20610?dateOfService=2026-03-02`. */
  @Get('codes/:code')
  @ApiZodQuery(CodeAttributesQuerySchema)
  @ApiZodResponse(CodeAttributesSchema)
  attributes(
    @Param('code', new ZodValidationPipe(CodeParamSchema)) code: string,
    @Query(new ZodValidationPipe(CodeAttributesQuerySchema))
    query: z.output<typeof CodeAttributesQuerySchema>,
  ): Promise<CodeAttributes> {
    return this.edits.attributes(code, query.dateOfService);
  }
}
