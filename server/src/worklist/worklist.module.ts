import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { EncounterModule } from '../encounter/encounter.module.js';
import { ReviewModule } from '../review/review.module.js';
import { ErrorCountsService } from './error-counts.service.js';
import { WorklistController } from './worklist.controller.js';
import { WorklistRepository } from './worklist.repository.js';
import { WorklistService } from './worklist.service.js';

/** The worklist at scale: server-side search, filters, sort, paging, queue counts, error counts. */
@Module({
  imports: [EncounterModule, ReviewModule, CatalogModule],
  controllers: [WorklistController],
  providers: [WorklistRepository, WorklistService, ErrorCountsService],
  exports: [ErrorCountsService],
})
export class WorklistModule {}
