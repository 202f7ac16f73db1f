import { Module } from '@nestjs/common';
import { EditsModule } from '../edits/edits.module.js';
import { EncounterModule } from '../encounter/encounter.module.js';
import { UsersModule } from '../users/users.module.js';
import { IntakeController } from './intake.controller.js';
import { IntakeRepository } from './intake.repository.js';
import { IntakeService } from './intake.service.js';

/** Charts in: CSV and FHIR imports through the encounter service (docs/intake-api.md). */
@Module({
  imports: [EncounterModule, UsersModule, EditsModule],
  controllers: [IntakeController],
  providers: [IntakeService, IntakeRepository],
  exports: [IntakeService],
})
export class IntakeModule {}
