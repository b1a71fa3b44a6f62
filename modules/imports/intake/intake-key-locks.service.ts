import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CrmTransactions } from '../../core/database/crm-transactions.service';
import { escapedTablePath } from '../../core/database/table-path';
import { INTAKE_LOCK_SLOTS, IntakeLockSlot } from './intake-lock-slot.entity';
import type { RecordKeys } from './page-matches';

/**
 * Makes records of the same person or company wait for each other. Contacts are not unique by email
 * or phone (people share them), so two transactions that each look a new person up, find nothing and
 * create them would make two contacts; companies are unique, so the second would fail instead.
 *
 * Each key a record is matched on (email, phone, company name, website, TIN, external id) hashes to
 * one of a fixed set of rows, and the transaction locks those rows before it looks the record up.
 * On MySQL/MariaDB that needs READ COMMITTED (`CrmTransactions.runReadCommitted`), so that the
 * lookups after the wait see what the other transaction committed. A hash collision only makes
 * unrelated records wait; a fixed set of rows keeps the table from growing with every key. SQLite
 * runs one transaction at a time already.
 */
@Injectable()
export class IntakeKeyLocks {
  constructor(private readonly transactions: CrmTransactions) {}

  /** Locks the slots of the records' keys until the transaction ends, in slot order, so two pages cannot deadlock on them. */
  async lockKeysOf(manager: EntityManager, keys: RecordKeys[]): Promise<void> {
    if (!this.transactions.supportsRowLocks) return;
    const wanted = new Set<number>();
    for (const record of keys) {
      for (const kind of KEY_KINDS) {
        const value = record[kind];
        if (value !== null) wanted.add(slotOf(kind, value));
      }
    }
    if (wanted.size === 0) return;
    const slots = [...wanted].sort((a, b) => a - b);
    const { driver } = manager.connection;
    const table = escapedTablePath(manager.connection, IntakeLockSlot);
    const slot = driver.escape('slot');
    // The slots are our own integers, written as literals: a page's thousands of them as bound parameters cost more than the lock.
    await manager.query(`SELECT ${slot} FROM ${table} WHERE ${slot} IN (${slots.join(', ')}) ORDER BY ${slot} FOR UPDATE`);
  }
}

/** Every key a record is matched on; each hashes with its kind, so a TIN is not the phone number with the same digits. */
const KEY_KINDS = ['emailKey', 'phoneKey', 'nameKey', 'websiteDomain', 'tin', 'importKey'] as const satisfies readonly (keyof RecordKeys)[];

/** FNV-1a over the UTF-16 code units of `kind:value`, onto the slots. */
function slotOf(kind: string, value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < kind.length; i++) hash = Math.imul(hash ^ kind.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash ^ 0x3a, 0x01000193);
  for (let i = 0; i < value.length; i++) hash = Math.imul(hash ^ value.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % INTAKE_LOCK_SLOTS;
}
