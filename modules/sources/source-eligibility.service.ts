import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CrmError } from '../core/errors/crm-error';
import type { SourceAppliesTo } from './source-type';
import type { Source } from './source.entity';
import { SourceCatalogCache } from './source-catalog-cache.service';

/** A source choice on a record: the one asked for and the one the record has now (if any). */
export interface SourceChoice {
  sourceId: number;
  appliesTo: SourceAppliesTo;
  /** The record's current source: keeping it is always allowed, even once archived or disabled. */
  currentSourceId?: number | null;
  /** The field name to report, default `sourceId`. */
  field?: string;
}

/**
 * The eligibility rule every record with a source follows: a source set or changed must be active
 * and enabled for that kind of record; a record keeps the source it has until someone picks another.
 */
@Injectable()
export class SourceEligibilityService {
  constructor(private readonly cache: SourceCatalogCache) {}

  /** Checked against the cached catalogue as `manager`'s transaction sees it (one version read, no second connection). */
  async assertEligible(manager: EntityManager, choice: SourceChoice): Promise<Source> {
    const field = choice.field ?? 'sourceId';
    const source = (await this.cache.current(manager)).byId.get(choice.sourceId);
    if (!source) throw CrmError.invalidField(field, 'exists', `${field} ${choice.sourceId} is not a known source`);
    if (choice.currentSourceId === choice.sourceId) return source;
    if (!source.active) {
      throw CrmError.invalidField(field, 'activeSource', `${field} ${source.id} (${source.code}) is archived; pick an active source`);
    }
    const enabled = choice.appliesTo === 'lead' ? source.forLeads : source.forCustomers;
    if (!enabled) {
      throw CrmError.invalidField(
        field,
        choice.appliesTo === 'lead' ? 'sourceForLeads' : 'sourceForCustomers',
        `${field} ${source.id} (${source.code}) is not enabled for ${choice.appliesTo}s`,
      );
    }
    return source;
  }
}
