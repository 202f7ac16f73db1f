import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import {
  ClaimLineInputSchema,
  ClaimLinePatchSchema,
  CreateEncounterSchema,
  EncounterSchema,
  UpdateEncounterSchema,
  pgIntFromString,
  type ClaimLineFields,
  type CreateEncounter,
  type Encounter,
  type EncounterEvent,
  type SessionUser,
  type UpdateEncounter,
} from '@countersign/shared';
import { z } from 'zod';
import { ChartReadRoute } from '../audit/chart-read.interceptor.js';
import { CurrentUser } from '../auth/auth.guard.js';
import { ZodValidationPipe } from '../errors/zod-validation.pipe.js';
import { ApiZodBody, ApiZodQuery, ApiZodResponse } from '../openapi/zod-openapi.js';
import { EncounterService, type CommandMeta } from './encounter.service.js';
import { IfMatch } from './if-match.js';

const EventsQuerySchema = z.object({ after: pgIntFromString().default(0) });

const IF_MATCH = {
  name: 'If-Match',
  required: true,
  description: 'The encounter version the change was made against, e.g. "12"',
};

/**
 * REST for encounters; the live room offers the same line commands over the socket. Every
 * change to an existing encounter names the version it was made against (`If-Match`).
 */
@ApiTags('encounters')
@Controller('encounters')
export class EncounterController {
  constructor(@Inject(EncounterService) private readonly encounters: EncounterService) {}

  @Post()
  @ApiZodBody(CreateEncounterSchema)
  @ApiZodResponse(EncounterSchema, 201)
  create(
    @CurrentUser() user: SessionUser,
    @Body(new ZodValidationPipe(CreateEncounterSchema)) body: CreateEncounter,
  ): Promise<Encounter> {
    return this.encounters.create(user, body);
  }

  @Get(':id')
  @ChartReadRoute('GET /api/encounters/:id')
  @ApiZodResponse(EncounterSchema)
  get(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<Encounter> {
    return this.encounters.get(user, id);
  }

  /** Header fields, note, diagnoses and assignment. */
  @Patch(':id')
  @ApiHeader(IF_MATCH)
  @ApiZodBody(UpdateEncounterSchema)
  @ApiZodResponse(EncounterSchema)
  async update(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body(new ZodValidationPipe(UpdateEncounterSchema)) body: UpdateEncounter,
    @IfMatch() meta: CommandMeta,
  ): Promise<Encounter> {
    await this.encounters.update(user, id, body, meta);
    return this.encounters.get(user, id);
  }

  /** The event log after a sequence number, for catching up. */
  @Get(':id/events')
  @ChartReadRoute('GET /api/encounters/:id/events')
  @ApiZodQuery(EventsQuerySchema)
  async events(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query(new ZodValidationPipe(EventsQuerySchema)) query: z.output<typeof EventsQuerySchema>,
  ): Promise<{ items: EncounterEvent[] }> {
    return { items: await this.encounters.eventsAfter(user, id, query.after) };
  }

  @Post(':id/lines')
  @ApiHeader(IF_MATCH)
  @ApiZodBody(ClaimLineInputSchema)
  @ApiZodResponse(EncounterSchema, 201)
  async addLine(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body(new ZodValidationPipe(ClaimLineInputSchema)) body: ClaimLineFields,
    @IfMatch() meta: CommandMeta,
  ): Promise<Encounter> {
    await this.encounters.addLine(user, id, body, undefined, meta);
    return this.encounters.get(user, id);
  }

  @Patch(':id/lines/:lineId')
  @ApiHeader(IF_MATCH)
  @ApiZodBody(ClaimLinePatchSchema)
  @ApiZodResponse(EncounterSchema)
  async updateLine(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('lineId', ParseUUIDPipe) lineId: string,
    @Body(new ZodValidationPipe(ClaimLinePatchSchema)) body: Partial<ClaimLineFields>,
    @IfMatch() meta: CommandMeta,
  ): Promise<Encounter> {
    await this.encounters.updateLine(user, id, lineId, body, meta);
    return this.encounters.get(user, id);
  }

  @Delete(':id/lines/:lineId')
  @ApiHeader(IF_MATCH)
  @HttpCode(204)
  async removeLine(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('lineId', ParseUUIDPipe) lineId: string,
    @IfMatch() meta: CommandMeta,
  ): Promise<void> {
    await this.encounters.removeLine(user, id, lineId, meta);
  }
}
