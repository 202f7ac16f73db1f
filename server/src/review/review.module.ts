import { Module } from '@nestjs/common';
import { EncounterModule } from '../encounter/encounter.module.js';
import { UsersModule } from '../users/users.module.js';
import { APPROVAL_GATES } from './approval-gates.js';
import { CommentsService } from './comments.service.js';
import { ReviewService } from './review.service.js';

/** The live review: line reviews, suggestions, comments and the workflow transitions. */
@Module({
  imports: [EncounterModule, UsersModule],
  providers: [ReviewService, CommentsService, { provide: APPROVAL_GATES, useValue: [] }],
  exports: [ReviewService, CommentsService],
})
export class ReviewModule {}
