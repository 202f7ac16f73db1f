import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';
import { ChartReadInterceptor } from './chart-read.interceptor.js';
import { ChartReadsService } from './chart-reads.service.js';
import { PeopleTrail } from './people-trail.js';
import { PeopleTrailRepository } from './people-trail.repository.js';

/**
 * The audit trail: who read which chart, the verification of each chart's event chain, and the
 * people trail (admin actions on people, chained per organization).
 */
@Module({
  controllers: [AuditController],
  providers: [
    AuditRepository,
    AuditService,
    ChartReadsService,
    ChartReadInterceptor,
    PeopleTrailRepository,
    PeopleTrail,
  ],
  exports: [ChartReadsService, ChartReadInterceptor, PeopleTrail],
})
export class AuditModule {}
