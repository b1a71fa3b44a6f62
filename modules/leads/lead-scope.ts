import type { SelectQueryBuilder } from 'typeorm';
import type { CrmCaller } from '../core/access/crm-caller';
import { CrmError } from '../core/errors/crm-error';
import type { Lead } from './lead.entity';

/**
 * A partner supervisor sees only their partner company's leads. Any other lead is answered as
 * missing (404), never as forbidden, so its id does not leak.
 */
export function requireVisibleLead(caller: CrmCaller, lead: Lead | null, id: number): Lead {
  if (!lead || (caller.partnerCompanyId !== null && lead.partnerCompanyId !== caller.partnerCompanyId)) throw CrmError.notFound('Lead', id);
  return lead;
}

/** Narrows a lead query (alias `l`) to what the caller may see. */
export function scopeToCaller(query: SelectQueryBuilder<Lead>, caller: CrmCaller): SelectQueryBuilder<Lead> {
  return caller.partnerCompanyId === null ? query : query.andWhere('l.partnerCompanyId = :scopePartner', { scopePartner: caller.partnerCompanyId });
}
