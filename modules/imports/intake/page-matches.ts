import type { Company } from '../../directory/company.entity';
import type { Contact } from '../../directory/contact.entity';
import { ContactDraft } from '../../directory/contacts.service';
import { LeadDraft } from '../../leads/lead-writer.service';
import { normalizeEmail, normalizePhone } from '../../directory/matching-keys';
import { CompanyDraft, companyMatchKeys } from '../../directory/companies.service';
import type { Lead } from '../../leads/lead.entity';
import type { PreparedIntake } from './intake-validator.service';

/** The keys a record is matched on, normalised as the matching columns store them. */
export interface RecordKeys {
  emailKey: string | null;
  phoneKey: string | null;
  nameKey: string | null;
  websiteDomain: string | null;
  tin: string | null;
  /** `externalSource`/`externalId` of an import, or null. */
  importKey: string | null;
}

/**
 * A record's keys, worked out once per record (matching a page asks for them several times) and kept on it:
 * a WeakMap of every record an import checks grew its table in the old generation until a full collection.
 */
export function recordKeys(prepared: PreparedIntake): RecordKeys {
  return (prepared.keys ??= computeKeys(prepared));
}

function computeKeys(prepared: PreparedIntake): RecordKeys {
  const { record } = prepared;
  const byKeys = record.website || record.tin ? companyMatchKeys({ website: record.website, tin: record.tin }) : null;
  return {
    emailKey: normalizeEmail(record.email),
    phoneKey: normalizePhone(record.phone),
    nameKey: record.companyName ? companyMatchKeys({ name: record.companyName }).nameKey : null,
    websiteDomain: byKeys?.websiteDomain ?? null,
    tin: byKeys?.tin ?? null,
    importKey: prepared.externalSource && prepared.externalId ? importKey(prepared.externalSource, prepared.externalId) : null,
  };
}

export function importKey(externalSource: string, externalId: string): string {
  return `${externalSource}\u0000${externalId}`;
}

/** A contact a record of the page may match: one read up front, or one an earlier record drafted. */
export type PageContact = Contact | ContactDraft;
/** A company a record of the page may match: one read up front, or one an earlier record drafted. */
export type PageCompany = Company | CompanyDraft;
/** An open lead a record of the page may match: one read up front, or one an earlier record drafted. */
export type PageLead = Lead | LeadDraft;

/**
 * What the records of one page may match: the rows read with one query per kind before the page is
 * written, then every new lead (with its new contact and company) an earlier record of the page
 * drafted, so a record matches the same rows, with the same preference (the oldest contact or
 * company, the newest open lead), as a lookup after inserting the records before it would. Rows
 * are indexed by key, so a page is matched in linear time. The drafts wait here to be inserted
 * together. Any update (which may move keys, or change a row read up front) retires the page:
 * from then on every record is looked up live, the drafts inserted first.
 */
export class PageMatches {
  private retired = false;
  private drafts: LeadDraft[] = [];
  private readonly contactsByKey = new Map<string, PageContact>();
  private readonly companiesByKey = new Map<string, PageCompany>();
  /** The newest open lead of each contact, and of each company (by id, or the draft itself). */
  private readonly newestOfContact = new Map<number | ContactDraft, { lead: PageLead; order: number }>();
  private readonly newestOfCompany = new Map<number | CompanyDraft, { lead: PageLead; order: number }>();
  private openCount = 0;
  private readonly imported = new Map<string, PageLead>();
  /** Drafted contacts and companies in drafting order. */
  private readonly draftOrder = new Map<object, number>();

  /** Rows sharing a key with a record of the page, each list ordered by id. */
  constructor(contacts: Contact[], companies: Company[], openLeads: Lead[], imported: Map<string, Lead>) {
    contacts.forEach((contact) => this.indexContact(contact));
    companies.forEach((company) => this.indexCompany(company));
    openLeads.forEach((lead) => this.indexOpenLead(lead));
    imported.forEach((lead, key) => this.imported.set(key, lead));
  }

  /** Whether the page answers lookups in memory (it was not retired). */
  answers(): boolean {
    return !this.retired;
  }

  /** The oldest contact with the record's email or phone. */
  contactFor(keys: RecordKeys): PageContact | null {
    return this.oldest(keys.emailKey === null ? undefined : this.contactsByKey.get(`e:${keys.emailKey}`), keys.phoneKey === null ? undefined : this.contactsByKey.get(`p:${keys.phoneKey}`));
  }

