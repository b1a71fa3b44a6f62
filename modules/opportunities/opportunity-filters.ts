import type { SelectQueryBuilder } from 'typeorm';
import { LIKE_ESCAPE, likePattern } from '../core/database/like-pattern';
import type { OpportunityFilterDto } from './dto/opportunity-filter.dto';
import type { Opportunity } from './opportunity.entity';

/** Narrows an opportunity query (alias `o`, its source joined as `s`) by the list and board filters. */
export function applyOpportunityFilters(qb: SelectQueryBuilder<Opportunity>, filter: OpportunityFilterDto): SelectQueryBuilder<Opportunity> {
  if (filter.stage !== undefined) qb.andWhere('o.stage = :stage', { stage: filter.stage });
  if (filter.sourceId !== undefined) qb.andWhere('o.sourceId = :sourceId', { sourceId: filter.sourceId });
  if (filter.sourceType !== undefined) qb.andWhere('s.type = :sourceType', { sourceType: filter.sourceType });
  if (filter.ownerId !== undefined) qb.andWhere('o.ownerId = :ownerId', { ownerId: filter.ownerId });
  if (filter.leadId !== undefined) qb.andWhere('o.leadId = :leadId', { leadId: filter.leadId });
  if (filter.customerId !== undefined) qb.andWhere('o.customerId = :customerId', { customerId: filter.customerId });
  if (filter.createdFrom !== undefined) qb.andWhere('o.createdAt >= :createdFrom', { createdFrom: new Date(filter.createdFrom) });
  if (filter.createdTo !== undefined) qb.andWhere('o.createdAt < :createdTo', { createdTo: new Date(filter.createdTo) });
  if (filter.q) qb.andWhere(`LOWER(o.title) LIKE :q ${LIKE_ESCAPE}`, { q: likePattern(filter.q) });
  return qb;
}
