import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { CrmTransactions } from '../../core/database/crm-transactions.service';
import { databaseNow } from '../../core/database/database-clock';
import { RunHeartbeat } from '../runs/run-heartbeat.service';
import { SyncLease } from './sync-lease.entity';

/** A lease taken: and from whom, when another holder's lease had expired. */
export interface LeaseTaken {
  tookOverFrom: string | null;
}

/** Unique-key violations by driver: MySQL/MariaDB, SQLite, PostgreSQL. */
const DUPLICATE_KEY = new Set(['ER_DUP_ENTRY', 'SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT', '23505']);

/**
 * A named lease in `crm_sync_lease` so that, of several app instances (or a host and `npm run sync`)
 * on one database, one runs a job at a time. Conditional writes on the database's clock arbitrate:
 * the UPDATE takes a lease that is expired (or already ours), the INSERT creates a missing one, and
 * the primary key lets only one INSERT win. A crashed holder blocks the job for at most one lease.
 * Each statement runs through `CrmTransactions`, so on SQLite's one shared connection it never lands
 * inside (and rolls back with) another request's transaction.
 */
@Injectable()
export class SyncLeaseService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly heartbeat: RunHeartbeat,
    private readonly transactions: CrmTransactions,
  ) {}

  /** This instance, as written in `holder` (the same id its runs carry). */
  get holder(): string {
    return this.heartbeat.holder;
  }

  /** The lease, when this instance now holds `name` for `seconds`; null when another instance holds it. */
  async acquire(name: string, seconds: number): Promise<LeaseTaken | null> {
    const previous = await this.transactions.run((manager) => manager.findOne(SyncLease, { where: { name } }));
    const taken = await this.transactions.run((manager) => manager
      .createQueryBuilder()
      .update(SyncLease)
      .set({ holder: this.holder, expiresAt: () => databaseNow(this.dataSource, seconds) })
      .where('name = :name', { name })
      .andWhere(`(${this.column('expiresAt')} < ${databaseNow(this.dataSource)} OR holder = :holder)`, { holder: this.holder })
      .execute());
    if (taken.affected) return { tookOverFrom: previous && previous.holder !== this.holder ? previous.holder : null };
    try {
      await this.transactions.run((manager) => manager
        .createQueryBuilder()
        .insert()
        .into(SyncLease)
        .values({ name, holder: this.holder, expiresAt: () => databaseNow(this.dataSource, seconds) })
        .execute());
      return { tookOverFrom: null };
    } catch (error) {
      if (error instanceof QueryFailedError && DUPLICATE_KEY.has(String((error.driverError as { code?: string })?.code))) return null;
      throw error;
    }
  }

  /** Extends our lease; false when it expired and another instance took it (the caller must stop). */
  async renew(name: string, seconds: number): Promise<boolean> {
    const renewed = await this.transactions.run((manager) => manager
      .createQueryBuilder()
      .update(SyncLease)
      .set({ expiresAt: () => databaseNow(this.dataSource, seconds) })
      .where('name = :name AND holder = :holder', { name, holder: this.holder })
      .execute());
    return Boolean(renewed.affected);
  }

  async release(name: string): Promise<void> {
    await this.transactions.run((manager) => manager.createQueryBuilder().delete().from(SyncLease).where('name = :name AND holder = :holder', { name, holder: this.holder }).execute());
  }

  private column(name: string): string {
    return this.dataSource.driver.escape(name);
  }
}
