import { Module } from '@nestjs/common';
import { SamplingController } from './sampling.controller.js';
import { SamplingRepository } from './sampling.repository.js';
import { SamplingService } from './sampling.service.js';

/** Sampling that tapers: the policy, the coders' review levels and the decision at submit. */
@Module({
  controllers: [SamplingController],
  providers: [SamplingRepository, SamplingService],
  exports: [SamplingService],
})
export class SamplingModule {}
