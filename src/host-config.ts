import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { demoTokens } from './auth/demo-tokens';
import { databaseOptions, DEFAULT_DB_URL } from './database/database-options';
import type { HostConfig } from './app.module';
import type { CrmRunsOptions } from '../modules';
import { distributorOptionsFromEnv } from './distributor-config';

/** The demo host's configuration from its environment. */
export function hostConfigFromEnv(env: NodeJS.ProcessEnv = process.env): HostConfig & { dbUrl: string; generatedTokens: boolean } {
  const dbUrl = env.CRM_DB_URL || DEFAULT_DB_URL;
  const database = databaseOptions(dbUrl);
  if (database.type === 'better-sqlite3' && database.database !== ':memory:') mkdirSync(dirname(String(database.database)), { recursive: true });
  const { tokens, generated } = demoTokens(env.CRM_API_TOKENS, env.NODE_ENV === 'production');
  return { dbUrl, database, migrate: env.CRM_DB_MIGRATE !== 'false', tokens, generatedTokens: generated, crm: { distributor: distributorOptionsFromEnv(env), runs: runsOptionsFromEnv(env) } };
}

/** `CRM_RUN_HEARTBEAT_SECONDS` and `CRM_RUN_STALE_SECONDS`, when set (the plugin's defaults otherwise). */
function runsOptionsFromEnv(env: NodeJS.ProcessEnv): CrmRunsOptions {
  const seconds = (name: string) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number above 0 (got ${raw})`);
    return value;
  };
  const options: CrmRunsOptions = { heartbeatSeconds: seconds('CRM_RUN_HEARTBEAT_SECONDS'), staleAfterSeconds: seconds('CRM_RUN_STALE_SECONDS') };
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
