import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { CrmCaller } from '../access/crm-caller';
import { AuditChange, AuditEntry } from './audit-entry.entity';
import { Page, PageQuery, toPage } from '../http/page';

/** What one audited action records. */
export interface AuditRecord {
  entityType: string;
  entityId: string | number;
  action: string;
  changes?: AuditChange[];
}

/** The one audit log of the CRM: every module writes its changes here, inside its own transaction. */
@Injectable()
export class AuditLogService {
  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  async record(manager: EntityManager, caller: CrmCaller, record: AuditRecord): Promise<void> {
    // No read-back of the generated id and timestamp: nobody needs them, and it saves a query per entry.
    await manager
      .createQueryBuilder()
      .insert()
      .into(AuditEntry)
      .values({
        entityType: record.entityType,
        entityId: String(record.entityId),
        action: record.action,
        actorId: caller.id,
        changes: (record.changes ?? []) as never,
      })
      .updateEntity(false)
      .execute();
  }

  async history(entityType: string, entityId: string | number, query: PageQuery): Promise<Page<AuditEntry>> {
    const [items, total] = await this.entries.findAndCount({
      where: { entityType, entityId: String(entityId) },
      order: { id: 'DESC' },
      skip: (query.page - 1) * query.limit,
      take: query.limit,
    });
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
  if (a instanceof Date || b instanceof Date) return String(a && new Date(a as Date).toISOString()) === String(b && new Date(b as Date).toISOString());
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return (a ?? null) === (b ?? null);
}
