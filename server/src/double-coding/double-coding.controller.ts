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
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  CancelDoubleCodingSchema,
  DoubleCodingListQuerySchema,
  ReconcileCommandSchema,
  SendToDoubleCodingSchema,
  type CancelDoubleCoding,
  type DoubleCoding,
  type DoubleCodingSummary,
  type Reconciliation,
  type SendToDoubleCoding,
  type SessionUser,
} from '@countersign/shared';
import type { z } from 'zod';
import { CurrentUser } from '../auth/auth.guard.js';
import { ZodValidationPipe } from '../errors/zod-validation.pipe.js';
import { ApiZodBody, ApiZodQuery } from '../openapi/zod-openapi.js';
import { DoubleCodingService } from './double-coding.service.js';

/**
 * Blind double coding and reconciliation (docs/domain.md section 11.2), the contract of
 * shared/src/agreement/double-coding.schema.ts. A blind copy is submitted with the room's
 * ordinary submit (the socket's `encounter:transition`).
 */
@ApiTags('double-coding')
@Controller()
export class DoubleCodingController {
  constructor(@Inject(DoubleCodingService) private readonly doubleCoding: DoubleCodingService) {}

  /** Sends a draft chart with no lines to two coders (supervisor, admin). */
  @Post('encounters/:id/double-coding')
  @ApiZodBody(SendToDoubleCodingSchema)
  send(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body(new ZodValidationPipe(SendToDoubleCodingSchema)) body: SendToDoubleCoding,
  ): Promise<DoubleCoding> {
    return this.doubleCoding.send(user, id, body.coderIds);
  }

  /** The organization's double codings; a coder's list holds only their own, blind. */
  @Get('double-codings')
  @ApiZodQuery(DoubleCodingListQuerySchema)
  list(
    @CurrentUser() user: SessionUser,
    @Query(new ZodValidationPipe(DoubleCodingListQuerySchema))
    query: z.output<typeof DoubleCodingListQuerySchema>,
  ): Promise<DoubleCodingSummary[]> {
    return this.doubleCoding.list(user, query.status);
  }

  @Get('double-codings/:id')
  get(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<DoubleCoding> {
    return this.doubleCoding.get(user, id);
  }

  @Post('double-codings/:id/cancel')
  @HttpCode(200)
  @ApiZodBody(CancelDoubleCodingSchema)
  cancel(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body(new ZodValidationPipe(CancelDoubleCodingSchema)) body: CancelDoubleCoding,
  ): Promise<DoubleCoding> {
    return this.doubleCoding.cancel(user, id, body.reason);
  }

  /** Both codings side by side, once both are submitted. */
  @Get('double-codings/:id/reconciliation')
  reconciliation(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<Reconciliation> {
    return this.doubleCoding.reconciliation(user, id);
  }

  /** The final lines, a decision with a reason for every line of both codings. */
  @Post('double-codings/:id/reconcile')
  @HttpCode(200)
  @ApiZodBody(ReconcileCommandSchema)
  reconcile(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body(new ZodValidationPipe(ReconcileCommandSchema))
    body: z.output<typeof ReconcileCommandSchema>,
  ): Promise<DoubleCoding> {
    return this.doubleCoding.reconcile(user, id, body.decisions);
  }
}
