import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CrmModule, CrmModuleOptions, initializeWithLockedMigrations } from 'nest-crm';
import { HostAuthGuard } from './auth/host-auth.guard';
import { toCrmUser } from './auth/host-users';
import { databaseOptions } from './database';
import { HOST_SETTINGS, HostSettings, HostSettingsModule } from './host-settings';
import { Note } from './notes/note.entity';
import { NotesController } from './notes/notes.controller';

const crmOptions = (): CrmModuleOptions => ({ resolveUser: toCrmUser, protectedSourceCodes: ['host_portal'] });

/**
 * A host app: its own guard, route, entity and migration; the CRM mounted with forRoot or forRootAsync (with
 * TypeORM's matching form; the async one migrates through `initializeWithLockedMigrations`, as the README shows).
 */
@Module({})
export class AppModule {
  static register(settings: HostSettings): DynamicModule {
    const async = settings.mount === 'forRootAsync';
    const config = HostSettingsModule.with(settings);
    return {
      module: AppModule,
      imports: [
        ScheduleModule.forRoot(),
        async
          ? TypeOrmModule.forRootAsync({
              imports: [config],
              inject: [HOST_SETTINGS],
              useFactory: (s: HostSettings) => databaseOptions(s.dbUrl),
              // The README's way: the host's and the CRM's migrations run under the CRM's migration lock.
              dataSourceFactory: initializeWithLockedMigrations,
            })
          : TypeOrmModule.forRoot(databaseOptions(settings.dbUrl)),
        TypeOrmModule.forFeature([Note]),
        async
          ? CrmModule.forRootAsync({ imports: [config], inject: [HOST_SETTINGS], useFactory: () => crmOptions(), routePrefix: 'crm' })
          : CrmModule.forRoot(crmOptions()),
      ],
      controllers: [NotesController],
      providers: [{ provide: APP_GUARD, useClass: HostAuthGuard }],
    };
  }
}
