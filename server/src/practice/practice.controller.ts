import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  CourseProgressSchema,
  PracticeAttemptSchema,
  PracticeChartInputSchema,
  PracticeChartPatchSchema,
  PracticeChartSchema,
  PracticeCourseInputSchema,
  PracticeCoursePatchSchema,
  PracticeCourseSchema,
  PracticeFromEncounterSchema,
  PromotionDeclineSchema,
  PromotionOfferSchema,
  TraineeFlagSchema,
  TraineeProgressSchema,
  type CourseProgress,
  type PracticeAttemptView,
  type PracticeChart,
  type PracticeChartPatch,
  type PracticeCourse,
  type PracticeCoursePatch,
  type PromotionDecline,
  type PromotionOffer,
  type SessionUser,
  type TraineeFlag,
  type TraineeProgress,
} from '@countersign/shared';
import { CurrentUser } from '../auth/auth.guard.js';
import { ZodValidationPipe } from '../errors/zod-validation.pipe.js';
import { ApiZodBody, ApiZodResponse } from '../openapi/zod-openapi.js';
import {
  PracticeService,
  type ChartInput,
  type CourseInput,
  type FromEncounter,
} from './practice.service.js';

/** Gold practice charts for new coders (docs/domain.md section 11.1); routes in practice.schema.ts. */
@ApiTags('practice')
@Controller('practice')
export class PracticeController {
  constructor(@Inject(PracticeService) private readonly practice: PracticeService) {}

  @Get('my')
  @ApiZodResponse(z.array(CourseProgressSchema))
  my(@CurrentUser() user: SessionUser): Promise<CourseProgress[]> {
    return this.practice.my(user);
  }

  @Get('courses')
  @ApiZodResponse(z.array(PracticeCourseSchema))
  courses(@CurrentUser() user: SessionUser): Promise<PracticeCourse[]> {
    return this.practice.courses(user);
  }

  @Post('courses')
  @ApiZodBody(PracticeCourseInputSchema)
  @ApiZodResponse(PracticeCourseSchema)
  createCourse(
    @CurrentUser() user: SessionUser,
    @Body(new ZodValidationPipe(PracticeCourseInputSchema.strict())) body: CourseInput,
  ): Promise<PracticeCourse> {
    return this.practice.createCourse(user, body);
  }

  @Patch('courses/:id')
  @ApiZodBody(PracticeCoursePatchSchema)
  @ApiZodResponse(PracticeCourseSchema)
  updateCourse(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body(new ZodValidationPipe(PracticeCoursePatchSchema)) body: PracticeCoursePatch,
  ): Promise<PracticeCourse> {
    return this.practice.updateCourse(user, id, body);
  }

  @Get('courses/:id/charts')
  @ApiZodResponse(z.array(PracticeChartSchema))
  charts(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<PracticeChart[]> {
    return this.practice.charts(user, id);
  }

  @Post('charts')
  @ApiZodBody(PracticeChartInputSchema)
  @ApiZodResponse(PracticeChartSchema)
  createChart(
    @CurrentUser() user: SessionUser,
    @Body(new ZodValidationPipe(PracticeChartInputSchema)) body: ChartInput,
  ): Promise<PracticeChart> {
    return this.practice.createChart(user, body);
  }

  @Post('charts/from-encounter')
  @ApiZodBody(PracticeFromEncounterSchema)
  @ApiZodResponse(PracticeChartSchema)
  fromEncounter(
    @CurrentUser() user: SessionUser,
    @Body(new ZodValidationPipe(PracticeFromEncounterSchema.strict())) body: FromEncounter,
  ): Promise<PracticeChart> {
    return this.practice.fromEncounter(user, body);
  }

  @Patch('charts/:id')
  @ApiZodBody(PracticeChartPatchSchema)
  @ApiZodResponse(PracticeChartSchema)
  updateChart(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body(new ZodValidationPipe(PracticeChartPatchSchema)) body: PracticeChartPatch,
  ): Promise<PracticeChart> {
    return this.practice.updateChart(user, id, body);
  }

  /** Starts (or continues) the caller's attempt at a chart. */
  @Post('charts/:id/attempts')
  @HttpCode(200)
  @ApiZodResponse(PracticeAttemptSchema)
  start(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<PracticeAttemptView> {
    return this.practice.start(user, id);
  }

  @Get('attempts/by-encounter/:encounterId')
  @ApiZodResponse(PracticeAttemptSchema)
  attemptByEncounter(
    @CurrentUser() user: SessionUser,
    @Param('encounterId', ParseUUIDPipe) encounterId: string,
  ): Promise<PracticeAttemptView> {
    return this.practice.attemptByEncounter(user, encounterId);
  }

  @Get('attempts/:id')
  @ApiZodResponse(PracticeAttemptSchema)
  attempt(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<PracticeAttemptView> {
    return this.practice.attempt(user, id);
  }

  @Post('attempts/:id/submit')
  @HttpCode(200)
  @ApiZodResponse(PracticeAttemptSchema)
  submit(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<PracticeAttemptView> {
    return this.practice.submit(user, id);
  }

  @Get('progress')
  @ApiZodResponse(z.array(TraineeProgressSchema))
  progress(@CurrentUser() user: SessionUser): Promise<TraineeProgress[]> {
    return this.practice.progress(user);
  }

  @Put('trainees/:userId')
  @ApiZodBody(TraineeFlagSchema)
  @ApiZodResponse(TraineeProgressSchema)
  setTrainee(
    @CurrentUser() user: SessionUser,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Body(new ZodValidationPipe(TraineeFlagSchema.strict())) body: TraineeFlag,
  ): Promise<TraineeProgress> {
    return this.practice.setTrainee(user, userId, body.trainee);
  }

  @Get('offers')
  @ApiZodResponse(z.array(PromotionOfferSchema))
  offers(@CurrentUser() user: SessionUser): Promise<PromotionOffer[]> {
    return this.practice.offers(user);
  }

  @Post('offers/:id/promote')
  @HttpCode(200)
  @ApiZodResponse(PromotionOfferSchema)
  promote(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<PromotionOffer> {
    return this.practice.promote(user, id);
  }

  @Post('offers/:id/decline')
  @HttpCode(200)
  @ApiZodBody(PromotionDeclineSchema)
  @ApiZodResponse(PromotionOfferSchema)
  decline(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body(new ZodValidationPipe(PromotionDeclineSchema.strict())) body: PromotionDecline,
  ): Promise<PromotionOffer> {
    return this.practice.decline(user, id, body.note);
  }
}
