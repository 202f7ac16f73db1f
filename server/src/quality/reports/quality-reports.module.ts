import { Module } from '@nestjs/common';
import { SamplingModule } from '../../sampling/sampling.module.js';
import { QualityReportsController } from './quality-reports.controller.js';
import { QualityReportsRepository } from './quality-reports.repository.js';
import { QualityReportsService } from './quality-reports.service.js';

/** The quality programme's read side: the team report, a coder's own view, the charts behind a figure. */
@Module({
  imports: [SamplingModule],
  controllers: [QualityReportsController],
  providers: [QualityReportsRepository, QualityReportsService],
})
export class QualityReportsModule {}
