import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { CrmPermission } from '../access/crm-permissions';
import { DEFAULT_ROLE_PERMISSIONS } from '../access/crm-permissions';
import type { CrmUser } from '../access/crm-caller';
import { DEFAULT_TOTAL_CAP } from '../http/page';

/**
 * Options of `CrmModule.forRoot` / `forRootAsync`. Every field is optional; `resolveCrmOptions`
 * merges them with the defaults documented on each field.
 */
export class CrmModuleOptions {
  /**
   * Reads the caller from the request. Default: `request.user`, as set by the host's authentication.
   * Return `undefined` for an anonymous request.
   */
  resolveUser?: (request: any) => CrmUser | undefined | null;

  /** Role → permissions map. Default: `DEFAULT_ROLE_PERMISSIONS`; a given map replaces it whole. */
  rolePermissions?: Record<string, readonly CrmPermission[]>;

  /**
   * Source codes that integrations look up by code, on top of the seeded `source_web_*` ones.
   * Their code never changes and they are never archived, deleted or merged away.
   */
  protectedSourceCodes?: string[];

  /** The scheduled pull of leads from the distributor's Odoo. Off unless `distributor.url` is set. */
  distributor?: CrmDistributorOptions;

  /** The lead intake API and CSV imports. */
  intake?: CrmIntakeOptions;

  /** How import runs left behind by a process that died are found. */
  runs?: CrmRunsOptions;

  /** How transactions that lose a lock race are retried, and what callers are told while the database is unreachable. */
  database?: CrmDatabaseOptions;

  /** How paged lists count their records. */
  lists?: CrmListOptions;
}

/**
 * Every paged list answers `total` and `totalCapped`. Counting every match of a filter reads every matching index
 * entry (a million for a broad filter on a large table), so lists count up to a cap and report "more than that"
 * beyond it, as Salesforce ("2,000+") and Odoo do.
 */
export interface CrmListOptions {
  /** Lists count matching records exactly up to this many; beyond it `total` is this number and `totalCapped` is true. Default 10,000. */
  totalCap?: number;
}

export type ResolvedListOptions = Required<CrmListOptions>;

export function resolveListOptions(options: CrmListOptions = {}): ResolvedListOptions {
  const totalCap = options.totalCap ?? DEFAULT_TOTAL_CAP;
  if (!Number.isInteger(totalCap) || totalCap < 1) throw new Error(`lists.totalCap must be a whole number above 0 (got ${totalCap})`);
  return { totalCap };
}

/**
 * Every CRM write runs in one transaction through `CrmTransactions`. One that loses a lock race
 * (MySQL/MariaDB deadlock 1213 or lock wait timeout 1205, PostgreSQL 40P01/40001, SQLite busy) is
 * rolled back whole and taken again after a jittered, doubling pause; when the database cannot be
 * reached, CRM routes answer 503 `UNAVAILABLE` with `Retry-After`.
 */
export interface CrmDatabaseOptions {
  /** Times a transaction is taken in all, the first included, before its caller gets 503. Default 5. */
  transactionAttempts?: number;
  /** Pause before the first retry, in milliseconds; doubled on each further one (up to 1 s), a random part of it taken. Default 20. */
  retryDelayMs?: number;
  /** The `Retry-After` (seconds) of a 503 answered while the database is unreachable. Default 5. */
  unavailableRetryAfterSeconds?: number;
}

export type ResolvedDatabaseOptions = Required<CrmDatabaseOptions>;

export function resolveDatabaseOptions(options: CrmDatabaseOptions = {}): ResolvedDatabaseOptions {
  return {
    transactionAttempts: Math.max(1, options.transactionAttempts ?? 5),
    retryDelayMs: options.retryDelayMs ?? 20,
    unavailableRetryAfterSeconds: options.unavailableRetryAfterSeconds ?? 5,
  };
}

/**
 * Every import run (CSV, distributor) is heartbeated by the instance running it; a `queued` or
 * `running` run whose heartbeat is older than `staleAfterSeconds` belongs to a process that died and
 * is marked `interrupted`, at start-up and on every heartbeat. Instances sharing a database only
 * mark each other's runs once those stop beating.
 */
export interface CrmRunsOptions {
  /** Seconds between heartbeats of this instance's runs (and sweeps for dead ones). Default 10. */
  heartbeatSeconds?: number;
  /** A run not heartbeated for this long is interrupted. Default 60; keep it several heartbeats long. */
  staleAfterSeconds?: number;
}

export type ResolvedRunsOptions = Required<CrmRunsOptions>;

