import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager } from 'typeorm';
import type { CrmCaller } from '../core/access/crm-caller';
import { RecordVisibility } from '../core/visibility/record-visibility.service';
import { Customer } from '../customers/customer.entity';
import { CompaniesService } from '../directory/companies.service';
import { Company } from '../directory/company.entity';
import type { Lead } from '../leads/lead.entity';

/** An existing customer a conversion might mean instead of creating a new one. */
export interface CustomerCandidate {
  id: number;
  name: string;
}

/**
 * Finds the customers a lead's company already is: the same company record, or a company with
 * the same TIN, website domain or name, or a customer of the same name. Only customers the caller
 * may see are offered (a partner is never told another partner's customers).
 */
@Injectable()
export class DuplicateCustomers {
  constructor(
    private readonly companies: CompaniesService,
    private readonly visibility: RecordVisibility,
  ) {}

  async candidates(manager: EntityManager, caller: CrmCaller, lead: Lead, customerName: string): Promise<CustomerCandidate[]> {
    const company = lead.companyId === null ? null : await manager.findOne(Company, { where: { id: lead.companyId } });
    const matching = await this.companies.findMatching(manager, {
      name: company?.name ?? lead.leadCompanyName,
      website: company?.website ?? null,
      tin: company?.tin ?? null,
    });
    const companyIds = [...new Set([...(company ? [company.id] : []), ...matching.map((c) => c.id)])];
    const qb = manager
      .createQueryBuilder(Customer, 'c')
      .select(['c.id', 'c.name'])
      .where(
        new Brackets((w) => {
          w.where('LOWER(c.name) = :name', { name: customerName.trim().toLowerCase() });
          if (companyIds.length) w.orWhere('c.companyId IN (:...companyIds)', { companyIds });
        }),
      )
      .orderBy('c.id', 'ASC')
      .take(20);
    this.visibility.scope(qb, caller, 'customer');
    return (await qb.getMany()).map((c) => ({ id: c.id, name: c.name }));
  }
}
