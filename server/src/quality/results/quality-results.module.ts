import { Module } from '@nestjs/common';
import { QualityResultsRepository } from './quality-results.repository.js';

/** The write side of the quality programme: each approval's facts and the weekly roll-ups. */
@Module({
  providers: [QualityResultsRepository],
  exports: [QualityResultsRepository],
})
export class QualityResultsModule {}
