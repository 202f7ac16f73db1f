import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  ClaimLineInputSchema,
  ClaimLinePatchSchema,
  CreateEncounterSchema,
  EncounterSchema,
  UpdateEncounterSchema,
  WorklistQuerySchema,
  WorklistResponseSchema,
  type ClaimLineFields,
  type CreateEncounter,
  type Encounter,
  type EncounterEvent,
  type SessionUser,
  type UpdateEncounter,
  type WorklistQuery,
  type WorklistResponse,
} from '@countersign/shared';
import { z } from 'zod';
import { ChartReadRoute } from '../audit/chart-read.interceptor.js';
import { CurrentUser } from '../auth/auth.guard.js';
import { ZodValidationPipe } from '../errors/zod-validation.pipe.js';
import { ApiZodBody, ApiZodQuery, ApiZodResponse } from '../openapi/zod-openapi.js';
import { DomainError } from '../errors/domain-error.js';
import { EncounterService, type CommandMeta } from './encounter.service.js';

/**
 * REST changes may name the version they were made against with `If-Match: "<version>"`; a
 * stale change is then refused with 409 `conflict`, like a stale socket command.
 */
function ifMatch(header: string | undefined): CommandMeta {
  if (header === undefined || header === '*') return {};
  const version = Number(header.replace(/^W\//, '').replace(/"/g, ''));
  if (!Number.isInteger(version) || version < 0) throw new DomainError('validation_failed', 'If-Match must be an encounter version, e.g. "12"');
  return { baseVersion: version };
}

const EventsQuerySchema = z.object({ after: z.coerce.number().int().min(0).default(0) });

/** REST for encounters; the live room offers the same line commands over the socket. */
@ApiTags('encounters')
@Controller('encounters')
export class EncounterController {
  constructor(@Inject(EncounterService) private readonly encounters: EncounterService) {}

  /** The worklist: filter by status (comma-separated) and assignee (`me`, `unassigned` or a user id). */
  @Get()
  @ApiZodQuery(WorklistQuerySchema)
  @ApiZodResponse(WorklistResponseSchema)
  async worklist(
    @CurrentUser() user: SessionUser,
    @Query(new ZodValidationPipe(WorklistQuerySchema)) query: WorklistQuery,
  ): Promise<WorklistResponse> {
    return { items: await this.encounters.worklist(user, query) };
  }

  @Post()
  @ApiZodBody(CreateEncounterSchema)
  @ApiZodResponse(EncounterSchema, 201)
  create(@CurrentUser() user: SessionUser, @Body(new ZodValidationPipe(CreateEncounterSchema)) body: CreateEncounter): Promise<Encounter> {
    return this.encounters.create(user, body);
  }

  @Get(':id')
  @ChartReadRoute('GET /api/encounters/:id')
  @ApiZodResponse(EncounterSchema)
  get(@CurrentUser() user: SessionUser, @Param('id', ParseUUIDPipe) id: string): Promise<Encounter> {
    return this.encounters.get(user, id);
  }

  /** Header fields, note, diagnoses and assignment. */
  @Patch(':id')
  @ApiZodBody(UpdateEncounterSchema)
  @ApiZodResponse(EncounterSchema)
  async update(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body(new ZodValidationPipe(UpdateEncounterSchema)) body: UpdateEncounter,
    @Headers('if-match') version?: string,
  ): Promise<Encounter> {
    await this.encounters.update(user, id, body, ifMatch(version));
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
  @ApiZodBody(ClaimLineInputSchema)
  @ApiZodResponse(EncounterSchema, 201)
  async addLine(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body(new ZodValidationPipe(ClaimLineInputSchema)) body: ClaimLineFields,
    @Headers('if-match') version?: string,
  ): Promise<Encounter> {
    await this.encounters.addLine(user, id, body, undefined, ifMatch(version));
    return this.encounters.get(user, id);
  }

  @Patch(':id/lines/:lineId')
  @ApiZodBody(ClaimLinePatchSchema)
  @ApiZodResponse(EncounterSchema)
  async updateLine(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('lineId', ParseUUIDPipe) lineId: string,
    @Body(new ZodValidationPipe(ClaimLinePatchSchema)) body: Partial<ClaimLineFields>,
    @Headers('if-match') version?: string,
  ): Promise<Encounter> {
    await this.encounters.updateLine(user, id, lineId, body, ifMatch(version));
    return this.encounters.get(user, id);
  }

  @Delete(':id/lines/:lineId')
  @HttpCode(204)
  async removeLine(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('lineId', ParseUUIDPipe) lineId: string,
    @Headers('if-match') version?: string,
  ): Promise<void> {
    await this.encounters.removeLine(user, id, lineId, ifMatch(version));
  }
}
