import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import type { CrmCaller } from '../core/access/crm-caller';
import { AuditLogService, auditedState, diffFields } from '../core/audit/audit-log.service';
import { AuditEntryDto } from '../core/audit/dto/audit-entry.dto';
import { CrmTransactions } from '../core/database/crm-transactions.service';
import { LIKE_ESCAPE, likePattern } from '../core/database/like-pattern';
import { CrmError } from '../core/errors/crm-error';
import { mapPage, Page, PageQuery, toPage } from '../core/http/page';
import { ListTotals } from '../core/http/list-totals.service';
import { RecordVisibility } from '../core/visibility/record-visibility.service';
import type { CreateListEntryDto } from './dto/create-list-entry.dto';
import { ListEntryDto } from './dto/list-entry.dto';
import type { ListEntryQueryDto } from './dto/list-entry-query.dto';
import type { UpdateListEntryDto } from './dto/update-list-entry.dto';
import { ListEntry } from './list-entry.entity';
import { LIST_KIND_ROUTES, type ListKind } from './list-kind';

export const LIST_ENTRY_AUDIT_TYPE = 'list_entry';

const AUDITED_LIST_ENTRY_FIELDS = ['kind', 'name', 'code', 'sequence', 'active'] as const;

/**
 * The small managed lists (sales directions, products, marketing campaigns, content channels),
 * one mechanism for all kinds. Archived entries leave the pickers but stay on the records that have them.
 */
