import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Patch } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  TeamMemberSchema,
  UserUpdateSchema,
  type SessionUser,
  type TeamMember,
  type UserUpdate,
} from '@countersign/shared';
import { z } from 'zod';
import { CurrentUser } from '../auth/auth.guard.js';
import { DomainError } from '../errors/domain-error.js';
import { ZodValidationPipe } from '../errors/zod-validation.pipe.js';
import { ApiZodBody, ApiZodResponse } from '../openapi/zod-openapi.js';
import { UserAdminService } from './user-admin.service.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(UserAdminService) private readonly admin: UserAdminService,
  ) {}

  /** The caller's teammates, for assignment and presence. */
  @Get()
  @ApiZodResponse(z.object({ items: z.array(TeamMemberSchema) }))
  async team(@CurrentUser() user: SessionUser): Promise<{ items: TeamMember[] }> {
    return { items: await this.users.team(user.organizationId) };
  }

  /** Admin only: change a teammate's role or (de)activate them; either ends their sessions at once. */
  @Patch(':id')
  @ApiZodBody(UserUpdateSchema)
  @ApiZodResponse(TeamMemberSchema)
  update(
    @CurrentUser() user: SessionUser,
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => DomainError.notFound('The user') }))
    id: string,
    @Body(new ZodValidationPipe(UserUpdateSchema)) body: UserUpdate,
  ): Promise<TeamMember> {
    return this.admin.update(user, id, body);
  }
}
