import { Module } from '@nestjs/common';
import { AssignmentModule } from '../assignment/assignment.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { EditsModule } from '../edits/edits.module.js';
import { EncounterModule } from '../encounter/encounter.module.js';
import { PrecedentsModule } from '../precedents/precedents.module.js';
import { QualityResultsModule } from '../quality/results/quality-results.module.js';
import { UsersModule } from '../users/users.module.js';
import { APPROVAL_GATES, type ApprovalGate } from './approval-gates.js';
import { ChartEditsService } from './chart-edits.service.js';
import { CommentsService } from './comments.service.js';
import { ReviewController } from './review.controller.js';
import { ReviewRepository } from './review.repository.js';
import { ReviewService } from './review.service.js';
import { SuggestionsService } from './suggestions.service.js';

/** The live review: line reviews, suggestions and their disputes, comments, acknowledgements and the workflow transitions. */
@Module({
  imports: [
    EncounterModule,
    UsersModule,
    EditsModule,
    AuditModule,
    AssignmentModule,
    PrecedentsModule,
    QualityResultsModule,
  ],
  controllers: [ReviewController],
  providers: [
    ReviewRepository,
    ReviewService,
    SuggestionsService,
    CommentsService,
    ChartEditsService,
    {
      provide: APPROVAL_GATES,
      useFactory: (chartEdits: ChartEditsService): ApprovalGate[] => [
        (encounter) => chartEdits.blockers(encounter),
      ],
      inject: [ChartEditsService],
    },
  ],
  exports: [ReviewService, SuggestionsService, CommentsService, ChartEditsService],
})
export class ReviewModule {}
