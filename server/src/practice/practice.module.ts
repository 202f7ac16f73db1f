import { Module } from '@nestjs/common';
import { EditsModule } from '../edits/edits.module.js';
import { EncounterModule } from '../encounter/encounter.module.js';
import { PracticeController } from './practice.controller.js';
import { PracticeRepository } from './practice.repository.js';
import { PracticeService } from './practice.service.js';

/** Gold practice charts: courses, answer keys, trainees' attempts, scores and promotion. */
@Module({
  imports: [EncounterModule, EditsModule],
  controllers: [PracticeController],
  providers: [PracticeRepository, PracticeService],
})
export class PracticeModule {}
