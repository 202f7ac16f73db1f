import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { UsersModule } from '../users/users.module.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { LoginBrake } from './login-brake.js';
import { SessionsModule } from './sessions.module.js';

/** Sign-in, revocable sessions, the login brake, and the global guard that requires a session. */
@Module({
  imports: [UsersModule, SessionsModule],
  controllers: [AuthController],
  providers: [AuthService, LoginBrake, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, SessionsModule],
})
export class AuthModule {}
