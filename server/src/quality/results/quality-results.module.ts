import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/audit.module.js';
import { EncounterModule } from '../../encounter/encounter.module.js';
import { QualityResultsController } from './quality-results.controller.js';
import { QualityResultsRepository } from './quality-results.repository.js';
import { QualityResultsService } from './quality-results.service.js';

/**
 * The write side of the quality programme: each approval's facts and the weekly roll-ups
 * (recorded by the review's approval), and a chart's review result as the room shows it.
 */
@Module({
  imports: [EncounterModule, AuditModule],
  controllers: [QualityResultsController],
  providers: [QualityResultsRepository, QualityResultsService],
  exports: [QualityResultsRepository],
})
export class QualityResultsModule {}
