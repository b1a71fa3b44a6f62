import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, In } from 'typeorm';
import type { CrmCaller } from '../core/access/crm-caller';
import { AuditLogService, diffFields } from '../core/audit/audit-log.service';
import { AuditEntryDto } from '../core/audit/dto/audit-entry.dto';
import { CrmTransactions } from '../core/database/crm-transactions.service';
import { CrmError } from '../core/errors/crm-error';
import { mapPage, Page, PageQuery, toPage } from '../core/http/page';
import { LIKE_ESCAPE, likePattern } from '../core/database/like-pattern';
import type { CreateSourceDto } from './dto/create-source.dto';
import type { SourceDto } from './dto/source.dto';
import type { SourceQueryDto } from './dto/source-query.dto';
import type { UpdateSourceDto } from './dto/update-source.dto';
import { AUDITED_SOURCE_FIELDS, SourceCatalog } from './source-catalog.service';
import { SourceMatchKey } from './source-match-key.entity';
import { Source } from './source.entity';

export const SOURCE_AUDIT_TYPE = 'source';

/** Listing, reading, creating and editing catalogue entries. Lifecycle moves live in `SourceLifecycleService`. */
@Injectable()
export class SourcesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalog: SourceCatalog,
    private readonly transactions: CrmTransactions,
    private readonly audit: AuditLogService,
  ) {}

  /** The picker: active sources by default, ordered by sequence then name. */
  async list(_caller: CrmCaller, query: SourceQueryDto, locales: string[]): Promise<Page<SourceDto>> {
    const qb = this.dataSource.getRepository(Source).createQueryBuilder('s');
    if (!query.includeArchived) qb.andWhere('s.active = :active', { active: true });
    if (query.appliesTo === 'lead') qb.andWhere('s.forLeads = :yes', { yes: true });
    if (query.appliesTo === 'customer') qb.andWhere('s.forCustomers = :yes', { yes: true });
    if (query.q) {
      const pattern = likePattern(query.q);
      qb.andWhere(new Brackets((w) => w.where(`LOWER(s.code) LIKE :q ${LIKE_ESCAPE}`, { q: pattern }).orWhere(`LOWER(s.name) LIKE :q ${LIKE_ESCAPE}`, { q: pattern })));
    }
    const [sources, total] = await qb
      .orderBy('s.sequence', 'ASC')
      .addOrderBy('s.name', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .skip((query.page - 1) * query.limit)
      .take(query.limit)
      .getManyAndCount();
    await this.attachMatchKeys(sources);
    return mapPage(toPage(sources, total, query), (s) => this.catalog.toDto(s, locales));
  }

  async get(_caller: CrmCaller, id: number, locales: string[]): Promise<SourceDto> {
    return this.catalog.toDto(await this.catalog.load(this.dataSource.manager, id), locales);
  }

  async create(caller: CrmCaller, dto: CreateSourceDto, locales: string[]): Promise<SourceDto> {
    const id = await this.transactions.run(async (manager) => {
      await this.catalog.assertCodeFree(manager, dto.code);
      const keys = dto.matchKeys ?? [];
      await this.catalog.assertMatchKeysFree(manager, keys);
      const { identifiers } = await manager.insert(Source, {
        code: dto.code,
        name: dto.name.trim(),
        translations: dto.translations ?? null,
        type: dto.type,
        sequence: dto.sequence ?? 10,
        active: dto.active ?? true,
        forLeads: dto.forLeads ?? true,
        forCustomers: dto.forCustomers ?? true,
        isProtected: false,
      });
      const sourceId = Number(identifiers[0].id);
      await this.catalog.replaceMatchKeys(manager, sourceId, keys);
      const created = await this.catalog.load(manager, sourceId);
      const after = this.catalog.snapshot(created);
      await this.audit.record(manager, caller, {
        entityType: SOURCE_AUDIT_TYPE,
        entityId: sourceId,
        action: 'create',
        changes: AUDITED_SOURCE_FIELDS.map((field) => ({ field, before: null, after: after[field] })),
      });
      return sourceId;
    });
    return this.get(caller, id, locales);
  }

  /** Applies a change made from the version the caller read; a stale version loses nothing, it is refused. */
  async update(caller: CrmCaller, id: number, dto: UpdateSourceDto, ifMatch: string | undefined, locales: string[]): Promise<SourceDto> {
    const expectedVersion = dto.version ?? parseIfMatch(ifMatch);
    if (expectedVersion === undefined) {
      throw new CrmError('PRECONDITION_REQUIRED', 'version is required (in the body or as If-Match) so concurrent edits are not lost', {
        field: 'version',
      });
    }
    await this.transactions.run(async (manager) => {
      const source = await this.catalog.load(manager, id, true);
      if (source.version !== expectedVersion) {
        throw new CrmError('STALE_VERSION', `Source ${id} changed since version ${expectedVersion}; reload it (now version ${source.version})`, {
          currentVersion: source.version,
        });
      }
      const before = this.catalog.snapshot(source);
      if (dto.code !== undefined && dto.code !== source.code) await this.checkCodeChange(manager, source, dto);
      if (dto.matchKeys) await this.catalog.assertMatchKeysFree(manager, dto.matchKeys, id);
      if (dto.active === false && this.catalog.isProtected(source)) throw protectedError(source, 'archived');

      const changes = diffFields(before, { ...before, ...definedFields(dto) }, AUDITED_SOURCE_FIELDS);
      if (changes.length === 0) return;
      const { matchKeys, version: _v, confirmCodeChange: _c, ...columns } = dto;
      const result = await manager.update(Source, { id, version: expectedVersion }, { ...columns, ...(columns.name ? { name: columns.name.trim() } : {}) });
      if (!result.affected) throw new CrmError('STALE_VERSION', `Source ${id} changed while saving; reload it`);
      if (matchKeys) await this.catalog.replaceMatchKeys(manager, id, matchKeys);
      if (dto.code !== undefined && dto.code !== source.code) await this.catalog.retireCode(manager, source.code, id);
      await this.audit.record(manager, caller, { entityType: SOURCE_AUDIT_TYPE, entityId: id, action: 'update', changes });
    });
    return this.get(caller, id, locales);
  }

  async history(_caller: CrmCaller, id: number, query: PageQuery): Promise<Page<AuditEntryDto>> {
    const page = await this.audit.history(SOURCE_AUDIT_TYPE, id, query);
    // A deleted source keeps its history; only a source that never existed is a 404.
    if (page.total === 0) await this.catalog.load(this.dataSource.manager, id);
    return mapPage(page, AuditEntryDto.from);
  }

  private async checkCodeChange(manager: EntityManager, source: Source, dto: UpdateSourceDto): Promise<void> {
    if (this.catalog.isProtected(source)) throw protectedError(source, 'given a new code');
    if (dto.confirmCodeChange !== true) {
      throw CrmError.invalidField(
        'confirmCodeChange',
        'requiredForCodeChange',
        'confirmCodeChange must be true to change a code: integrations that look the source up by code will break, and the old code is retired',
      );
    }
    await this.catalog.assertCodeFree(manager, dto.code!, source.id);
  }

  private async attachMatchKeys(sources: Source[]): Promise<void> {
    if (sources.length === 0) return;
    const keys = await this.dataSource.getRepository(SourceMatchKey).find({
      where: { sourceId: In(sources.map((s) => s.id)) },
      order: { id: 'ASC' },
    });
    for (const source of sources) source.matchKeys = keys.filter((k) => k.sourceId === source.id);
  }
}

export function protectedError(source: Pick<Source, 'id' | 'code'>, what: string): CrmError {
  return new CrmError(
    'PROTECTED',
    `Source ${source.id} (${source.code}) is protected and cannot be ${what}: integrations look it up by this code, and imported leads would show an undefined source`,
    { code: source.code },
  );
}

/** `If-Match: "3"`, `W/"3"` or `3` → 3. */
function parseIfMatch(header: string | undefined): number | undefined {
  const match = header?.match(/^\s*(?:W\/)?"?(\d+)"?\s*$/);
  return match ? Number(match[1]) : undefined;
}

function definedFields(dto: UpdateSourceDto): Record<string, unknown> {
  const { version: _v, confirmCodeChange: _c, ...rest } = dto;
  const fields = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  if (typeof fields.name === 'string') fields.name = fields.name.trim();
  return fields;
}
