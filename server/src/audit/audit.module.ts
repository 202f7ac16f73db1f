import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';
import { ChartReadInterceptor } from './chart-read.interceptor.js';
import { ChartReadsService } from './chart-reads.service.js';

/** The audit trail: who read which chart, and the verification of each chart's event chain. */
@Module({
  controllers: [AuditController],
  providers: [AuditRepository, AuditService, ChartReadsService, ChartReadInterceptor],
  exports: [ChartReadsService, ChartReadInterceptor],
})
export class AuditModule {}
