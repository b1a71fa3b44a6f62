import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { CrmError } from '../errors/crm-error';
import { CRM_OPTIONS, type ResolvedCrmOptions } from '../options/crm-module-options';
import { isTransactionConflict } from './database-failures';

/** The longest pause between two attempts of a transaction. */
const MAX_RETRY_DELAY_MS = 1000;

/**
 * Runs every multi-row write of the CRM in one transaction.
 *
 * better-sqlite3 gives TypeORM a single connection, so two transactions open at once would
 * interleave on it; on SQLite they are queued in-process instead. MySQL/MariaDB and PostgreSQL
 * get real concurrent transactions and row locks.
 *
 * A transaction the database rolled back because it lost a lock race (a deadlock, a lock wait
 * timeout, a PostgreSQL serialization failure: see `isTransactionConflict`) is taken again from
 * the start, up to `database.transactionAttempts` times with a jittered, doubling pause, so `work` must do nothing
 * but database work through `manager` (or keep what it remembers in memory local to the call).
 * The last attempt's error is thrown; the exception filter answers it 503 `UNAVAILABLE`.
 */
@Injectable()
export class CrmTransactions {
  private readonly logger = new Logger('CrmTransactions');
  private sqliteQueue: Promise<unknown> = Promise.resolve();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CRM_OPTIONS) private readonly options: ResolvedCrmOptions,
  ) {}

  /** True on MySQL/MariaDB and PostgreSQL, where pessimistic row locks (`FOR UPDATE`) exist. */
  get supportsRowLocks(): boolean {
    const { type } = this.dataSource.options;
    return type === 'mysql' || type === 'mariadb' || type === 'postgres';
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.retrying(() => (this.supportsRowLocks ? this.dataSource.transaction(work) : this.queuedOnSqlite(work)));
  }

  /**
   * Like `run`, READ COMMITTED on MySQL/MariaDB (PostgreSQL's default level anyway): each statement sees what other transactions had
   * committed when it started, instead of what they had when the transaction first read. Work that
   * waits for a lock and then looks up what the lock's holder wrote needs it (`IntakeKeyLocks`).
   */
  runReadCommitted<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.retrying(() => (this.supportsRowLocks ? this.dataSource.transaction('READ COMMITTED', work) : this.queuedOnSqlite(work)));
  }

  /** `attempt` taken again while it fails with a lock conflict, until the attempts are spent. */
  private async retrying<T>(attempt: () => Promise<T>): Promise<T> {
    const { transactionAttempts, retryDelayMs } = this.options.database;
    for (let taken = 1; ; taken += 1) {
      try {
        return await attempt();
      } catch (error) {
        if (taken >= transactionAttempts || !isTransactionConflict(error)) throw error;
        this.logger.debug(`Transaction lost a lock race (attempt ${taken} of ${transactionAttempts}); taking it again`);
        await sleep(jitteredDelay(retryDelayMs, taken));
      }
    }
  }

  private queuedOnSqlite<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const next = this.sqliteQueue.then(() => this.dataSource.transaction(work));
    this.sqliteQueue = next.catch(() => undefined);
    return next;
  }

  /** Adds `FOR UPDATE` where the database has it; SQLite's queued transactions need none. */
  forUpdate<T extends ObjectLiteral>(query: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
    return this.supportsRowLocks ? query.setLock('pessimistic_write') : query;
  }

  /**
   * The one record matching `where`, locked for the transaction when `lock` is set (on MySQL/MariaDB);
   * a 404 naming `label` and `id` when there is none.
   */
  async loadOrFail<T extends ObjectLiteral>(
    manager: EntityManager,
    entity: EntityTarget<T>,
    where: FindOptionsWhere<T>,
    found: { label: string; id: unknown; lock?: boolean },
  ): Promise<T> {
    const query = manager.createQueryBuilder(entity, 'r').where(where);
    const record = await (found.lock ? this.forUpdate(query) : query).getOne();
    if (!record) throw CrmError.notFound(found.label, found.id);
    return record;
  }
}

/**
 * The pause before the next attempt: `base` doubled per attempt already taken (at most 1 s), of which
 * a random half or more, so the transactions that deadlocked together do not meet again at once.
 */
export function jitteredDelay(baseMs: number, attemptsTaken: number): number {
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** (attemptsTaken - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
