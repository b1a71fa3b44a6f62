import { DynamicModule, Module, ValidationPipeOptions } from '@nestjs/common';

/** The global ValidationPipe setups hosts usually register (`HOST_PIPE`; `none` registers none). */
export const HOST_PIPES = {
  strict: { whitelist: true, forbidNonWhitelisted: true, transform: true, transformOptions: { enableImplicitConversion: true } },
  whitelist: { whitelist: true },
  forbid: { whitelist: true, forbidNonWhitelisted: true },
  transform: { transform: true, transformOptions: { enableImplicitConversion: true } },
} satisfies Record<string, ValidationPipeOptions>;
export type HostPipe = keyof typeof HOST_PIPES;

/** How the fixture host is started: by `DB_URL`, `CRM_MOUNT`, `HOST_PIPE` and `PORT`, as a host reads its config. */
export interface HostSettings {
  dbUrl: string;
  mount: 'forRoot' | 'forRootAsync';
  pipe?: HostPipe;
  port: number;
}

export const HOST_SETTINGS = Symbol('HOST_SETTINGS');

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): HostSettings {
  const mount = env.CRM_MOUNT ?? 'forRoot';
  if (mount !== 'forRoot' && mount !== 'forRootAsync') throw new Error(`CRM_MOUNT must be forRoot or forRootAsync (got ${mount})`);
  const pipe = env.HOST_PIPE ?? 'strict';
  if (pipe !== 'none' && !(pipe in HOST_PIPES)) throw new Error(`HOST_PIPE must be none or one of ${Object.keys(HOST_PIPES).join(', ')} (got ${pipe})`);
  return { dbUrl: env.DB_URL ?? 'sqlite:./host.sqlite', mount, pipe: pipe === 'none' ? undefined : (pipe as HostPipe), port: Number(env.PORT ?? 0) };
}

/** The host's own config module: what forRootAsync factories inject. */
@Module({})
export class HostSettingsModule {
  static with(settings: HostSettings): DynamicModule {
    return { module: HostSettingsModule, providers: [{ provide: HOST_SETTINGS, useValue: settings }], exports: [HOST_SETTINGS] };
  }
}
