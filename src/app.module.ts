import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { CrmModule, CrmModuleOptions, initializeWithLockedMigrations } from '../modules';
import type { DemoToken } from './auth/demo-tokens';

/** What the demo host is started with. */
export interface HostConfig {
  database: DataSourceOptions;
  /** Run pending migrations at start. */
  migrate: boolean;
  tokens: DemoToken[];
  crm?: CrmModuleOptions;
}

/** The demo host: owns the database connection, and mounts the CRM like any app would. */
@Module({})
export class AppModule {
  static forRoot(config: HostConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ScheduleModule.forRoot(),
        // Migrated under the database's migration lock, so instances started together migrate once.
        TypeOrmModule.forRootAsync({ useFactory: () => ({ ...config.database, migrationsRun: config.migrate }), dataSourceFactory: initializeWithLockedMigrations }),
        CrmModule.forRoot(config.crm ?? {}),
      ],
    };
  }
}