export function resolveRunsOptions(options: CrmRunsOptions = {}): ResolvedRunsOptions {
  const heartbeatSeconds = options.heartbeatSeconds ?? 10;
  return { heartbeatSeconds, staleAfterSeconds: options.staleAfterSeconds ?? Math.max(60, heartbeatSeconds * 3) };
}

/** Limits of the intake API and CSV imports. Every field is optional. */
export interface CrmIntakeOptions {
  /** Submissions one API key may make per window; more are answered 429 with `Retry-After`. Default 60. */
  rateLimitPoints?: number;
  /** Length of the rate-limit window, in seconds. Default 60. */
  rateLimitWindowSeconds?: number;
  /**
   * Where `rateLimitPoints` per `rateLimitWindowSeconds` are counted. `database` (default): in the
   * CRM's table `crm_intake_rate_limit`, through `rate-limiter-flexible`'s store for the DataSource's
   * driver (MySQL/MariaDB, PostgreSQL, better-sqlite3) over the host's own connections, so every
   * instance of a scaled-out host enforces one allowance (one short transaction per submission).
   * `memory`: in this process, each instance counting its own share (no database write).
   */
  rateLimitStore?: 'database' | 'memory';
  /**
   * A `rate-limiter-flexible` limiter of the host's own (e.g. `RateLimiterRedis`), keyed by API key
   * id, used instead of `rateLimitStore`; its own points and duration then apply.
   */
  rateLimiter?: RateLimiterAbstract;
  /** CSV rows committed per transaction. Default 100: larger batches are barely faster and hold more memory. */
  csvBatchSize?: number;
  /** Largest CSV upload accepted, in bytes. Default 512 MiB. */
  csvMaxBytes?: number;
}

export type ResolvedIntakeOptions = Required<Omit<CrmIntakeOptions, 'rateLimiter'>> & { rateLimiter: RateLimiterAbstract | null };

export function resolveIntakeOptions(options: CrmIntakeOptions = {}): ResolvedIntakeOptions {
  return {
    rateLimitPoints: options.rateLimitPoints ?? 60,
    rateLimitWindowSeconds: options.rateLimitWindowSeconds ?? 60,
    rateLimitStore: options.rateLimitStore ?? 'database',
    csvBatchSize: options.csvBatchSize ?? 100,
    csvMaxBytes: options.csvMaxBytes ?? 512 * 1024 * 1024,
    rateLimiter: options.rateLimiter ?? null,
  };
}

/** One Odoo model the distributor sync pulls, and how its records become intake records. */
export interface DistributorModelMapping {
  /** Technical Odoo model name, e.g. `cheryweb.quotation`. */
  model: string;
  /** Code of the (protected) source every lead of this model gets. */
  sourceCode: string;
  /** What a record of this model is (`quotation`, `test_drive`); sent as the lead's `channel` unless a field maps to it. */
  kind: string;
  /**
   * Remote field name → intake record field (`name`, `companyName`, `email`, `phone`, `product`, …),
   * or `contactName` for a full name split into first and last name. Many2one values map by their display name.
   */
  fields: Record<string, string>;
}

/** Where the distributor's Odoo is and how to pull from it. Every field is optional. */
export interface CrmDistributorOptions {
  /** Base URL of the Odoo server, e.g. `https://odoo.distributor.example`. The sync is enabled only when it is set. */
  url?: string;
  /** Odoo database name (JSON-RPC `db` argument, JSON-2 `X-Odoo-Database` header). */
  database?: string;
  /**
   * `json2` (`POST /json/2/<model>/<method>`, bearer API key: Odoo 19 and later) or `jsonrpc` (`POST /jsonrpc`:
   * Odoo 18 and older; Odoo 19 serves it only with the `rpc.use_deprecated_services` system parameter). Default `json2`.
   */
  protocol?: 'jsonrpc' | 'json2';
  /** Odoo login (JSON-RPC only). */
  login?: string;
  /** Password of `login` (JSON-RPC only); `apiKey` is used instead when set. */
  password?: string;
  /** Odoo API key: the bearer token of JSON-2, or the password of JSON-RPC. */
  apiKey?: string;
  /** When the sync runs (cron expression, host time zone). Default `*\/5 * * * *`. */
  cron?: string;
  /** Records per page; each page commits its leads and its cursor in one transaction. Default 200. */
  batchSize?: number;
  /** Timeout of one HTTP request to Odoo, in milliseconds. Default 30000. */
  timeoutMs?: number;
  /** Retries of a failed Odoo request before the run fails. Default 3. */
  retries?: number;
  /** First retry delay in milliseconds; doubles on each retry. Default 1000. */
  retryDelayMs?: number;
  /**
   * Odoo stamps `write_date` with its transaction's START, so a long transaction's records appear
   * after the cursor moved past their `write_date`. Records written in the last this-many seconds of
   * Odoo's clock are read again by the following runs (idempotently: skipped, or updated); a commit
   * later than this after its transaction started is missed. Default 300 (Odoo kills a request
   * after `limit_time_real`, 120 s by default). 0 turns it off.
   */
  lateCommitWindowSeconds?: number;
  /** Seconds a run's lease on the database lasts before another instance may take it over (renewed per page). Default 120. */
  leaseSeconds?: number;
  /** The models pulled. Default: `cheryweb.quotation` and `cherywebsite.test.drive`, see `DEFAULT_DISTRIBUTOR_MODELS`. */
  models?: DistributorModelMapping[];
}

