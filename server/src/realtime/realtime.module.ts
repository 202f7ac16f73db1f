import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { EncounterModule } from '../encounter/encounter.module.js';
import { ReviewModule } from '../review/review.module.js';
import { WorklistModule } from '../worklist/worklist.module.js';
import { RealtimeGateway } from './realtime.gateway.js';

@Module({
  imports: [AuthModule, EncounterModule, ReviewModule, AuditModule, WorklistModule],
  providers: [RealtimeGateway],
})
export class RealtimeModule {}
