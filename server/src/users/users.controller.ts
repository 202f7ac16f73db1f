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
  Query,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  NewPersonSchema,
  PeopleListSchema,
  PersonSchema,
  PersonWithLinkSchema,
  TeamMemberSchema,
  UserUpdateSchema,
  UsersQuerySchema,
  type NewPerson,
  type PeopleList,
  type Person,
  type PersonWithLink,
  type SessionUser,
  type TeamMember,
  type UserUpdate,
  type UsersQuery,
} from '@countersign/shared';
import { z } from 'zod';
import { CurrentUser } from '../auth/auth.guard.js';
import { DomainError } from '../errors/domain-error.js';
import { ZodValidationPipe } from '../errors/zod-validation.pipe.js';
import { ApiZodBody, ApiZodQuery, ApiZodResponse } from '../openapi/zod-openapi.js';
import { UserAdminService } from './user-admin.service.js';
import { UsersService } from './users.service.js';

const userId = () =>
  new ParseUUIDPipe({ exceptionFactory: () => DomainError.notFound('The user') });

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(UserAdminService) private readonly admin: UserAdminService,
  ) {}

  /**
   * The caller's teammates, for assignment, presence and names; with `include=inactive` (admin
   * only) everyone with status (active, invited, deactivated) and last sign-in.
   */
  @Get()
  @ApiZodQuery(UsersQuerySchema)
  @ApiZodResponse(z.union([z.object({ items: z.array(TeamMemberSchema) }), PeopleListSchema]))
  async team(
    @CurrentUser() user: SessionUser,
    @Query(new ZodValidationPipe(UsersQuerySchema)) query: UsersQuery,
  ): Promise<{ items: TeamMember[] } | PeopleList> {
    if (query.include === 'inactive') return { items: await this.admin.people(user) };
    return { items: await this.users.team(user.organizationId) };
  }

  /** Admin only: adds a person and answers their one-time set-password link (shown once). */
  @Post()
  @HttpCode(201)
  @ApiZodBody(NewPersonSchema)
  @ApiZodResponse(PersonWithLinkSchema)
  add(
    @CurrentUser() user: SessionUser,
    @Body(new ZodValidationPipe(NewPersonSchema)) body: NewPerson,
  ): Promise<PersonWithLink> {
    return this.admin.add(user, body);
  }

  /** Admin only: change a teammate's role or (de)activate them; either ends their sessions at once. */
  @Patch(':id')
  @ApiZodBody(UserUpdateSchema)
  @ApiZodResponse(PersonSchema)
  update(
    @CurrentUser() user: SessionUser,
    @Param('id', userId()) id: string,
    @Body(new ZodValidationPipe(UserUpdateSchema)) body: UserUpdate,
  ): Promise<Person> {
    return this.admin.update(user, id, body);
  }

  /**
   * Admin only: a new set-password link (older ones stop working). For someone with a password
   * this is a reset: the password is cleared and their sessions end.
   */
  @Post(':id/password-link')
  @HttpCode(201)
  @ApiZodResponse(PersonWithLinkSchema)
  passwordLink(
    @CurrentUser() user: SessionUser,
    @Param('id', userId()) id: string,
  ): Promise<PersonWithLink> {
    return this.admin.passwordLink(user, id);
  }
}
