import type { CrmDistributorOptions } from '../modules';

/**
 * The demo host's distributor options from `CRM_DISTRIBUTOR_*` variables; unset ones keep the
 * plugin's defaults, and without `CRM_DISTRIBUTOR_URL` the sync stays off.
 */
export function distributorOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): CrmDistributorOptions {
  const protocol = env.CRM_DISTRIBUTOR_PROTOCOL;
  if (protocol && protocol !== 'jsonrpc' && protocol !== 'json2') throw new Error(`CRM_DISTRIBUTOR_PROTOCOL must be jsonrpc or json2 (got ${protocol})`);
  const options: CrmDistributorOptions = {
    url: env.CRM_DISTRIBUTOR_URL || undefined,
    database: env.CRM_DISTRIBUTOR_DATABASE,
    protocol: protocol as CrmDistributorOptions['protocol'],
    login: env.CRM_DISTRIBUTOR_LOGIN,
    password: env.CRM_DISTRIBUTOR_PASSWORD,
    apiKey: env.CRM_DISTRIBUTOR_API_KEY,
    cron: env.CRM_DISTRIBUTOR_CRON,
    batchSize: positive(env, 'CRM_DISTRIBUTOR_BATCH_SIZE'),
    timeoutMs: positive(env, 'CRM_DISTRIBUTOR_TIMEOUT_MS'),
    retries: positive(env, 'CRM_DISTRIBUTOR_RETRIES', true),
    retryDelayMs: positive(env, 'CRM_DISTRIBUTOR_RETRY_DELAY_MS', true),
    lateCommitWindowSeconds: positive(env, 'CRM_DISTRIBUTOR_LATE_COMMIT_WINDOW_SECONDS', true),
    leaseSeconds: positive(env, 'CRM_DISTRIBUTOR_LEASE_SECONDS'),
  };
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

function positive(env: NodeJS.ProcessEnv, name: string, zeroAllowed = false): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (zeroAllowed ? 0 : 1)) throw new Error(`${name} must be a whole number${zeroAllowed ? '' : ' above 0'} (got ${raw})`);
  return value;
}
