import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { CrmCaller } from '../core/access/crm-caller';
import { CrmTransactions } from '../core/database/crm-transactions.service';
import { CrmError } from '../core/errors/crm-error';
import { RecordVisibility } from '../core/visibility/record-visibility.service';
import { CustomerWriter } from '../customers/customer-writer.service';
import { Customer } from '../customers/customer.entity';
import { CustomerDto } from '../customers/dto/customer.dto';
import { Company } from '../directory/company.entity';
import { PeopleService } from '../directory/people.service';
import { requirePartiesFor } from '../leads/lead-parties';
import { LeadWriter } from '../leads/lead-writer.service';
import { Lead } from '../leads/lead.entity';
import { OpportunityDto } from '../opportunities/dto/opportunity.dto';
import { OpportunityWriter } from '../opportunities/opportunity-writer.service';
import type { Opportunity } from '../opportunities/opportunity.entity';
import type { ConversionResultDto, ConvertedLeadDto } from './dto/conversion-result.dto';
import type { ConvertCustomerDto, ConvertLeadDto } from './dto/convert-lead.dto';
import { DuplicateCustomers } from './duplicate-customers.service';

/**
 * Turns a qualified lead into a customer, an opportunity, or both, in one transaction: on any
 * failure nothing is half-converted. The lead row is locked (MySQL) or the transaction queued
 * (SQLite), so of two conversions of one lead exactly one succeeds.
 */
@Injectable()
export class LeadConversionService {
  constructor(
    private readonly transactions: CrmTransactions,
    private readonly customers: CustomerWriter,
    private readonly opportunities: OpportunityWriter,
    private readonly duplicates: DuplicateCustomers,
    private readonly people: PeopleService,
    private readonly visibility: RecordVisibility,
    private readonly leads: LeadWriter,
  ) {}

  async convert(caller: CrmCaller, leadId: number, dto: ConvertLeadDto): Promise<ConversionResultDto> {
    if (!dto.customer && !dto.opportunity) {
      throw CrmError.invalidField('customer', 'customerOrOpportunity', 'give a customer part, an opportunity part, or both');
    }
    return this.transactions.run(async (manager) => {
      const lead = await this.lockConvertible(manager, caller, leadId);
      const customer = dto.customer ? await this.customerFor(manager, caller, lead, dto.customer) : null;
      const movedOpportunityIds = customer ? await this.opportunities.moveOpenToCustomerWithin(manager, caller, lead.id, customer.id) : [];
      const opportunity = dto.opportunity ? await this.openOpportunity(manager, caller, lead, customer, dto) : null;
      const converted = await this.markConverted(manager, caller, lead, customer, opportunity);
      return {
        lead: converted,
        customer: customer ? CustomerDto.from(await this.customers.load(manager, customer.id)) : null,
        opportunity: opportunity ? OpportunityDto.from(opportunity) : null,
        movedOpportunityIds,
      };
    });
  }

  private async lockConvertible(manager: EntityManager, caller: CrmCaller, id: number): Promise<Lead> {
    const locked = await this.transactions.forUpdate(manager.createQueryBuilder(Lead, 'l').where('l.id = :id', { id })).getOne();
    const lead = await this.visibility.visibleOrFail(manager, caller, 'lead', id, locked);
    if (lead.status === 'converted') {
      throw new CrmError('CONFLICT', `Lead ${id} is already converted (customer ${lead.customerId ?? 'none'}, opportunity ${lead.opportunityId ?? 'none'})`, {
        status: lead.status,
        customerId: lead.customerId,
        opportunityId: lead.opportunityId,
      });
    }
    if (lead.status !== 'qualified') {
      throw new CrmError('CONFLICT', `Lead ${id} is ${lead.status}; only a qualified lead can be converted`, { status: lead.status });
    }
    // A lead qualified before companies and contacts were required may still lack them.
    requirePartiesFor(id, { company: lead.companyId, contact: lead.contactId }, 'converted');
    return lead;
  }

