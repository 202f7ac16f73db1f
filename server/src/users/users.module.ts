import { Module } from '@nestjs/common';
import { SessionsModule } from '../auth/sessions.module.js';
import { UsersController } from './users.controller.js';
import { UserAdminService } from './user-admin.service.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [SessionsModule],
  controllers: [UsersController],
  providers: [UsersRepository, UsersService, UserAdminService],
  exports: [UsersService],
})
export class UsersModule {}