@Injectable()
export class ListEntriesService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly totals: ListTotals,
    private readonly transactions: CrmTransactions,
    private readonly audit: AuditLogService,
    private readonly visibility: RecordVisibility,
  ) {}

  /** The lists are a catalogue every caller fills the lead form from; they hold nothing of any partner. */
  onModuleInit(): void {
    this.visibility.register('list-entry', { label: 'List entry', entity: ListEntry, shared: true });
  }

  /** The picker: active entries by default, ordered by sequence then name. */
  async list(_caller: CrmCaller, kind: ListKind, query: ListEntryQueryDto): Promise<Page<ListEntryDto>> {
    const qb = this.dataSource.getRepository(ListEntry).createQueryBuilder('e').where('e.kind = :kind', { kind });
    if (!query.includeArchived) qb.andWhere('e.active = :active', { active: true });
    if (query.q) {
      const q = likePattern(query.q);
      qb.andWhere(new Brackets((w) => w.where(`LOWER(e.name) LIKE :q ${LIKE_ESCAPE}`, { q }).orWhere(`LOWER(e.code) LIKE :q ${LIKE_ESCAPE}`, { q })));
    }
    const [entries, total] = await this.totals.itemsAndTotal(
      qb
        .orderBy('e.sequence', 'ASC')
        .addOrderBy('e.name', 'ASC')
        .addOrderBy('e.id', 'ASC')
        .skip((query.page - 1) * query.limit)
        .take(query.limit),
    );
    return mapPage(toPage(entries, total, query), ListEntryDto.from);
  }

  async get(_caller: CrmCaller, kind: ListKind, id: number): Promise<ListEntryDto> {
    return ListEntryDto.from(await this.load(this.dataSource.manager, kind, id));
  }

  /** Who changed what and when, newest first. */
  async history(_caller: CrmCaller, kind: ListKind, id: number, query: PageQuery): Promise<Page<AuditEntryDto>> {
    const entry = await this.load(this.dataSource.manager, kind, id);
    const current = async () => auditedState(entry, AUDITED_LIST_ENTRY_FIELDS);
    return mapPage(await this.audit.history(LIST_ENTRY_AUDIT_TYPE, id, query, current), AuditEntryDto.from);
  }

  async create(caller: CrmCaller, kind: ListKind, dto: CreateListEntryDto): Promise<ListEntryDto> {
    const id = await this.transactions.run(async (manager) => {
      const fields = { kind, name: dto.name.trim(), code: dto.code ?? null, sequence: dto.sequence ?? 10, active: true };
      await this.assertFree(manager, kind, fields.name, fields.code);
      const { identifiers } = await manager.insert(ListEntry, fields);
      const entryId = Number(identifiers[0].id);
      await this.audit.recordCreated(manager, caller, LIST_ENTRY_AUDIT_TYPE, [entryId]);
      return entryId;
    });
    return this.get(caller, kind, id);
  }

  async update(caller: CrmCaller, kind: ListKind, id: number, dto: UpdateListEntryDto): Promise<ListEntryDto> {
    if (dto.name === null) throw CrmError.invalidField('name', 'required', 'name cannot be cleared');
    await this.transactions.run(async (manager) => {
      const entry = await this.load(manager, kind, id, true);
      const after: ListEntry = {
        ...entry,
        name: dto.name === undefined ? entry.name : dto.name.trim(),
        code: dto.code === undefined ? entry.code : dto.code,
        sequence: dto.sequence ?? entry.sequence,
      };
      const changes = diffFields(entry, after, AUDITED_LIST_ENTRY_FIELDS);
      if (changes.length === 0) return;
      await this.assertFree(manager, kind, after.name, after.code, id);
      await manager.update(ListEntry, { id }, { name: after.name, code: after.code, sequence: after.sequence });
      await this.audit.record(manager, caller, { entityType: LIST_ENTRY_AUDIT_TYPE, entityId: id, action: 'update', changes });
    });
    return this.get(caller, kind, id);
  }

  /** Takes an entry out of the pickers; every record that has it keeps it. */
  async archive(caller: CrmCaller, kind: ListKind, id: number): Promise<ListEntryDto> {
    await this.setActive(caller, kind, id, false);
    return this.get(caller, kind, id);
  }

  async restore(caller: CrmCaller, kind: ListKind, id: number): Promise<ListEntryDto> {
    await this.setActive(caller, kind, id, true);
    return this.get(caller, kind, id);
  }

  /**
   * The entry a record is given: it must exist in this list (400 `exists`) and be active
   * (400 `activeEntry`), except that a record keeps the entry it already has (`currentId`).
   */
  async assertUsable(manager: EntityManager, kind: ListKind, id: number, currentId: number | null | undefined, field: string): Promise<ListEntry> {
    const label = LIST_KIND_ROUTES[kind].label.toLowerCase();
    const entry = await manager.findOne(ListEntry, { where: { id, kind } });
    if (!entry) throw CrmError.invalidField(field, 'exists', `${field} ${id} is not a known ${label}`);
    if (entry.active || id === currentId) return entry;
    throw CrmError.invalidField(field, 'activeEntry', `${field} ${id} (${entry.name}) is an archived ${label}; pick an active one`);
  }

  private async setActive(caller: CrmCaller, kind: ListKind, id: number, active: boolean): Promise<void> {
    await this.transactions.run(async (manager) => {
      const entry = await this.load(manager, kind, id, true);
      if (entry.active === active) return;
      await manager.update(ListEntry, { id }, { active });
      await this.audit.record(manager, caller, {
        entityType: LIST_ENTRY_AUDIT_TYPE,
        entityId: id,
        action: active ? 'restore' : 'archive',
        changes: [{ field: 'active', before: entry.active, after: active }],
      });
    });
  }

  /** An entry of another list is a 404 here: each list is its own resource. */
  private async load(manager: EntityManager, kind: ListKind, id: number, lock = false): Promise<ListEntry> {
    return this.transactions.loadOrFail(manager, ListEntry, { id, kind }, { label: LIST_KIND_ROUTES[kind].label, id, lock });
  }

  /** Name (ignoring case, on every database alike) and code are unique within a list. */
  private async assertFree(manager: EntityManager, kind: ListKind, name: string, code: string | null, exceptId?: number): Promise<void> {
    const sameName = await manager
      .createQueryBuilder(ListEntry, 'e')
      .where('e.kind = :kind AND LOWER(e.name) = :name', { kind, name: name.toLowerCase() })
      .getMany();
    const nameHolder = sameName.find((e) => e.id !== exceptId);
    if (nameHolder) {
      throw new CrmError('DUPLICATE', `name "${name}" is already used by ${LIST_KIND_ROUTES[kind].label.toLowerCase()} ${nameHolder.id}`, {
        field: 'name',
        existingId: nameHolder.id,
      });
    }
    if (code === null) return;
    const codeHolder = (await manager.find(ListEntry, { where: { kind, code } })).find((e) => e.id !== exceptId);
    if (codeHolder) {
      throw new CrmError('DUPLICATE', `code "${code}" is already used by ${LIST_KIND_ROUTES[kind].label.toLowerCase()} ${codeHolder.id}`, {
        field: 'code',
        existingId: codeHolder.id,
      });
    }
  }
}
