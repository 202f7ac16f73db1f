import { Module } from '@nestjs/common';
import { SessionsRepository } from './sessions.repository.js';
import { SessionsService } from './sessions.service.js';

/** Session rows, for sign-in (auth), ending them (auth, users) and checking them (guard, gateway). */
@Module({ providers: [SessionsRepository, SessionsService], exports: [SessionsService] })
export class SessionsModule {}
