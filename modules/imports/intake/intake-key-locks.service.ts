import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CrmTransactions } from '../../core/database/crm-transactions.service';
import { companyMatchKeys } from '../../directory/companies.service';
import { normalizeEmail, normalizePhone } from '../../directory/matching-keys';
import { IntakeLockSlot } from './intake-lock-slot.entity';
import type { IntakeRecord } from './intake-record';

/** The number of rows the migration creates in `crm_intake_lock_slot`. */
const SLOTS = 1024;

/**
 * Makes records of the same person or company wait for each other. Contacts are not unique by email
 * or phone (people share them), so two transactions that each look a new person up, find nothing and
 * create them would make two contacts; companies are unique, so the second would fail instead.
 *
 * Each key a record may be matched on (email, phone, company name, website, TIN, external id) hashes
 * to one of a fixed set of rows, and the transaction locks those rows before it looks anything up.
 * On MySQL/MariaDB that needs READ COMMITTED (`CrmTransactions.runReadCommitted`), so that the
 * lookups after the wait see what the other transaction committed. A hash collision only makes
 * unrelated records wait; a fixed set of rows keeps the table from growing with every key. SQLite
 * runs one transaction at a time already.
 */
@Injectable()
export class IntakeKeyLocks {
  constructor(private readonly transactions: CrmTransactions) {}

  /** Locks the slots of every key of `records` until the transaction ends, in slot order, so two batches cannot deadlock on them. */
  async lockKeysOf(manager: EntityManager, records: IntakeRecord[]): Promise<void> {
    if (!this.transactions.supportsRowLocks) return;
    const slots = [...new Set(records.flatMap(matchingKeys).map(slotOf))].sort((a, b) => a - b);
    if (slots.length === 0) return;
    const query = manager.createQueryBuilder(IntakeLockSlot, 's').select('s.slot').where('s.slot IN (:...slots)', { slots }).orderBy('s.slot', 'ASC');
    await this.transactions.forUpdate(query).getRawMany();
  }
}

/** The keys a record may be matched on, each tagged with its kind. */
function matchingKeys(record: IntakeRecord): string[] {
  const company = companyMatchKeys({ name: record.companyName, website: record.website, tin: record.tin });
  const keys: [string, string | null][] = [
    ['email', normalizeEmail(record.email)],
    ['phone', normalizePhone(record.phone)],
    ['company', company.nameKey],
    ['website', company.websiteDomain],
    ['tin', company.tin],
    ['external', record.externalId?.trim() || null],
  ];
  return keys.filter((key): key is [string, string] => key[1] !== null).map(([kind, value]) => `${kind}:${value}`);
}

/** FNV-1a over the UTF-16 code units, onto the slots. */
function slotOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % SLOTS;
}
