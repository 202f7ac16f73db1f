import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  WorklistQuerySchema,
  WorklistResponseSchema,
  type SessionUser,
  type WorklistQuery,
  type WorklistResponse,
} from '@countersign/shared';
import { CurrentUser } from '../auth/auth.guard.js';
import { ZodValidationPipe } from '../errors/zod-validation.pipe.js';
import { ApiZodQuery, ApiZodResponse } from '../openapi/zod-openapi.js';
import { WorklistService } from './worklist.service.js';

@ApiTags('encounters')
@Controller('encounters')
export class WorklistController {
  constructor(@Inject(WorklistService) private readonly worklist: WorklistService) {}

  /**
   * The worklist: search (`q`: patient name or MRN), filters, sort, page, and the queue counts
   * under the same filters. An unknown parameter, sort or a bad date is refused with 400.
   */
  @Get()
  @ApiZodQuery(WorklistQuerySchema)
  @ApiZodResponse(WorklistResponseSchema)
  page(
    @CurrentUser() user: SessionUser,
    @Query(new ZodValidationPipe(WorklistQuerySchema)) query: WorklistQuery,
  ): Promise<WorklistResponse> {
    return this.worklist.page(user, query);
  }
}
