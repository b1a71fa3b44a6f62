import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterMySQL,
  RateLimiterPostgres,
  RateLimiterRes,
  RateLimiterSQLite,
  type RateLimiterStoreAbstract,
} from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import { CrmError } from '../../core/errors/crm-error';
import { CRM_OPTIONS, type ResolvedCrmOptions } from '../../core/options/crm-module-options';

/** The table migration 1764600000860 creates for the library's database stores. */
export const INTAKE_RATE_LIMIT_TABLE = 'crm_intake_rate_limit';
/** Keys are stored as `crm-intake:<API key id>`. */
const KEY_PREFIX = 'crm-intake';
/** Windows that ended more than an hour ago are deleted this often (the library's own cadence). */
const SWEEP_EVERY_MS = 5 * 60_000;

/**
 * The per-key limit of the intake API: the host's own limiter (`intake.rateLimiter`); else
 * `intake.rateLimitPoints` per `intake.rateLimitWindowSeconds`, counted by `rate-limiter-flexible`
 * in the CRM's database (`intake.rateLimitStore: 'database'`, the default: every instance over the
 * database enforces one allowance) or in this process's memory (`'memory'`).
 */
@Injectable()
export class IntakeRateLimiter implements OnApplicationShutdown {
  private readonly logger = new Logger('CrmIntake');
  private limiter: RateLimiterAbstract | null;
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    @Inject(CRM_OPTIONS) private readonly options: ResolvedCrmOptions,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.limiter = options.intake.rateLimiter;
  }

  /** Takes one submission from the key's allowance; 429 with `Retry-After` when it is spent. */
  async consume(keyId: number): Promise<void> {
    try {
      await this.current().consume(String(keyId));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new CrmError('RATE_LIMITED', `Too many submissions with this API key; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
    }
  }

  onApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }

  /** Built on first use: the host's DataSource is connected by then, whichever way the host created it. */
  private current(): RateLimiterAbstract {
    this.limiter ??= this.build();
    return this.limiter;
  }

  private build(): RateLimiterAbstract {
    const { rateLimitPoints: points, rateLimitWindowSeconds: duration, rateLimitStore } = this.options.intake;
    if (rateLimitStore === 'memory') return new RateLimiterMemory({ points, duration, keyPrefix: KEY_PREFIX });
    const store = this.databaseStore(points, duration);
    if (store) return this.swept(store);
    this.logger.warn(`intake.rateLimitStore 'database' has no store for ${this.dataSource.options.type}; each instance counts its own share in memory`);
    return new RateLimiterMemory({ points, duration, keyPrefix: KEY_PREFIX });
  }

  /**
   * The library's store for the DataSource's driver, over the host's own connections: its mysql2
   * pool (the master of a replicated setup), its node-postgres pool, its better-sqlite3 connection.
   * The table is the migration's (`tableCreated`), so the library creates nothing at boot.
   */
  private databaseStore(points: number, duration: number): RateLimiterStoreAbstract | null {
    const common = { points, duration, keyPrefix: KEY_PREFIX, tableName: INTAKE_RATE_LIMIT_TABLE, tableCreated: true, clearExpiredByTimeout: false };
    const driver = this.dataSource.driver as unknown as DriverInternals;
    switch (this.dataSource.options.type) {
      case 'mysql':
      case 'mariadb':
        return new RateLimiterMySQL({ ...common, storeType: 'pool', storeClient: masterPool(driver), dbName: driver.database });
      case 'postgres':
        return new RateLimiterPostgres({ ...common, storeType: 'typeorm', storeClient: this.dataSource, schemaName: driver.schema });
      case 'better-sqlite3':
        // One connection, shared with TypeORM: an upsert made while a CRM transaction is open joins it (as a savepoint).
        return new RateLimiterSQLite({ ...common, storeType: 'better-sqlite3', storeClient: driver.databaseConnection });
      default:
        return null;
    }
  }

  /** Deletes windows that ended over an hour ago, as the library's own timer would, but stopped with the app. */
  private swept(store: RateLimiterStoreAbstract & { clearExpired?: (before: number) => Promise<void> }): RateLimiterStoreAbstract {
    this.sweeper = setInterval(() => {
      store.clearExpired?.(Date.now() - 3_600_000).catch((error: unknown) => this.logger.warn(`Could not sweep ended rate-limit windows: ${String(error)}`));
    }, SWEEP_EVERY_MS);
    this.sweeper.unref();
    return store;
  }
}

/** What the library's stores need of TypeORM's drivers (not part of TypeORM's typed surface). */
interface DriverInternals {
  database?: string;
  schema?: string;
  databaseConnection?: unknown;
  obtainMasterConnection(): Promise<unknown>;
}

/** A `getConnection(callback)` pool, as RateLimiterMySQL's `pool` store type takes, handing out the master's connections. */
function masterPool(driver: DriverInternals) {
  return {
    getConnection(callback: (error: unknown, connection?: unknown) => void) {
      driver.obtainMasterConnection().then((connection) => callback(null, connection), (error: unknown) => callback(error));
    },
  };
}
