import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, In, Not } from 'typeorm';
import { CrmError } from '../core/errors/crm-error';
import { CRM_OPTIONS, ResolvedCrmOptions } from '../core/options/crm-module-options';
import { CrmTransactions } from '../core/database/crm-transactions.service';
import { translate } from '../core/http/accept-language';
import { RetiredSourceCode } from './retired-source-code.entity';
import { SourceMatchKey } from './source-match-key.entity';
import { SourceRoutingTeam } from './source-routing-team.entity';
import { productCategoryKey } from './source-type';
import { Source } from './source.entity';
import type { SourceDto } from './dto/source.dto';

/** The audited fields of a source, as stored in the audit log. */
export const AUDITED_SOURCE_FIELDS = [
  'code',
  'name',
  'translations',
  'type',
  'sequence',
  'active',
  'forLeads',
  'forCustomers',
  'matchKeys',
  'productCategory',
  'routingMode',
  'routingPersonId',
  'routingTeamIds',
  'fallbackPersonId',
  'defaultMarketingCampaignId',
  'defaultSalesDirectionId',
  'updateLead',
  'updateContact',
  'showDoNotContact',
] as const;

export type SourceSnapshot = Pick<Source, Exclude<(typeof AUDITED_SOURCE_FIELDS)[number], 'matchKeys' | 'routingTeamIds'>> & {
  matchKeys: string[];
  routingTeamIds: number[];
};

/**
 * Reading, loading and checking catalogue records: the pieces the sources services and the
 * other modules' eligibility checks share.
 */
@Injectable()
export class SourceCatalog {
  constructor(
    @Inject(CRM_OPTIONS) private readonly options: ResolvedCrmOptions,
    private readonly transactions: CrmTransactions,
  ) {}

  isProtected(source: Pick<Source, 'code' | 'isProtected'>): boolean {
    return source.isProtected || this.options.protectedSourceCodes.has(source.code);
  }

  /** Loads a source with its match keys, locked for the transaction on MySQL/MariaDB; 404 if missing. */
  async load(manager: EntityManager, id: number, lock = false): Promise<Source> {
    const source = await this.transactions.loadOrFail(manager, Source, { id }, { label: 'Source', id, lock });
    await this.attachDetails(manager, [source]);
    return source;
  }

  /** Loads the match keys and routing teams of each source. */
  async attachDetails(manager: EntityManager, sources: Source[]): Promise<void> {
    if (sources.length === 0) return;
    const ids = sources.map((s) => s.id);
    const keys = await manager.find(SourceMatchKey, { where: { sourceId: In(ids) }, order: { id: 'ASC' } });
    const teams = await manager.find(SourceRoutingTeam, { where: { sourceId: In(ids) }, order: { teamId: 'ASC' } });
    for (const source of sources) {
      source.matchKeys = keys.filter((k) => k.sourceId === source.id);
      source.routingTeamIds = teams.filter((t) => t.sourceId === source.id).map((t) => t.teamId);
    }
  }

  /** Refuses a code that another source holds or that was ever retired. */
  async assertCodeFree(manager: EntityManager, code: string, exceptId?: number): Promise<void> {
    const holder = await manager.findOne(Source, { where: { code, ...(exceptId ? { id: Not(exceptId) } : {}) } });
    if (holder) throw new CrmError('DUPLICATE', `code "${code}" is already used by source ${holder.id}`, { field: 'code', existingId: holder.id });
    const retired = await manager.findOne(RetiredSourceCode, { where: { code } });
    if (retired) {
      throw new CrmError('RETIRED_CODE', `code "${code}" belonged to a deleted or re-coded source; never reuse a deleted code`, {
        field: 'code',
      });
    }
  }

  /**
   * Refuses match keys that another source of the same product category already uses, naming the
   * key and its source: sources share a key only when their categories tell them apart.
   */
  async assertMatchKeysFree(manager: EntityManager, keys: string[], productCategory: string | null, exceptSourceId?: number): Promise<void> {
    const duplicate = keys.find((key, i) => keys.indexOf(key) !== i);
    if (duplicate) throw CrmError.invalidField('matchKeys', 'unique', `matchKeys lists "${duplicate}" twice`);
    if (keys.length === 0) return;
    const category = productCategoryKey(productCategory);
    const taken = await manager.find(SourceMatchKey, {
      where: { key: In(keys), productCategoryKey: category, ...(exceptSourceId ? { sourceId: Not(exceptSourceId) } : {}) },
    });
    if (taken.length > 0) {
      const scope = category ? ` for product category "${category}"` : ' without a product category';
      throw new CrmError('DUPLICATE', `match key "${taken[0].key}" already links to source ${taken[0].sourceId}${scope}`, {
        field: 'matchKeys',
        matchKey: taken[0].key,
        existingId: taken[0].sourceId,
      });
    }
  }

  async replaceMatchKeys(manager: EntityManager, sourceId: number, keys: string[], productCategory: string | null): Promise<void> {
    await manager.delete(SourceMatchKey, { sourceId });
    const category = productCategoryKey(productCategory);
    if (keys.length) await manager.insert(SourceMatchKey, keys.map((key) => ({ sourceId, key, productCategoryKey: category })));
  }

  async retireCode(manager: EntityManager, code: string, sourceId: number): Promise<void> {
    await manager.insert(RetiredSourceCode, { code, sourceId });
  }

  snapshot(source: Source): SourceSnapshot {
    return {
      code: source.code,
      name: source.name,
      translations: source.translations ?? null,
      type: source.type,
      sequence: source.sequence,
      active: source.active,
      forLeads: source.forLeads,
      forCustomers: source.forCustomers,
      matchKeys: (source.matchKeys ?? []).map((k) => k.key),
      productCategory: source.productCategory ?? null,
      routingMode: source.routingMode,
      routingPersonId: source.routingPersonId ?? null,
      routingTeamIds: source.routingTeamIds ?? [],
      fallbackPersonId: source.fallbackPersonId ?? null,
      defaultMarketingCampaignId: source.defaultMarketingCampaignId ?? null,
      defaultSalesDirectionId: source.defaultSalesDirectionId ?? null,
      updateLead: source.updateLead,
      updateContact: source.updateContact,
      showDoNotContact: source.showDoNotContact,
    };
  }

  toDto(source: Source, locales: string[]): SourceDto {
    return {
      id: source.id,
      code: source.code,
      name: translate(source.name, source.translations, locales),
      defaultName: source.name,
      translations: source.translations ?? {},
      type: source.type,
      sequence: source.sequence,
      active: source.active,
      forLeads: source.forLeads,
      forCustomers: source.forCustomers,
      protected: this.isProtected(source),
      matchKeys: (source.matchKeys ?? []).map((k) => k.key),
      productCategory: source.productCategory ?? null,
      routingMode: source.routingMode,
      routingPersonId: source.routingPersonId ?? null,
      routingTeamIds: source.routingTeamIds ?? [],
      fallbackPersonId: source.fallbackPersonId ?? null,
      defaultMarketingCampaignId: source.defaultMarketingCampaignId ?? null,
      defaultSalesDirectionId: source.defaultSalesDirectionId ?? null,
      updateLead: source.updateLead,
      updateContact: source.updateContact,
      showDoNotContact: source.showDoNotContact,
      version: source.version,
      createdAt: source.createdAt,
      updatedAt: source.updatedAt,
    };
  }
}
