import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, In } from 'typeorm';
import { CompaniesService } from '../../directory/companies.service';
import type { Company } from '../../directory/company.entity';
import type { Contact } from '../../directory/contact.entity';
import { ContactsService } from '../../directory/contacts.service';
import { Lead } from '../../leads/lead.entity';
import type { PreparedIntake } from './intake-validator.service';

/** What an incoming record matches among existing records. */
export interface DuplicateMatch {
  /** True when the contact's email/phone or the company's TIN/website matched: the record is a duplicate. */
  duplicate: boolean;
  contact: Contact | null;
  company: Company | null;
  /** The newest open lead of that contact or company. */
  openLead: Lead | null;
}

const OPEN_STATUSES = ['new', 'in_progress', 'qualified'] as const;

/**
 * Finds what an incoming record duplicates: a contact by normalised email or phone, a company by
 * TIN or website domain, and their newest open lead. A company matched by name only is not a
 * duplicate, but is reused rather than created twice.
 */
@Injectable()
export class DuplicateFinder {
  constructor(
    private readonly contacts: ContactsService,
    private readonly companies: CompaniesService,
  ) {}

  async find(manager: EntityManager, prepared: PreparedIntake): Promise<DuplicateMatch> {
    const { record } = prepared;
    const contact = (await this.contacts.findMatching(manager, { email: record.email, phone: record.phone }))[0] ?? null;
    const byKeys = record.website || record.tin ? await this.companies.findMatching(manager, { website: record.website, tin: record.tin }) : [];
    const duplicate = contact !== null || byKeys.length > 0;
    let company = byKeys[0] ?? null;
    if (!company && record.companyName) company = (await this.companies.findMatching(manager, { name: record.companyName }))[0] ?? null;
    const openLead = duplicate ? await this.newestOpenLead(manager, contact?.id ?? null, byKeys[0]?.id ?? null) : null;
    return { duplicate, contact, company, openLead };
  }

  private async newestOpenLead(manager: EntityManager, contactId: number | null, companyId: number | null): Promise<Lead | null> {
    const query = manager.createQueryBuilder(Lead, 'l').where({ status: In([...OPEN_STATUSES]) });
    query.andWhere(
      new Brackets((w) => {
        if (contactId !== null) w.orWhere('l.contactId = :contactId', { contactId });
        if (companyId !== null) w.orWhere('l.companyId = :companyId', { companyId });
      }),
    );
    return query.orderBy('l.id', 'DESC').getOne();
  }
}
