import {
  Module,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import { AssignmentModule } from './assignment/assignment.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CatalogModule } from './catalog/catalog.module.js';
import type { AppConfig } from './config/config.js';
import { DatabaseModule } from './database/database.module.js';
import { DoubleCodingModule } from './double-coding/double-coding.module.js';
import { EditsModule } from './edits/edits.module.js';
import { EncounterModule } from './encounter/encounter.module.js';
import { ClaimExportModule } from './export/claim-export.module.js';
import { HttpErrorFilter } from './errors/http-error.filter.js';
import { HealthModule } from './health/health.module.js';
import { IntakeModule } from './intake/intake.module.js';
import { LimitsModule } from './limits/limits.module.js';
import { PracticeModule } from './practice/practice.module.js';
import { PrecedentsModule } from './precedents/precedents.module.js';
import { AgreementModule } from './quality/agreement/agreement.module.js';
import { QualityReportsModule } from './quality/reports/quality-reports.module.js';
import { QualityResultsModule } from './quality/results/quality-results.module.js';
import { RequestLogMiddleware } from './logging/request-log.middleware.js';
import { RealtimeModule } from './realtime/realtime.module.js';
import { UsersModule } from './users/users.module.js';
import { WorklistModule } from './worklist/worklist.module.js';

/**
 * The application. Its configuration and an initialised, migrated DataSource come from the
 * caller (main.ts or a test), so importing the module starts nothing.
 */
@Module({})
export class AppModule implements NestModule {
  static forRoot(config: AppConfig, dataSource: DataSource): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DatabaseModule.forRoot(config, dataSource),
        LimitsModule,
        UsersModule,
        AuthModule,
        EncounterModule,
        AssignmentModule,
        CatalogModule,
        EditsModule,
        IntakeModule,
        RealtimeModule,
        WorklistModule,
        PrecedentsModule,
        PracticeModule,
        QualityReportsModule,
        QualityResultsModule,
        AgreementModule,
        AuditModule,
        ClaimExportModule,
        DoubleCodingModule,
        HealthModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestLogMiddleware).forRoutes('*path');
  }
}
