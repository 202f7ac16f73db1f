import { Global, Module } from '@nestjs/common';
import { LimitsService } from './limits.service.js';

/** Rate limits for REST, sockets and sign-in, shared across instances through Redis when configured. */
@Global()
@Module({ providers: [LimitsService], exports: [LimitsService] })
export class LimitsModule {}