/** The distributor options after defaults; `enabled` is false when no URL is configured. */
export interface ResolvedDistributorOptions {
  enabled: boolean;
  url: string;
  database: string;
  protocol: 'jsonrpc' | 'json2';
  login: string;
  password: string;
  apiKey: string;
  cron: string;
  batchSize: number;
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  lateCommitWindowSeconds: number;
  leaseSeconds: number;
  models: readonly DistributorModelMapping[];
}

const DISTRIBUTOR_CONTACT_FIELDS: Record<string, string> = {
  name: 'name',
  partner_name: 'companyName',
  contact_name: 'contactName',
  email_from: 'email',
  phone: 'phone',
  city: 'city',
  vehicle_model: 'customerRequirements',
};

/** The two distributor models and their protected sources. */
export const DEFAULT_DISTRIBUTOR_MODELS: readonly DistributorModelMapping[] = [
  { model: 'cheryweb.quotation', sourceCode: 'source_web_quotation', kind: 'quotation', fields: DISTRIBUTOR_CONTACT_FIELDS },
  { model: 'cherywebsite.test.drive', sourceCode: 'source_web_test_drive', kind: 'test_drive', fields: DISTRIBUTOR_CONTACT_FIELDS },
];

export function resolveDistributorOptions(options: CrmDistributorOptions = {}): ResolvedDistributorOptions {
  return {
    enabled: Boolean(options.url),
    url: (options.url ?? '').replace(/\/+$/, ''),
    database: options.database ?? '',
    protocol: options.protocol ?? 'json2',
    login: options.login ?? '',
    password: options.password ?? '',
    apiKey: options.apiKey ?? '',
    cron: options.cron ?? '*/5 * * * *',
    batchSize: options.batchSize ?? 200,
    timeoutMs: options.timeoutMs ?? 30_000,
    retries: options.retries ?? 3,
    retryDelayMs: options.retryDelayMs ?? 1000,
    lateCommitWindowSeconds: options.lateCommitWindowSeconds ?? 300,
    leaseSeconds: options.leaseSeconds ?? 120,
    models: options.models ?? DEFAULT_DISTRIBUTOR_MODELS,
  };
}

/** The options after defaults are applied; what CRM providers inject under `CRM_OPTIONS`. */
export interface ResolvedCrmOptions {
  resolveUser: (request: any) => CrmUser | undefined | null;
  rolePermissions: Readonly<Record<string, readonly CrmPermission[]>>;
  protectedSourceCodes: ReadonlySet<string>;
  distributor: ResolvedDistributorOptions;
  intake: ResolvedIntakeOptions;
  runs: ResolvedRunsOptions;
  database: ResolvedDatabaseOptions;
  lists: ResolvedListOptions;
}

/** Codes the distributor sync looks up; protected whatever the host configures. */
export const BUILT_IN_PROTECTED_SOURCE_CODES = ['source_web_quotation', 'source_web_test_drive'];

export function resolveCrmOptions(options: CrmModuleOptions = {}): ResolvedCrmOptions {
  return {
    resolveUser: options.resolveUser ?? ((request) => request?.user),
    rolePermissions: options.rolePermissions ?? DEFAULT_ROLE_PERMISSIONS,
    protectedSourceCodes: new Set([...BUILT_IN_PROTECTED_SOURCE_CODES, ...(options.protectedSourceCodes ?? [])]),
    distributor: resolveDistributorOptions(options.distributor),
    intake: resolveIntakeOptions(options.intake),
    runs: resolveRunsOptions(options.runs),
    database: resolveDatabaseOptions(options.database),
    lists: resolveListOptions(options.lists),
  };
}

/** Injection token of the resolved options. */
export const CRM_OPTIONS = Symbol('CRM_OPTIONS');
