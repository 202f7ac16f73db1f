import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { SessionsModule } from '../auth/sessions.module.js';
import { PasswordLinksRepository } from './password-links.repository.js';
import { PasswordLinksService } from './password-links.service.js';
import { UsersController } from './users.controller.js';
import { UserAdminService } from './user-admin.service.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

/** People: reads for the rest of the app, and the admin's work on people with its audit trail. */
@Module({
  imports: [SessionsModule, AuditModule],
  controllers: [UsersController],
  providers: [
    UsersRepository,
    UsersService,
    UserAdminService,
    PasswordLinksRepository,
    PasswordLinksService,
  ],
  exports: [UsersService, PasswordLinksService],
})
export class UsersModule {}
