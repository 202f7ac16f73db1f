import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { UsersModule } from '../users/users.module.js';
import { EncounterEventBus } from './encounter-event-bus.js';
import { EncounterWriter } from './encounter-writer.js';
import { EncounterController } from './encounter.controller.js';
import { EncounterRepository } from './encounter.repository.js';
import { EncounterService } from './encounter.service.js';

@Module({
  imports: [UsersModule, AuditModule],
  controllers: [EncounterController],
  providers: [EncounterService, EncounterWriter, EncounterEventBus, EncounterRepository],
  exports: [EncounterService, EncounterWriter, EncounterEventBus, EncounterRepository],
})
export class EncounterModule {}
