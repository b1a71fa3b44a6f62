import { DynamicModule, Module } from '@nestjs/common';

/** How the fixture host is started: by `DB_URL`, `CRM_MOUNT` and `PORT`, as a host app reads its own config. */
export interface HostSettings {
  dbUrl: string;
  mount: 'forRoot' | 'forRootAsync';
  port: number;
}

export const HOST_SETTINGS = Symbol('HOST_SETTINGS');

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): HostSettings {
  const mount = env.CRM_MOUNT ?? 'forRoot';
  if (mount !== 'forRoot' && mount !== 'forRootAsync') throw new Error(`CRM_MOUNT must be forRoot or forRootAsync (got ${mount})`);
  return { dbUrl: env.DB_URL ?? 'sqlite:./host.sqlite', mount, port: Number(env.PORT ?? 0) };
}

/** The host's own config module: what forRootAsync factories inject. */
@Module({})
export class HostSettingsModule {
  static with(settings: HostSettings): DynamicModule {
    return { module: HostSettingsModule, providers: [{ provide: HOST_SETTINGS, useValue: settings }], exports: [HOST_SETTINGS] };
  }
}
