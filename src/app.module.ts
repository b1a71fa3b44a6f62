import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { CrmModule, CrmModuleOptions } from '../modules';
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
      imports: [ScheduleModule.forRoot(), TypeOrmModule.forRoot({ ...config.database, migrationsRun: config.migrate }), CrmModule.forRoot(config.crm ?? {})],
    };
  }
}
