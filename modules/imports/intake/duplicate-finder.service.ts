import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, In, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { CompaniesService } from '../../directory/companies.service';
import { ContactsService } from '../../directory/contacts.service';
import { Company } from '../../directory/company.entity';
import { Contact } from '../../directory/contact.entity';
import { Lead } from '../../leads/lead.entity';
import { importKey, type PageCompany, type PageContact, type PageLead, PageMatches, recordKeys, type RecordKeys } from './page-matches';
import type { PreparedIntake } from './intake-validator.service';

/** What an incoming record matches among existing records (and, in a page, those its earlier records drafted). */
export interface DuplicateMatch {
  /** True when the contact's email/phone or the company's TIN/website matched: the record is a duplicate. */
  duplicate: boolean;
  contact: PageContact | null;
  company: PageCompany | null;
  /** The newest open lead of that contact or company. */
  openLead: PageLead | null;
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

  /** `page`, while it answers, is asked instead of the database. */
  async find(manager: EntityManager, prepared: PreparedIntake, page?: PageMatches): Promise<DuplicateMatch> {
    if (page?.answers()) return findInPage(recordKeys(prepared), page);
    const { record } = prepared;
    const contact = (await this.contacts.findMatching(manager, { email: record.email, phone: record.phone }))[0] ?? null;
    const byKeys = record.website || record.tin ? await this.companies.findMatching(manager, { website: record.website, tin: record.tin }) : [];
    const duplicate = contact !== null || byKeys.length > 0;
    let company = byKeys[0] ?? null;
    if (!company && record.companyName) company = (await this.companies.findMatching(manager, { name: record.companyName }))[0] ?? null;
    const openLead = duplicate ? await this.newestOpenLead(manager, contact?.id ?? null, byKeys[0]?.id ?? null) : null;
    return { duplicate, contact, company, openLead };
  }

  /** The lead an earlier import of the same external record created. */
  async findImported(manager: EntityManager, prepared: PreparedIntake, page?: PageMatches): Promise<PageLead | null> {
    if (!prepared.externalSource || !prepared.externalId) return null;
    if (page?.answers()) return page.importedLead(recordKeys(prepared));
    return manager.findOne(Lead, { where: { externalSource: prepared.externalSource, externalId: prepared.externalId } });
  }

  /**
   * Reads what the records of a page may match, one query per kind, for `find` and `findImported`
   * to answer from. Rows a key matched only by the database's collation (case, accents) retire it:
   * those records are then looked up live, exactly as the database compares.
   */
  async prefetch(manager: EntityManager, records: PreparedIntake[]): Promise<PageMatches> {
    const keys = records.map(recordKeys);
    const values = new Map<keyof RecordKeys, string[]>();
    // Each field's distinct values, gathered once: the queries and the exactness checks below ask again.
    const wanted = (field: keyof RecordKeys): string[] => {
      let list = values.get(field);
      if (!list) values.set(field, (list = [...new Set(keys.map((k) => k[field]).filter((v): v is string => v !== null))]));
      return list;
    };
    const contacts = await anyOf(manager.createQueryBuilder(Contact, 'c'), 'c', { emailKey: wanted('emailKey'), phoneKey: wanted('phoneKey') });
    const companies = await anyOf(manager.createQueryBuilder(Company, 'c'), 'c', { nameKey: wanted('nameKey'), websiteDomain: wanted('websiteDomain'), tin: wanted('tin') });
    const openLeads = await this.openLeadsOf(manager, contacts.map((c) => c.id), companies.map((c) => c.id));
    const imported = await this.importedOf(manager, records);
    const page = new PageMatches(contacts, companies, openLeads, new Map(imported.map((lead) => [importKey(lead.externalSource!, lead.externalId!), lead])));
    const exact = (rows: object[], fields: (keyof RecordKeys)[]) => fields.every((field) => matchedExactly(rows, field, wanted(field)));
    const stamps = imported.map((lead) => ({ importKey: importKey(lead.externalSource!, lead.externalId!) }));
    if (!exact(contacts, ['emailKey', 'phoneKey']) || !exact(companies, ['nameKey', 'websiteDomain', 'tin']) || !exact(stamps, ['importKey'])) page.retire();
    return page;
  }

  private async openLeadsOf(manager: EntityManager, contactIds: number[], companyIds: number[]): Promise<Lead[]> {
    if (contactIds.length === 0 && companyIds.length === 0) return [];
    const query = manager.createQueryBuilder(Lead, 'l').where({ status: In([...OPEN_STATUSES]) });
    query.andWhere(
      new Brackets((w) => {
        if (contactIds.length) w.orWhere('l.contactId IN (:...contactIds)', { contactIds });
        if (companyIds.length) w.orWhere('l.companyId IN (:...companyIds)', { companyIds });
      }),
    );
    return query.orderBy('l.id', 'ASC').getMany();
  }

  private async importedOf(manager: EntityManager, records: PreparedIntake[]): Promise<Lead[]> {
    const stamped = records.filter((r) => r.externalSource && r.externalId);
    if (stamped.length === 0) return [];
    const sources = [...new Set(stamped.map((r) => r.externalSource!))];
    const ids = [...new Set(stamped.map((r) => r.externalId!))];
    return manager.find(Lead, { where: { externalSource: In(sources), externalId: In(ids) } });
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

/** The live lookup's answer from the rows of the page, with the same preferences. */
function findInPage(keys: RecordKeys, page: PageMatches): DuplicateMatch {
  const contact = page.contactFor(keys);
  const byKey = page.companyByKey(keys);
  const duplicate = contact !== null || byKey !== null;
  const company = byKey ?? page.companyByName(keys);
  return { duplicate, contact, company, openLead: duplicate ? page.newestOpenLead(contact, byKey) : null };
}

/** Rows whose column equals any of the values given per column, ordered by id; none when no values. */
async function anyOf<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, alias: string, values: Record<string, string[]>): Promise<T[]> {
  const used = Object.entries(values).filter(([, list]) => list.length > 0);
  if (used.length === 0) return [];
  query.where(new Brackets((w) => used.forEach(([column, list]) => w.orWhere(`${alias}.${column} IN (:...${column})`, { [column]: list }))));
  return query.orderBy(`${alias}.id`, 'ASC').getMany();
}

/**
 * False when a row holds, in `field`, a value that equals a wanted one only once case, accents and
 * trailing spaces are ignored (a match the database's collation made and an exact comparison would miss).
 */
function matchedExactly(rows: object[], field: string, wanted: string[]): boolean {
  const exact = new Set(wanted);
  // Folded only once a row holds an inexact value: a page's rows nearly always match exactly, or there are none.
  let folded: Set<string> | undefined;
  return rows.every((row) => {
    const value = (row as Record<string, unknown>)[field];
    if (typeof value !== 'string' || exact.has(value)) return true;
    folded ??= new Set(wanted.map(fold));
    return !folded.has(fold(value));
  });
}

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trimEnd();
}