  /** The oldest company with the record's website domain or TIN. */
  companyByKey(keys: RecordKeys): PageCompany | null {
    return this.oldest(keys.websiteDomain === null ? undefined : this.companiesByKey.get(`w:${keys.websiteDomain}`), keys.tin === null ? undefined : this.companiesByKey.get(`t:${keys.tin}`));
  }

  /** The oldest company with the record's normalised name. */
  companyByName(keys: RecordKeys): PageCompany | null {
    return keys.nameKey === null ? null : (this.companiesByKey.get(`n:${keys.nameKey}`) ?? null);
  }

  /** The newest open lead of the contact or the company. */
  newestOpenLead(contact: PageContact | null, company: PageCompany | null): PageLead | null {
    const ofContact = contact ? this.newestOfContact.get(contact instanceof ContactDraft ? contact : contact.id) : undefined;
    const ofCompany = company ? this.newestOfCompany.get(company instanceof CompanyDraft ? company : company.id) : undefined;
    if (!ofContact || !ofCompany) return (ofContact ?? ofCompany)?.lead ?? null;
    return ofContact.order > ofCompany.order ? ofContact.lead : ofCompany.lead;
  }

  /** The lead an earlier import (or an earlier record of the page) made from this external record. */
  importedLead(keys: RecordKeys): PageLead | null {
    return keys.importKey === null ? null : (this.imported.get(keys.importKey) ?? null);
  }

  /** A record with these keys drafted a new lead: later records match it, its contact and its company. */
  add(keys: RecordKeys, draft: LeadDraft): void {
    this.drafts.push(draft);
    this.indexOpenLead(draft);
    if (keys.importKey) this.imported.set(keys.importKey, draft);
    const contact = draft.contact instanceof ContactDraft ? draft.contact : null;
    for (const company of [draft.company, contact?.company]) if (company instanceof CompanyDraft) this.indexCompany(company);
    if (contact) this.indexContact(contact);
  }

  /** The drafts not inserted yet, handed over to be inserted. */
  takeDrafts(): LeadDraft[] {
    const drafts = this.drafts;
    this.drafts = [];
    return drafts;
  }

  /** Something was updated: from here on every record is looked up live. */
  retire(): void {
    this.retired = true;
  }

  /**
   * Of the rows found by two keys, the one a lookup ordered by id returns first: rows read up front
   * by id, before drafted ones, which come in drafting order (their ids, once inserted, agree).
   */
  private oldest<T extends PageContact | PageCompany>(a: T | undefined, b: T | undefined): T | null {
    if (!a || !b || a === b) return a ?? b ?? null;
    return this.rank(a) <= this.rank(b) ? a : b;
  }

  private rank(row: PageContact | PageCompany): number {
    if (!(row instanceof ContactDraft || row instanceof CompanyDraft)) return row.id;
    return row.id ?? Number.MAX_SAFE_INTEGER / 2 + (this.draftOrder.get(row) ?? 0);
  }

  /** Rows are indexed oldest first: a key already held keeps its row. */
  private indexContact(contact: PageContact): void {
    if (contact instanceof ContactDraft) setFirst(this.draftOrder, contact, this.draftOrder.size);
    const { emailKey, phoneKey } = contact instanceof ContactDraft ? contact.keys : contact;
    if (emailKey !== null) setFirst(this.contactsByKey, `e:${emailKey}`, contact);
    if (phoneKey !== null) setFirst(this.contactsByKey, `p:${phoneKey}`, contact);
  }

  private indexCompany(company: PageCompany): void {
    if (company instanceof CompanyDraft) setFirst(this.draftOrder, company, this.draftOrder.size);
    const { nameKey, websiteDomain, tin } = company instanceof CompanyDraft ? company.keys : company;
    if (nameKey !== null) setFirst(this.companiesByKey, `n:${nameKey}`, company);
    if (websiteDomain !== null) setFirst(this.companiesByKey, `w:${websiteDomain}`, company);
    if (tin !== null) setFirst(this.companiesByKey, `t:${tin}`, company);
  }

  private indexOpenLead(lead: PageLead): void {
    const entry = { lead, order: this.openCount++ };
    const contact = lead instanceof LeadDraft ? lead.contact : lead.contactId;
    const company = lead instanceof LeadDraft ? lead.company : lead.companyId;
    if (contact !== null) this.newestOfContact.set(contact, entry);
    if (company !== null) this.newestOfCompany.set(company, entry);
  }
}

function setFirst<K, T>(map: Map<K, T>, key: K, row: T): void {
  if (!map.has(key)) map.set(key, row);
}
