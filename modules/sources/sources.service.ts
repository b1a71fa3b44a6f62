import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import type { CrmCaller } from '../core/access/crm-caller';
import { AuditLogService, diffFields } from '../core/audit/audit-log.service';
import { AuditEntryDto } from '../core/audit/dto/audit-entry.dto';
import { CrmTransactions } from '../core/database/crm-transactions.service';
import { CrmError } from '../core/errors/crm-error';
import { mapPage, Page, PageQuery, toPage } from '../core/http/page';
import { ListTotals } from '../core/http/list-totals.service';
import { RecordVisibility } from '../core/visibility/record-visibility.service';
import { LIKE_ESCAPE, likePattern } from '../core/database/like-pattern';
import type { CreateSourceDto } from './dto/create-source.dto';
import type { SourceDto } from './dto/source.dto';
import type { SourceQueryDto } from './dto/source-query.dto';
import type { UpdateSourceDto } from './dto/update-source.dto';
import { AUDITED_SOURCE_FIELDS, SourceCatalog, type SourceSnapshot } from './source-catalog.service';
import { SourceCatalogCache } from './source-catalog-cache.service';
import { normalizeTeamIds, SourceRules } from './source-rules.service';
import { productCategoryKey } from './source-type';
import { Source } from './source.entity';

export const SOURCE_AUDIT_TYPE = 'source';

