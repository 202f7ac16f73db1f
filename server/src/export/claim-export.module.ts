import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { EditsModule } from '../edits/edits.module.js';
import { EncounterModule } from '../encounter/encounter.module.js';
import { ClaimExportController } from './claim-export.controller.js';
import { ClaimExportRepository } from './claim-export.repository.js';
import { ClaimExportService } from './claim-export.service.js';

/** Claims out: FHIR R4 Claims and CSV, one chart or a date range (README "Exporting claims"). */
@Module({
  imports: [EncounterModule, EditsModule, AuditModule],
  controllers: [ClaimExportController],
  providers: [ClaimExportService, ClaimExportRepository],
})
export class ClaimExportModule {}
