import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  AssignmentRequestSchema,
  AssignmentResponseSchema,
  EncounterSchema,
  type AssignmentRequest,
  type AssignmentResponse,
  type Encounter,
  type SessionUser,
} from '@countersign/shared';
import { CurrentUser } from '../auth/auth.guard.js';
import { EncounterService } from '../encounter/encounter.service.js';
import { ZodValidationPipe } from '../errors/zod-validation.pipe.js';
import { ApiZodBody, ApiZodResponse } from '../openapi/zod-openapi.js';
import { AssignmentService } from './assignment.service.js';

/**
 * Claiming and assigning charts. Neither takes `If-Match`: the outcome depends only on the
 * assignment, which is checked under the chart's row lock (the first of two claims wins).
 */
@ApiTags('assignments')
@Controller()
export class AssignmentController {
  constructor(
    @Inject(AssignmentService) private readonly assignments: AssignmentService,
    @Inject(EncounterService) private readonly encounters: EncounterService,
  ) {}

  /** A coder claims an unassigned draft; answers the chart as it now stands. */
  @Post('encounters/:id/claim')
  @HttpCode(200)
  @ApiZodResponse(EncounterSchema)
  async claim(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<Encounter> {
    await this.assignments.claim(user, id);
    return this.encounters.get(user, id);
  }

  /** A supervisor or an admin assigns coder and/or reviewer on one or many charts. */
  @Post('assignments')
  @HttpCode(200)
  @ApiZodBody(AssignmentRequestSchema)
  @ApiZodResponse(AssignmentResponseSchema)
  assign(
    @CurrentUser() user: SessionUser,
    @Body(new ZodValidationPipe(AssignmentRequestSchema)) body: AssignmentRequest,
  ): Promise<AssignmentResponse> {
    return this.assignments.assign(user, body);
  }
}
