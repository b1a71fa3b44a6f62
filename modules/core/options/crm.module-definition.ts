import { ConfigurableModuleBuilder } from '@nestjs/common';
import { CrmModuleOptions } from './crm-module-options';

/** Extras that shape the module itself rather than its providers, so they sit beside `useFactory`. */
export interface CrmModuleExtras {
  /** Path under which every CRM controller is mounted. Default `crm`. */
  routePrefix?: string;
}

export const {
  ConfigurableModuleClass: CrmConfigurableModule,
  MODULE_OPTIONS_TOKEN: CRM_RAW_OPTIONS,
  OPTIONS_TYPE: CRM_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: CRM_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<CrmModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras<CrmModuleExtras>({ routePrefix: 'crm' }, (definition) => definition)
  .build();
