import { QueryFailedError, type DataSource } from 'typeorm';
import { resolveCrmOptions } from '../options/crm-module-options';
import { CrmTransactions, jitteredDelay } from './crm-transactions.service';
import { isDatabaseUnreachable, isTransactionConflict } from './database-failures';

/** A mysql2 error as TypeORM throws it from a failed statement. */
function mysqlError(code: string, errno: number, message: string): QueryFailedError {
  return new QueryFailedError('INSERT …', [], Object.assign(new Error(message), { code, errno, sqlState: '40001' }));
}

const deadlock = () => mysqlError('ER_LOCK_DEADLOCK', 1213, 'Deadlock found when trying to get lock; try restarting transaction');

/** A data source whose transactions fail with `failures` in turn, then succeed. */
function failingDataSource(type: 'mariadb' | 'better-sqlite3', failures: unknown[]): { dataSource: DataSource; attempts: () => number } {
  let attempts = 0;
  const dataSource = {
    options: { type },
    transaction: async (...args: unknown[]) => {
      const work = args[args.length - 1] as (manager: unknown) => Promise<unknown>;
      attempts += 1;
      const failure = failures.shift();
      if (failure) throw failure;
      return work({});
    },
  } as unknown as DataSource;
  return { dataSource, attempts: () => attempts };
}

describe('CrmTransactions retries', () => {
  const options = resolveCrmOptions({ database: { transactionAttempts: 4, retryDelayMs: 1 } });

  it.each(['mariadb', 'better-sqlite3'] as const)('takes a deadlocked or lock-timed-out transaction again from the start (%s)', async (type) => {
    const { dataSource, attempts } = failingDataSource(type, [deadlock(), mysqlError('ER_LOCK_WAIT_TIMEOUT', 1205, 'Lock wait timeout exceeded')]);
    const transactions = new CrmTransactions(dataSource, options);
    await expect(transactions.run(async () => 'done')).resolves.toBe('done');
    expect(attempts()).toBe(3);
    const again = failingDataSource(type, [deadlock()]);
    await expect(new CrmTransactions(again.dataSource, options).runReadCommitted(async () => 'read committed')).resolves.toBe('read committed');
    expect(again.attempts()).toBe(2);
  });

  it('gives up after the configured attempts with the database error, and never retries any other error', async () => {
    const stuck = failingDataSource('mariadb', [deadlock(), deadlock(), deadlock(), deadlock(), deadlock()]);
    await expect(new CrmTransactions(stuck.dataSource, options).run(async () => 'never')).rejects.toThrow(/Deadlock found/);
    expect(stuck.attempts()).toBe(4);
    const refused = failingDataSource('mariadb', [mysqlError('ER_DUP_ENTRY', 1062, 'Duplicate entry')]);
    await expect(new CrmTransactions(refused.dataSource, options).run(async () => 'never')).rejects.toThrow(/Duplicate entry/);
    expect(refused.attempts()).toBe(1);
  });

  it('pauses a random part of a doubling delay, at most a second', () => {
    for (let i = 0; i < 50; i += 1) {
      expect(jitteredDelay(20, 1)).toBeGreaterThanOrEqual(10);
      expect(jitteredDelay(20, 1)).toBeLessThanOrEqual(20);
      expect(jitteredDelay(20, 3)).toBeGreaterThanOrEqual(40);
      expect(jitteredDelay(20, 3)).toBeLessThanOrEqual(80);
      expect(jitteredDelay(20, 30)).toBeLessThanOrEqual(1000);
    }
  });
});

describe('database failures', () => {
  it('tells a lost lock race from an unreachable database from a refused statement', () => {
    expect(isTransactionConflict(deadlock())).toBe(true);
    expect(isTransactionConflict(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))).toBe(true);
    expect(isTransactionConflict(Object.assign(new Error('deadlock detected'), { code: '40P01' }))).toBe(true);
    expect(isTransactionConflict(mysqlError('ER_DUP_ENTRY', 1062, 'Duplicate entry'))).toBe(false);

    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED', fatal: true });
    expect(isDatabaseUnreachable(refused)).toBe(true);
    expect(isDatabaseUnreachable(new AggregateError([refused], ''))).toBe(true);
    expect(isDatabaseUnreachable(new QueryFailedError('SELECT 1', [], Object.assign(new Error('Connection lost: The server closed the connection.'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true })))).toBe(true);
    expect(isDatabaseUnreachable(Object.assign(new Error("Can't add new command when connection is in closed state"), { fatal: true }))).toBe(true);
    expect(isDatabaseUnreachable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isDatabaseUnreachable(mysqlError('ER_DATA_TOO_LONG', 1406, "Data too long for column 'name'"))).toBe(false);
    expect(isDatabaseUnreachable(new TypeError('x is undefined'))).toBe(false);
  });
});
