import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { LivePool } from './live-pool.js';

/** Provides the validated configuration, the migrated DataSource and the live edit path's pool to every feature. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig, dataSource: DataSource): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: DataSource, useValue: dataSource },
        LivePool,
      ],
      exports: [APP_CONFIG, DataSource, LivePool],
    };
  }
}
