import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, type DataSourceOptions, type Migration, type QueryRunner } from 'typeorm';
import { isTransactionConflict } from './database-failures';

/** How long an instance waits for another one's migrations before it gives up. Default 300 s. */
export interface MigrationLockOptions {
  /** Seconds to wait for the lock while another instance migrates the same database. Default 300. */
  lockTimeoutSeconds?: number;
  /** TypeORM's transaction mode of the migrations: `all` (TypeORM's default), `each` or `none`. */
  transaction?: 'all' | 'each' | 'none';
}

/**
 * How instances sharing a database take turns: `hold` runs `work` while no other instance can
 * migrate. `work` is told whether it already runs inside the lock's own transaction (then the
 * migrations must not open one of theirs).
 */
interface MigrationLock {
  hold<T>(dataSource: DataSource, timeoutSeconds: number, work: (inTransaction: boolean) => Promise<T>): Promise<T>;
}

/**
 * MySQL/MariaDB named locks, on a connection of the lock's own: held by the session (a connection
 * that dies releases it), and server-wide, hence named after the database.
 */
const MYSQL_LOCK: MigrationLock = {
  async hold(dataSource, timeoutSeconds, work) {
    const runner = dataSource.createQueryRunner();
    try {
      await runner.connect();
      const name = await mysqlLockName(runner);
      const [row] = await runner.query('SELECT GET_LOCK(?, ?) AS taken', [name, timeoutSeconds]);
      if (Number(row?.taken) !== 1) throw lockTimeout(timeoutSeconds, name);
      try {
        return await work(false);
      } finally {
        await runner.query('SELECT RELEASE_LOCK(?)', [name]);
      }
    } finally {
      await runner.release();
    }
  },
};

/** MySQL caps a lock name at 64 characters. */
async function mysqlLockName(runner: QueryRunner): Promise<string> {
  const [row] = await runner.query('SELECT DATABASE() AS name');
  const database = String(row?.name ?? '');
  const name = `nest-crm:migrations:${database}`;
  return name.length <= 64 ? name : `nest-crm:migrations:${createHash('sha256').update(database).digest('hex').slice(0, 40)}`;
}

/**
 * PostgreSQL session-level advisory lock, on a connection of the lock's own (a connection that
 * dies releases it), keyed by a 64-bit hash of the same name MySQL's lock takes (advisory keys
 * belong to the database they are taken in). Tried every 100 ms until the timeout rather than
 * waited for: `pg_advisory_lock` itself would wait for ever.
 */
const POSTGRES_LOCK: MigrationLock = {
  async hold(dataSource, timeoutSeconds, work) {
    const runner = dataSource.createQueryRunner();
    try {
      await runner.connect();
      const [{ name }] = await runner.query('SELECT current_database() AS name');
      const key = advisoryKey(`nest-crm:migrations:${String(name)}`);
      const deadline = Date.now() + timeoutSeconds * 1000;
      for (;;) {
        const [row] = await runner.query('SELECT pg_try_advisory_lock($1) AS taken', [key]);
        if (row?.taken === true) break;
        if (Date.now() > deadline) throw lockTimeout(timeoutSeconds, String(name));
        await sleep(100);
      }
      try {
        return await work(false);
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [key]);
      }
    } finally {
      await runner.release();
    }
  },
};

/** The first 64 bits of the name's SHA-256, as the signed `bigint` an advisory lock takes. */
function advisoryKey(name: string): string {
  return BigInt.asIntN(64, BigInt(`0x${createHash('sha256').update(name).digest('hex').slice(0, 16)}`)).toString();
}

/**
 * SQLite: one file, one writer. The migrations run in one `BEGIN IMMEDIATE` transaction, which
 * takes the file's write lock before reading which migrations were executed, so a second process
 * waits (retrying while the file is busy) and then finds nothing pending. better-sqlite3 gives a
 * DataSource one connection, so the migrations run on this same transaction.
 */
const SQLITE_LOCK: MigrationLock = {
  async hold(dataSource, timeoutSeconds, work) {
    const runner = dataSource.createQueryRunner();
    const deadline = Date.now() + timeoutSeconds * 1000;
    for (;;) {
      try {
        await runner.query('BEGIN IMMEDIATE');
        break;
      } catch (error) {
        if (!isTransactionConflict(error) || Date.now() > deadline) throw isTransactionConflict(error) ? lockTimeout(timeoutSeconds, 'the database file') : error;
        await sleep(100);
      }
    }
    try {
      const result = await work(true);
      await runner.query('COMMIT');
      return result;
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  },
};

const LOCKS: Partial<Record<DataSourceOptions['type'], MigrationLock>> = { mysql: MYSQL_LOCK, mariadb: MYSQL_LOCK, postgres: POSTGRES_LOCK, 'better-sqlite3': SQLITE_LOCK };

function lockTimeout(timeoutSeconds: number, what: string): Error {
  return new Error(`Another instance has been migrating this database for more than ${timeoutSeconds} s (lock on ${what}); start this one again once it is done`);
}

/**
 * Runs `work` while this instance holds the database's migration lock, so instances started at
 * the same moment migrate one after the other. A database without a lock here runs it unlocked.
 */
async function withMigrationLock<T>(dataSource: DataSource, options: MigrationLockOptions, work: (inTransaction: boolean) => Promise<T>): Promise<T> {
  const lock = LOCKS[dataSource.options.type];
  return lock ? lock.hold(dataSource, options.lockTimeoutSeconds ?? 300, work) : work(false);
}

/**
 * `dataSource.runMigrations()` under the database's migration lock: what a host calls instead of
 * TypeORM's `migrationsRun`, which takes no lock (two instances started at once on an empty
 * database would both create the first tables, and one would fail). On SQLite the migrations of
 * one start commit together, whatever `transaction` says.
 */
export function runMigrationsLocked(dataSource: DataSource, options: MigrationLockOptions = {}): Promise<Migration[]> {
  const transaction = options.transaction ?? dataSource.options.migrationsTransactionMode ?? 'all';
  return withMigrationLock(dataSource, options, (inTransaction) => dataSource.runMigrations({ transaction: inTransaction ? 'none' : transaction }));
}

/**
 * A `dataSourceFactory` for `TypeOrmModule.forRootAsync`: the DataSource initialized, then, when
 * its options say `migrationsRun`, migrated under the migration lock instead of by TypeORM.
 *
 * ```ts
 * TypeOrmModule.forRootAsync({
 *   useFactory: () => ({ ...options, migrations: [...CRM_MIGRATIONS], migrationsRun: true }),
 *   dataSourceFactory: initializeWithLockedMigrations,
 * })
 * ```
 */
export async function initializeWithLockedMigrations(options?: DataSourceOptions): Promise<DataSource> {
  if (!options) throw new Error('initializeWithLockedMigrations needs the DataSource options');
  const dataSource = await new DataSource({ ...options, migrationsRun: false }).initialize();
  if (!options.migrationsRun) return dataSource;
  try {
    await runMigrationsLocked(dataSource, { transaction: options.migrationsTransactionMode });
    return dataSource;
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}
