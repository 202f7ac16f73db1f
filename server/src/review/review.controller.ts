import { Controller, Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { LiveEdits, SessionUser } from '@countersign/shared';
import { ChartReadRoute } from '../audit/chart-read.interceptor.js';
import { CurrentUser } from '../auth/auth.guard.js';
import { EncounterService } from '../encounter/encounter.service.js';
import { ChartEditsService } from './chart-edits.service.js';

@ApiTags('encounters')
@Controller('encounters')
export class ReviewController {
  constructor(
    @Inject(EncounterService) private readonly encounters: EncounterService,
    @Inject(ChartEditsService) private readonly chartEdits: ChartEditsService,
  ) {}

  /** Findings, fees and the review's dollar impact of the chart as it stands. */
  @Get(':id/edits')
  @ChartReadRoute('GET /api/encounters/:id/edits')
  async edits(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<LiveEdits> {
    return this.chartEdits.liveEdits(await this.encounters.get(user, id));
  }
}
