import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CrmTransactions } from '../../core/database/crm-transactions.service';
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
    const slots = [...new Set(keys.flatMap(taggedKeys).map(slotOf))].sort((a, b) => a - b);
    if (slots.length === 0) return;
    const query = manager.createQueryBuilder(IntakeLockSlot, 's').select('s.slot').where('s.slot IN (:...slots)', { slots }).orderBy('s.slot', 'ASC');
    await this.transactions.forUpdate(query).getRawMany();
  }
}

/** The record's keys, each tagged with its kind. */
function taggedKeys(keys: RecordKeys): string[] {
  const tagged: string[] = [];
  for (const [kind, value] of Object.entries(keys)) if (value !== null) tagged.push(`${kind}:${value}`);
  return tagged;
}

/** FNV-1a over the UTF-16 code units, onto the slots. */
function slotOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % INTAKE_LOCK_SLOTS;
}
