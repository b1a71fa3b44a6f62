import { DynamicModule, Module, Type } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { CrmCoreModule } from './core/crm-core.module';
import { DirectoryModule } from './directory/directory.module';
import { CRM_ASYNC_OPTIONS_TYPE, CRM_OPTIONS_TYPE } from './core/options/crm.module-definition';
import { ImportsModule } from './imports/imports.module';
import { LeadsModule } from './leads/leads.module';
import { CustomersModule } from './customers/customers.module';
import { OpportunitiesModule } from './opportunities/opportunities.module';
import { LeadConversionModule } from './conversion/lead-conversion.module';
import { ReportsModule } from './reports/reports.module';
import { SourcesModule } from './sources/sources.module';

/** The feature modules `CrmModule` mounts, in dependency order. */
export const CRM_FEATURE_MODULES: Type[] = [SourcesModule, DirectoryModule, LeadsModule, CustomersModule, OpportunitiesModule, LeadConversionModule, ReportsModule, ImportsModule];

/**
 * The whole CRM in one import: the core (options, guard, audit log) plus every feature module,
 * mounted under `routePrefix` (default `crm`). The host keeps `TypeOrmModule.forRoot` with
 * `CRM_ENTITIES` and `CRM_MIGRATIONS`.
 */
@Module({})
export class CrmModule {
  static forRoot(options: typeof CRM_OPTIONS_TYPE = {}): DynamicModule {
    return CrmModule.assemble(CrmCoreModule.forRoot(options), options.routePrefix);
  }

  static forRootAsync(options: typeof CRM_ASYNC_OPTIONS_TYPE): DynamicModule {
    return CrmModule.assemble(CrmCoreModule.forRootAsync(options), options.routePrefix);
  }

  private static assemble(core: DynamicModule, routePrefix = 'crm'): DynamicModule {
    return {
      module: CrmModule,
      imports: [core, ...CRM_FEATURE_MODULES, RouterModule.register([{ path: routePrefix, children: CRM_FEATURE_MODULES }])],
      exports: [core, ...CRM_FEATURE_MODULES],
    };
  }
}
