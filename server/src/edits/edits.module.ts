import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { EditsReferenceService } from './edits-reference.service.js';
import { EditsController } from './edits.controller.js';
import { EditsRepository } from './edits.repository.js';
import { EditsService } from './edits.service.js';

/** The coding edits engine on the server: findings and fee estimates from the shared rules. */
@Module({
  imports: [CatalogModule],
  controllers: [EditsController],
  providers: [EditsRepository, EditsService, EditsReferenceService],
  exports: [EditsService, EditsReferenceService],
})
export class EditsModule {}
