import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { CrmCaller } from '../access/crm-caller';
import { AuditChange, AuditEntry } from './audit-entry.entity';
import { insertMany } from '../database/insert-without-reload';
import { ListTotals } from '../http/list-totals.service';
import { Page, PageQuery, toPage } from '../http/page';

/** What one audited action records. */
export interface AuditRecord {
  entityType: string;
  entityId: string | number;
  action: string;
  changes?: AuditChange[];
}

type AuditRow = Pick<AuditEntry, 'entityType' | 'entityId' | 'action' | 'actorId' | 'changes'>;

function toRow(caller: CrmCaller, record: AuditRecord): AuditRow {
  return { entityType: record.entityType, entityId: String(record.entityId), action: record.action, actorId: caller.id, changes: record.changes ?? [] };
}

/** The one audit log of the CRM: every module writes its changes here, inside its own transaction. */
@Injectable()
export class AuditLogService {
  /** Entries held back by `batched`, by the transaction's manager. */
  private readonly pending = new WeakMap<EntityManager, AuditRow[]>();

  constructor(
    @InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>,
    private readonly totals: ListTotals,
  ) {}

  async record(manager: EntityManager, caller: CrmCaller, record: AuditRecord): Promise<void> {
    await this.recordMany(manager, caller, [record]);
  }

  /** Several entries with multi-row INSERTs (no read-back of the generated id and timestamp: nobody needs them). */
  async recordMany(manager: EntityManager, caller: CrmCaller, records: AuditRecord[]): Promise<void> {
    const rows = records.map((record) => toRow(caller, record));
    const pending = this.pending.get(manager);
    if (pending) pending.push(...rows);
    else await this.insertRows(manager, rows);
  }

  /**
   * Runs `work` with the entries recorded on `manager` held back and written together at its end
   * (a page of imports writes its audit log in a few statements instead of one per change). Nothing
   * is written when `work` throws: the caller rolls its writes back with it.
   */
  async batched<T>(manager: EntityManager, work: () => Promise<T>): Promise<T> {
    if (this.pending.has(manager)) return work();
    const rows: AuditRow[] = [];
    this.pending.set(manager, rows);
    try {
      const result = await work();
      this.pending.delete(manager);
      await this.insertRows(manager, rows);
      return result;
    } finally {
      this.pending.delete(manager);
    }
  }

  private async insertRows(manager: EntityManager, rows: AuditRow[]): Promise<void> {
    await insertMany(manager, AuditEntry, rows);
  }

  async history(entityType: string, entityId: string | number, query: PageQuery): Promise<Page<AuditEntry>> {
    const [items, total] = await this.totals.itemsAndTotal(
      this.entries.createQueryBuilder().setFindOptions({
        where: { entityType, entityId: String(entityId) },
        order: { id: 'DESC' },
        skip: (query.page - 1) * query.limit,
        take: query.limit,
      }),
    );
    return toPage(items, total, query);
  }
}

/** The fields whose values differ between two snapshots, as audit changes. */
export function diffFields<T extends object>(before: T, after: T, fields: readonly (keyof T & string)[]): AuditChange[] {
  return fields
    .filter((field) => !sameValue(before[field], after[field]))
    .map((field) => ({ field, before: before[field] ?? null, after: after[field] ?? null }));
}

function sameValue(a: unknown, b: unknown): boolean {
  if ((a ?? null) === (b ?? null)) return true;
  if (a === null || a === undefined || b === null || b === undefined) return false;
  if (a instanceof Date || b instanceof Date) return String(a && new Date(a as Date).toISOString()) === String(b && new Date(b as Date).toISOString());
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return (a ?? null) === (b ?? null);
}
