import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  SamplingPolicySchema,
  type CoderReviewLevel,
  type RecordedSamplingDecision,
  type ReviewLevel,
  type SamplingPolicy,
  type SessionUser,
} from '@countersign/shared';
import { CurrentUser } from '../auth/auth.guard.js';
import { ZodValidationPipe } from '../errors/zod-validation.pipe.js';
import { ApiZodBody, ApiZodResponse } from '../openapi/zod-openapi.js';
import { SamplingService } from './sampling.service.js';

/** Sampling that tapers (docs/domain.md section 10, "Sampling"). */
@ApiTags('sampling')
@Controller()
export class SamplingController {
  constructor(@Inject(SamplingService) private readonly sampling: SamplingService) {}

  /** The organization's policy (the defaults until a supervisor saves one); anyone reads it. */
  @Get('sampling/policy')
  @ApiZodResponse(SamplingPolicySchema)
  policy(@CurrentUser() user: SessionUser): Promise<SamplingPolicy> {
    return this.sampling.policy(user);
  }

  /** A supervisor or an admin saves the whole policy. */
  @Put('sampling/policy')
  @ApiZodBody(SamplingPolicySchema)
  @ApiZodResponse(SamplingPolicySchema)
  savePolicy(
    @CurrentUser() user: SessionUser,
    @Body(new ZodValidationPipe(SamplingPolicySchema.strict())) body: SamplingPolicy,
  ): Promise<SamplingPolicy> {
    return this.sampling.savePolicy(user, body);
  }

  /** Every active coder's review level; supervisors and admins. */
  @Get('sampling/levels')
  levels(@CurrentUser() user: SessionUser): Promise<CoderReviewLevel[]> {
    return this.sampling.levels(user);
  }

  /** The caller's own review level. */
  @Get('sampling/my-level')
  myLevel(@CurrentUser() user: SessionUser): Promise<ReviewLevel> {
    return this.sampling.myLevel(user);
  }

  /** Why the chart's latest submission was reviewed or skipped. */
  @Get('encounters/:id/sampling')
  decision(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<RecordedSamplingDecision> {
    return this.sampling.decisionFor(user, id);
  }
}
