import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { TeamMemberSchema, type SessionUser, type TeamMember } from '@countersign/shared';
import { z } from 'zod';
import { CurrentUser } from '../auth/auth.guard.js';
import { ApiZodResponse } from '../openapi/zod-openapi.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  /** The caller's teammates, for assignment and presence. */
  @Get()
  @ApiZodResponse(z.object({ items: z.array(TeamMemberSchema) }))
  async team(@CurrentUser() user: SessionUser): Promise<{ items: TeamMember[] }> {
    return { items: await this.users.team(user.organizationId) };
  }
}
