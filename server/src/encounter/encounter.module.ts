import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module.js';
import { UsersModule } from '../users/users.module.js';
import { ChartVisibility, ChartVisibilityInterceptor } from './chart-visibility.js';
import { EncounterEventBus } from './encounter-event-bus.js';
import { EncounterWriter } from './encounter-writer.js';
import { EncounterController } from './encounter.controller.js';
import { EncounterRepository } from './encounter.repository.js';
import { EncounterService } from './encounter.service.js';
import { KeptCharts } from './kept-charts.js';

@Module({
  imports: [UsersModule, AuditModule],
  controllers: [EncounterController],
  providers: [
    EncounterService,
    EncounterWriter,
    EncounterEventBus,
    EncounterRepository,
    ChartVisibility,
    KeptCharts,
    // Every REST route about one chart applies the visibility rule first (docs/domain.md 11.2).
    { provide: APP_INTERCEPTOR, useClass: ChartVisibilityInterceptor },
  ],
  exports: [
    EncounterService,
    EncounterWriter,
    EncounterEventBus,
    EncounterRepository,
    ChartVisibility,
    KeptCharts,
  ],
})
export class EncounterModule {}
