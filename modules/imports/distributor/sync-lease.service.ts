import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';

/**
 * A named lease in `crm_sync_lease` so that, of several app instances on one MySQL/MariaDB database,
 * one runs a job at a time. Conditional writes on the database clock do the arbitration: the UPDATE
 * takes a lease that is expired (or already ours), the INSERT creates a missing one, and the primary
 * key lets only one INSERT win. On SQLite (one process per file) the caller's in-process lock is
 * enough, so every call succeeds.
 */
@Injectable()
export class SyncLeaseService {
  /** This instance, as written in `holder`. */
  readonly holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`.slice(0, 120);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get shared(): boolean {
    return this.dataSource.options.type === 'mysql' || this.dataSource.options.type === 'mariadb';
  }

  /** True when this instance now holds `name` for `seconds`. */
  async acquire(name: string, seconds: number): Promise<boolean> {
    if (!this.shared) return true;
    const taken = await this.dataSource.query(
      'UPDATE crm_sync_lease SET holder = ?, expiresAt = DATE_ADD(NOW(6), INTERVAL ? SECOND) WHERE name = ? AND (expiresAt < NOW(6) OR holder = ?)',
      [this.holder, seconds, name, this.holder],
    );
    if (affectedRows(taken) > 0) return true;
    try {
      await this.dataSource.query('INSERT INTO crm_sync_lease (name, holder, expiresAt) VALUES (?, ?, DATE_ADD(NOW(6), INTERVAL ? SECOND))', [name, this.holder, seconds]);
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === 'ER_DUP_ENTRY') return false;
      throw error;
    }
  }

  /** Extends our lease; false when it expired and another instance took it (the caller must stop). */
  async renew(name: string, seconds: number): Promise<boolean> {
    if (!this.shared) return true;
    const renewed = await this.dataSource.query('UPDATE crm_sync_lease SET expiresAt = DATE_ADD(NOW(6), INTERVAL ? SECOND) WHERE name = ? AND holder = ?', [
      seconds,
      name,
      this.holder,
    ]);
    return affectedRows(renewed) > 0;
  }

  async release(name: string): Promise<void> {
    if (!this.shared) return;
    await this.dataSource.query('DELETE FROM crm_sync_lease WHERE name = ? AND holder = ?', [name, this.holder]);
  }
}

function affectedRows(result: unknown): number {
  const header = Array.isArray(result) ? result[1] ?? result[0] : result;
  return Number((header as { affectedRows?: number })?.affectedRows ?? 0);
}
