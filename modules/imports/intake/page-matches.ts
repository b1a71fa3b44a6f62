import type { Company } from '../../directory/company.entity';
import type { Contact } from '../../directory/contact.entity';
import { ContactDraft } from '../../directory/contacts.service';
import { LeadDraft } from '../../leads/lead-writer.service';
import { normalizeEmail, normalizePhone } from '../../directory/matching-keys';
import { CompanyDraft, companyMatchKeys, type CompanyKeys } from '../../directory/companies.service';
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

export function recordKeys(prepared: PreparedIntake): RecordKeys {
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
 * drafted, in the order they were drafted, so a record matches the same rows, in the same order, as
 * a lookup after inserting the records before it would. The drafts wait here to be inserted together.
 * Any update (which may move keys, or change a lead read up front) retires the page: from then on
 * every record is looked up live, its drafts inserted first.
 */
export class PageMatches {
  private retired = false;
  private drafts: LeadDraft[] = [];
  private readonly drafted = new Set<object>();

  /** Contacts and companies sharing a key with a record of the page, ordered by id. */
  readonly contacts: PageContact[];
  readonly companies: PageCompany[];
  /** Open leads of those contacts and companies, ordered by id. */
  readonly openLeads: PageLead[];
  /** Leads imported earlier from the page's external records, by `importKey`. */
  readonly imported: Map<string, PageLead>;

  constructor(contacts: Contact[], companies: Company[], openLeads: Lead[], imported: Map<string, Lead>) {
    this.contacts = [...contacts];
    this.companies = [...companies];
    this.openLeads = [...openLeads];
    this.imported = new Map(imported);
  }

  /** Whether the page answers lookups in memory (it was not retired). */
  answers(): boolean {
    return !this.retired;
  }

  /** A record with these keys drafted a new lead: later records match it, its contact and its company. */
  add(keys: RecordKeys, draft: LeadDraft): void {
    this.drafts.push(draft);
    this.openLeads.push(draft);
    if (keys.importKey) this.imported.set(keys.importKey, draft);
    const contact = draft.contact instanceof ContactDraft ? draft.contact : null;
    for (const company of [draft.company, contact?.company]) {
      if (company instanceof CompanyDraft && !this.drafted.has(company)) this.companies.push(company);
      if (company instanceof CompanyDraft) this.drafted.add(company);
    }
    if (contact && !this.drafted.has(contact)) this.contacts.push(contact);
    if (contact) this.drafted.add(contact);
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
}

/** The matching keys of a contact of the page. */
export function contactKeysOf(contact: PageContact): Pick<Contact, 'emailKey' | 'phoneKey'> {
  return contact instanceof ContactDraft ? contact.keys : contact;
}

/** The matching keys of a company of the page. */
export function companyKeysOf(company: PageCompany): CompanyKeys {
  return company instanceof CompanyDraft ? company.keys : company;
}

/** Whether a lead of the page is linked to this contact or company (an id, or a draft). */
export function leadLinkedTo(lead: PageLead, contact: PageContact | null, company: PageCompany | null): boolean {
  const leadContact = lead instanceof LeadDraft ? lead.contact : lead.contactId;
  const leadCompany = lead instanceof LeadDraft ? lead.company : lead.companyId;
  return (contact !== null && leadContact !== null && leadContact === refOf(contact)) || (company !== null && leadCompany !== null && leadCompany === refOf(company));
}

/** What a lead's link holds for a row: the id of one read up front, the draft itself otherwise. */
function refOf<T extends { id: number }, D>(row: T | D): number | D {
  return row instanceof ContactDraft || row instanceof CompanyDraft ? (row as D) : (row as T).id;
}