  private async customerFor(manager: EntityManager, caller: CrmCaller, lead: Lead, part: ConvertCustomerDto): Promise<Customer> {
    if (part.mode === 'link') {
      if (part.customerId === undefined) throw CrmError.invalidField('customer.customerId', 'required', 'customer.customerId is required to link a customer');
      const customer = await this.customers.requireCustomer(manager, caller, part.customerId, 'customer.customerId');
      await this.customers.linkLeadWithin(manager, caller, customer, lead.id);
      return customer;
    }
    const name = await this.customerName(manager, lead);
    if (!part.createAnyway) {
      const candidates = await this.duplicates.candidates(manager, caller, lead, name);
      if (candidates.length) {
        throw new CrmError(
          'DUPLICATE',
          `Customers of the same company already exist (${candidates.map((c) => `${c.id} ${c.name}`).join(', ')}); link one (mode link) or create anyway (createAnyway: true)`,
          { candidates },
        );
      }
    }
    const ownerId = part.ownerId ?? (await this.defaultOwner(manager, caller, lead));
    const customer = {
      name,
      companyId: lead.companyId,
      primaryContactId: lead.contactId,
      ownerId,
      sourceId: lead.sourceId,
      leadId: lead.id,
      partnerCompanyId: lead.partnerCompanyId,
    };
    try {
      // The lead's source is inherited as is, even a lead-only one: the documented conversion rule.
      return await this.customers.createWithin(manager, caller, customer, { inheritedSource: true });
    } catch (error) {
      throw prefixFields(error, 'customer');
    }
  }

  /** The lead's company's name: only a lead with a company converts (`lockConvertible`), and a company is never deleted under a lead. */
  private async customerName(manager: EntityManager, lead: Lead): Promise<string> {
    return (await manager.findOneByOrFail(Company, { id: lead.companyId! })).name;
  }

  /**
   * The owner of what a conversion creates when the request names none: the lead's owner, else the
   * caller, whichever is first an active person of the directory; else none. A caller needs no
   * directory entry, and a lead's owner may have left since, so neither is required.
   */
  private defaultOwner(manager: EntityManager, caller: CrmCaller, lead: Lead): Promise<string | null> {
    return this.people.defaultOwner(manager, [lead.ownerId, caller.id]);
  }

  private async openOpportunity(manager: EntityManager, caller: CrmCaller, lead: Lead, customer: Customer | null, dto: ConvertLeadDto): Promise<Opportunity> {
    const fields = { ...dto.opportunity!, ownerId: dto.opportunity!.ownerId ?? (await this.defaultOwner(manager, caller, lead)) };
    const parent = customer ? { customerId: customer.id } : { leadId: lead.id };
    try {
      return await this.opportunities.createWithin(manager, caller, { ...fields, ...parent }, { originLeadId: lead.id });
    } catch (error) {
      throw prefixFields(error, 'opportunity');
    }
  }

  /** The lead marked converted through the lead writer (the status, links and audit entry every lead change gets there). */
  private async markConverted(manager: EntityManager, caller: CrmCaller, lead: Lead, customer: Customer | null, opportunity: Opportunity | null): Promise<ConvertedLeadDto> {
    const converted = await this.leads.markConvertedWithin(manager, caller, lead, { customerId: customer?.id ?? null, opportunityId: opportunity?.id ?? null });
    const { id, status, customerId, opportunityId, convertedAt, version } = converted;
    return { id, status, customerId, opportunityId, convertedAt: convertedAt!, version };
  }
}

/** Field errors of a part name their field as the request does (`opportunity.amount`, `customer.ownerId`). */
function prefixFields(error: unknown, prefix: string): unknown {
  if (!(error instanceof CrmError) || error.code !== 'VALIDATION_FAILED') return error;
  const errors = (error.details.errors as { field: string; rule: string; message: string }[]).map((e) => ({ ...e, field: `${prefix}.${e.field}` }));
  return CrmError.validation(errors);
}
