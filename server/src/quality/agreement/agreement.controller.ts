import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  AgreementQuerySchema,
  type AgreementQuery,
  type AgreementReport,
  type SessionUser,
} from '@countersign/shared';
import { CurrentUser } from '../../auth/auth.guard.js';
import { ZodValidationPipe } from '../../errors/zod-validation.pipe.js';
import { ApiZodQuery } from '../../openapi/zod-openapi.js';
import { AgreementService } from './agreement.service.js';

/** Agreement between coders on blind double-coded charts (docs/domain.md 11.3). */
@ApiTags('quality')
@Controller('quality')
export class AgreementController {
  constructor(@Inject(AgreementService) private readonly agreement: AgreementService) {}

  /** The team's, each pair's and each week's figures, and the charts behind them: supervisors and admins. */
  @Get('agreement')
  @ApiZodQuery(AgreementQuerySchema)
  report(
    @CurrentUser() user: SessionUser,
    @Query(new ZodValidationPipe(AgreementQuerySchema)) query: AgreementQuery,
  ): Promise<AgreementReport> {
    return this.agreement.report(user, query);
  }
}
