import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { CrmCaller } from '../access/crm-caller';
import { AuditChange, AuditEntry } from './audit-entry.entity';
import { type BulkCreationLookup, type CurrentState, type HistoryEntry, initialValues } from './audit-history';
import { CreatedRecords } from './created-records';
import { insertMany } from '../database/insert-without-reload';
import { Page, PageQuery, toPage } from '../http/page';

/** What one audited change records (a creation is `recordCreated`: it records no values). */
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

/** The action of the entry that records a record's creation. */
export const CREATE_ACTION = 'create';

/**
 * The one audit log of the CRM: every module writes its changes here, inside its own transaction.
 * A creation stores no field values (what a record started with is its state now with each later
 * change undone, which `history` derives when asked); a change stores each field's before/after.
 * Records an import page creates are collected (`collectCreations`) and audited by the import as
 * one entry per page and entity type, naming the run.
 */
@Injectable()
export class AuditLogService {
  /** Entries held back by `batched`, by the transaction's manager. */
  private readonly pending = new WeakMap<EntityManager, AuditRow[]>();
  /** Creations collected by `collectCreations` instead of being written, by the transaction's manager. */
  private readonly collecting = new WeakMap<EntityManager, CreatedRecords>();
  private readonly bulkCreations: BulkCreationLookup[] = [];

  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  async record(manager: EntityManager, caller: CrmCaller, record: AuditRecord): Promise<void> {
    await this.recordMany(manager, caller, [record]);
  }

  /** Several entries with multi-row INSERTs (no read-back of the generated id and timestamp: nobody needs them). */
  async recordMany(manager: EntityManager, caller: CrmCaller, records: AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    const rows = records.map((record) => toRow(caller, record));
    const pending = this.pending.get(manager);
    if (pending) pending.push(...rows);
    else await this.insertRows(manager, rows);
  }

  /**
   * The creation of records: one value-less `create` entry each, or, inside `collectCreations`
   * (an import page), their ids collected for the page's own entry.
   */
  async recordCreated(manager: EntityManager, caller: CrmCaller, entityType: string, ids: readonly (string | number)[]): Promise<void> {
    const collected = this.collecting.get(manager);
    if (collected) collected.add(entityType, ids);
    else await this.recordMany(manager, caller, ids.map((entityId) => ({ entityType, entityId, action: CREATE_ACTION })));
  }

  /**
   * Runs `work` with the creations recorded on `manager` collected rather than written, and answers
   * them with its result: the caller (an import page) audits them its own way, in the same transaction.
   */
  async collectCreations<T>(manager: EntityManager, work: () => Promise<T>): Promise<{ result: T; created: CreatedRecords }> {
    const outer = this.collecting.get(manager);
    const created = new CreatedRecords();
    this.collecting.set(manager, created);
    try {
      const result = await work();
      outer?.addAll(created);
      return { result, created };
    } finally {
      if (outer) this.collecting.set(manager, outer);
      else this.collecting.delete(manager);
    }
  }

  /**
   * `work` in a savepoint of the caller's transaction: when it throws, its writes are rolled back and
   * the creations it had collected are forgotten with them.
   */
  async savepoint<T>(manager: EntityManager, work: (inner: EntityManager) => Promise<T>): Promise<T> {
    const collected = this.collecting.get(manager);
    const mark = collected?.size ?? 0;
    try {
      return await manager.transaction(work);
    } catch (error) {
      collected?.truncate(mark);
      throw error;
    }
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

  /** Where the history finds records created in bulk (the imports module registers its runs' index). */
  registerBulkCreations(lookup: BulkCreationLookup): void {
    this.bulkCreations.push(lookup);
  }

  /**
   * A record's history, newest first. Its creation (its own `create` entry, or the import page that
   * created it, which then ends the history) lists the values it was created with, derived from
   * `current` (the record now, or null once deleted) with every later change undone; an entry
   * written before creations stopped storing values shows what it stored.
   */
  async history(entityType: string, entityId: string | number, query: PageQuery, current: CurrentState): Promise<Page<HistoryEntry>> {
    const id = String(entityId);
    const skip = (query.page - 1) * query.limit;
    const [[stored, count], bulk] = await Promise.all([
      this.entries.findAndCount({ where: { entityType, entityId: id }, order: { id: 'DESC' }, skip, take: query.limit }),
      this.findBulkCreation(entityType, id),
    ]);
    const items: HistoryEntry[] = stored.map(toHistoryEntry);
    const reachesEnd = skip + stored.length === count;
    if (bulk && reachesEnd && items.length < query.limit) items.push({ ...toHistoryEntry(bulk.entry), action: CREATE_ACTION, changes: [], importRun: bulk.importRun });
    // The creation is the oldest entry: the last of the last page.
    const creation = reachesEnd ? items[items.length - 1] : undefined;
    if (creation?.action === CREATE_ACTION && creation.changes.length === 0) await this.derive(creation, entityType, id, current);
    return toPage(items, { total: count + (bulk ? 1 : 0), totalCapped: false }, query);
  }

  private async derive(creation: HistoryEntry, entityType: string, entityId: string, current: CurrentState): Promise<void> {
    const [state, all] = await Promise.all([current(), this.entries.find({ where: { entityType, entityId }, order: { id: 'DESC' } })]);
    // An imported record's creation is not among its own entries: every one of them came later.
    const later = creation.importRun ? all : all.filter((entry) => entry.id > creation.id);
    creation.changes = initialValues(state, later);
    creation.derived = true;
  }

  private async findBulkCreation(entityType: string, entityId: string): ReturnType<BulkCreationLookup> {
    for (const lookup of this.bulkCreations) {
      const found = await lookup(entityType, entityId);
      if (found) return found;
    }
    return null;
  }
}

function toHistoryEntry(entry: AuditEntry): HistoryEntry {
  return { id: entry.id, action: entry.action, actorId: entry.actorId, changes: entry.changes, createdAt: entry.createdAt };
}

/** The fields whose values differ between two snapshots, as audit changes. */
export function diffFields<T extends object>(before: T, after: T, fields: readonly (keyof T & string)[]): AuditChange[] {
  return fields
    .filter((field) => !sameValue(before[field], after[field]))
    .map((field) => ({ field, before: before[field] ?? null, after: after[field] ?? null }));
}

/** A record's audited fields, for `history` to derive its creation from. */
export function auditedState<T extends object>(record: T | null, fields: readonly (keyof T & string)[]): Partial<T> | null {
  if (record === null) return null;
  return Object.fromEntries(fields.map((field) => [field, record[field] ?? null])) as Partial<T>;
}

function sameValue(a: unknown, b: unknown): boolean {
  if ((a ?? null) === (b ?? null)) return true;
  if (a === null || a === undefined || b === null || b === undefined) return false;
  if (a instanceof Date || b instanceof Date) return String(a && new Date(a as Date).toISOString()) === String(b && new Date(b as Date).toISOString());
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return (a ?? null) === (b ?? null);
}