/** Listing, reading, creating and editing catalogue entries. Lifecycle moves live in `SourceLifecycleService`. */
@Injectable()
export class SourcesService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly totals: ListTotals,
    private readonly catalog: SourceCatalog,
    private readonly transactions: CrmTransactions,
    private readonly audit: AuditLogService,
    private readonly rules: SourceRules,
    private readonly visibility: RecordVisibility,
    private readonly cache: SourceCatalogCache,
  ) {}

  /** The catalogue every caller picks sources from; it holds nothing of any partner. */
  onModuleInit(): void {
    this.visibility.register('source', { label: 'Source', entity: Source, shared: true });
  }

  /**
   * The picker: active sources by default, ordered by sequence then name. Without `q` it is served
   * from the cached catalogue (the same for every caller: sources are shared), each answer computed
   * once per catalogue version, locales and filters; `q` is matched by the database, whose
   * collation decides what "ignoring case" means.
   */
  async list(_caller: CrmCaller, query: SourceQueryDto, locales: string[]): Promise<Page<SourceDto>> {
    if (query.q) return this.search(query, locales);
    const snapshot = await this.cache.current();
    const key = [locales.join(','), query.appliesTo ?? '', query.includeArchived ? 1 : 0, query.page, query.limit].join('|');
    return this.cache.page(snapshot, key, () => {
      const matching = snapshot.ordered.filter(
        (s) => (query.includeArchived || s.active) && (query.appliesTo !== 'lead' || s.forLeads) && (query.appliesTo !== 'customer' || s.forCustomers),
      );
      const start = (query.page - 1) * query.limit;
      return mapPage(toPage(matching.slice(start, start + query.limit), this.totals.ofCount(matching.length), query), (s) => this.catalog.toDto(s, locales));
    });
  }

  private async search(query: SourceQueryDto, locales: string[]): Promise<Page<SourceDto>> {
    const qb = this.dataSource.getRepository(Source).createQueryBuilder('s');
    if (!query.includeArchived) qb.andWhere('s.active = :active', { active: true });
    if (query.appliesTo === 'lead') qb.andWhere('s.forLeads = :yes', { yes: true });
    if (query.appliesTo === 'customer') qb.andWhere('s.forCustomers = :yes', { yes: true });
    if (query.q) {
      const pattern = likePattern(query.q);
      qb.andWhere(new Brackets((w) => w.where(`LOWER(s.code) LIKE :q ${LIKE_ESCAPE}`, { q: pattern }).orWhere(`LOWER(s.name) LIKE :q ${LIKE_ESCAPE}`, { q: pattern })));
    }
    const [sources, total] = await this.totals.itemsAndTotal(
      qb
        .orderBy('s.sequence', 'ASC')
        .addOrderBy('s.name', 'ASC')
        .addOrderBy('s.id', 'ASC')
        .skip((query.page - 1) * query.limit)
        .take(query.limit),
    );
    await this.catalog.attachDetails(this.dataSource.manager, sources);
    return mapPage(toPage(sources, total, query), (s) => this.catalog.toDto(s, locales));
  }

  async get(_caller: CrmCaller, id: number, locales: string[]): Promise<SourceDto> {
    const source = (await this.cache.current()).byId.get(id);
    if (!source) throw CrmError.notFound('Source', id);
    return this.catalog.toDto(source, locales);
  }

  async create(caller: CrmCaller, dto: CreateSourceDto, locales: string[]): Promise<SourceDto> {
    const id = await this.transactions.run(async (manager) => {
      await this.catalog.assertCodeFree(manager, dto.code);
      const keys = dto.matchKeys ?? [];
      const productCategory = dto.productCategory?.trim() || null;
      await this.catalog.assertMatchKeysFree(manager, keys, productCategory);
      const rules = {
        routingMode: dto.routingMode ?? 'none',
        routingPersonId: dto.routingPersonId ?? null,
        routingTeamIds: normalizeTeamIds(dto.routingTeamIds),
        fallbackPersonId: dto.fallbackPersonId ?? null,
        defaultMarketingCampaignId: dto.defaultMarketingCampaignId ?? null,
        defaultSalesDirectionId: dto.defaultSalesDirectionId ?? null,
      } as const;
      await this.rules.check(manager, rules, null);
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
        productCategory,
        routingMode: rules.routingMode,
        routingPersonId: rules.routingPersonId,
        fallbackPersonId: rules.fallbackPersonId,
        defaultMarketingCampaignId: rules.defaultMarketingCampaignId,
        defaultSalesDirectionId: rules.defaultSalesDirectionId,
        updateLead: dto.updateLead ?? false,
        updateContact: dto.updateContact ?? false,
        showDoNotContact: dto.showDoNotContact ?? false,
      });
      const sourceId = Number(identifiers[0].id);
      await this.catalog.replaceMatchKeys(manager, sourceId, keys, productCategory);
      await this.rules.replaceRoutingTeams(manager, sourceId, rules.routingTeamIds);
      await this.audit.recordCreated(manager, caller, SOURCE_AUDIT_TYPE, [sourceId]);
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
      const given = definedFields(dto);
      const next = { ...before, ...given } as SourceSnapshot;
      const categoryChanged = productCategoryKey(next.productCategory) !== productCategoryKey(before.productCategory);
      if (dto.matchKeys || categoryChanged) await this.catalog.assertMatchKeysFree(manager, next.matchKeys, next.productCategory, id);
      await this.rules.check(manager, next, source);
      if (dto.active === false && this.catalog.isProtected(source)) throw protectedError(source, 'archived');

      const changes = diffFields(before, next, AUDITED_SOURCE_FIELDS);
      if (changes.length === 0) return;
      const { matchKeys: _m, routingTeamIds: _t, ...columns } = given;
      const result = await manager.update(Source, { id, version: expectedVersion }, columns);
      if (!result.affected) throw new CrmError('STALE_VERSION', `Source ${id} changed while saving; reload it`);
      if (dto.matchKeys || categoryChanged) await this.catalog.replaceMatchKeys(manager, id, next.matchKeys, next.productCategory);
      if (dto.routingTeamIds) await this.rules.replaceRoutingTeams(manager, id, next.routingTeamIds);
      if (dto.code !== undefined && dto.code !== source.code) await this.catalog.retireCode(manager, source.code, id);
      await this.audit.record(manager, caller, { entityType: SOURCE_AUDIT_TYPE, entityId: id, action: 'update', changes });
    });
    return this.get(caller, id, locales);
  }

  async history(_caller: CrmCaller, id: number, query: PageQuery): Promise<Page<AuditEntryDto>> {
    // A deleted source keeps its history (its delete entry holds its last state); only a source that never existed is a 404.
    const current = async () => {
      const source = await this.dataSource.manager.findOne(Source, { where: { id } });
      if (!source) return null;
      await this.catalog.attachDetails(this.dataSource.manager, [source]);
      return this.catalog.snapshot(source);
    };
    const page = await this.audit.history(SOURCE_AUDIT_TYPE, id, query, current);
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
  if (typeof fields.productCategory === 'string') fields.productCategory = fields.productCategory.trim();
  if (fields.routingTeamIds) fields.routingTeamIds = normalizeTeamIds(fields.routingTeamIds as number[]);
  return fields;
}
