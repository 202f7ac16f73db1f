import { Controller, Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { ChartQualityResult, SessionUser } from '@countersign/shared';
import { ChartReadRoute } from '../../audit/chart-read.interceptor.js';
import { CurrentUser } from '../../auth/auth.guard.js';
import { QualityResultsService } from './quality-results.service.js';

@ApiTags('quality')
@Controller('quality/encounters')
export class QualityResultsController {
  constructor(@Inject(QualityResultsService) private readonly results: QualityResultsService) {}

  /** The chart's review result: its figures, its lines, and the coder's last 12 weeks. */
  @Get(':id/result')
  @ChartReadRoute('GET /api/quality/encounters/:id/result')
  result(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ChartQualityResult> {
    return this.results.result(user, id);
  }
}
