import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { demoTokens } from './auth/demo-tokens';
import { databaseOptions, DEFAULT_DB_URL } from './database/database-options';
import type { HostConfig } from './app.module';
import { distributorOptionsFromEnv } from './distributor-config';

/** The demo host's configuration from its environment. */
export function hostConfigFromEnv(env: NodeJS.ProcessEnv = process.env): HostConfig & { dbUrl: string; generatedTokens: boolean } {
  const dbUrl = env.CRM_DB_URL || DEFAULT_DB_URL;
  const database = databaseOptions(dbUrl);
  if (database.type === 'better-sqlite3' && database.database !== ':memory:') mkdirSync(dirname(String(database.database)), { recursive: true });
  const { tokens, generated } = demoTokens(env.CRM_API_TOKENS, env.NODE_ENV === 'production');
  return { dbUrl, database, migrate: env.CRM_DB_MIGRATE !== 'false', tokens, generatedTokens: generated, crm: { distributor: distributorOptionsFromEnv(env) } };
}
