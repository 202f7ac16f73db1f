import { Module } from '@nestjs/common';
import { AssignmentModule } from '../assignment/assignment.module.js';
import { EncounterModule } from '../encounter/encounter.module.js';
import { ReviewModule } from '../review/review.module.js';
import { SamplingModule } from '../sampling/sampling.module.js';
import { DoubleCodingSampler } from './double-coding-sampler.js';
import { DoubleCodingController } from './double-coding.controller.js';
import { DoubleCodingRepository } from './double-coding.repository.js';
import { DoubleCodingService } from './double-coding.service.js';

/** Blind double coding and reconciliation (docs/domain.md section 11.2). */
@Module({
  imports: [EncounterModule, ReviewModule, AssignmentModule, SamplingModule],
  controllers: [DoubleCodingController],
  providers: [DoubleCodingService, DoubleCodingRepository, DoubleCodingSampler],
  exports: [DoubleCodingService],
})
export class DoubleCodingModule {}
