import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { CrmError } from '../errors/crm-error';

/**
 * Runs every multi-row write of the CRM in one transaction.
 *
 * better-sqlite3 gives TypeORM a single connection, so two transactions open at once would
 * interleave on it; on SQLite they are queued in-process instead. MySQL/MariaDB get real
 * concurrent transactions and row locks.
 */
@Injectable()
export class CrmTransactions {
  private sqliteQueue: Promise<unknown> = Promise.resolve();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** True on MySQL/MariaDB, where pessimistic row locks exist. */
  get supportsRowLocks(): boolean {
    return this.dataSource.options.type === 'mysql' || this.dataSource.options.type === 'mariadb';
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.supportsRowLocks) return this.dataSource.transaction(work);
    return this.queuedOnSqlite(work);
  }

  /**
   * Like `run`, READ COMMITTED on MySQL/MariaDB: each statement sees what other transactions had
   * committed when it started, instead of what they had when the transaction first read. Work that
   * waits for a lock and then looks up what the lock's holder wrote needs it (`IntakeKeyLocks`).
   */
  runReadCommitted<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.supportsRowLocks) return this.dataSource.transaction('READ COMMITTED', work);
    return this.queuedOnSqlite(work);
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
