import { Module } from '@nestjs/common';
import { SessionsService } from './sessions.service.js';

/** Session rows, for sign-in (auth), ending them (auth, users) and checking them (guard, gateway). */
@Module({ providers: [SessionsService], exports: [SessionsService] })
export class SessionsModule {}
