import { Module } from '@nestjs/common';
import { EncounterModule } from '../encounter/encounter.module.js';
import { AssignmentController } from './assignment.controller.js';
import { AssignmentRepository } from './assignment.repository.js';
import { AssignmentService } from './assignment.service.js';
import { ReviewerRouting } from './reviewer-routing.js';

/** Claiming, assigning and routing charts to reviewers. */
@Module({
  imports: [EncounterModule],
  controllers: [AssignmentController],
  providers: [AssignmentService, AssignmentRepository, ReviewerRouting],
  exports: [ReviewerRouting],
})
export class AssignmentModule {}
