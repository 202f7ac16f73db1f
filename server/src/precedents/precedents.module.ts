import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { EncounterModule } from '../encounter/encounter.module.js';
import { PrecedentsController } from './precedents.controller.js';
import { PrecedentsRepository } from './precedents.repository.js';
import { PrecedentsService } from './precedents.service.js';

/** The precedent library: search, the room's matches, a supervisor's edits and retirements. */
@Module({
  imports: [EncounterModule, AuditModule],
  controllers: [PrecedentsController],
  providers: [PrecedentsRepository, PrecedentsService],
  exports: [PrecedentsRepository],
})
export class PrecedentsModule {}
