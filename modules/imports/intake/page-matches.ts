import type { Company } from '../../directory/company.entity';
import type { Contact } from '../../directory/contact.entity';
import { normalizeEmail, normalizePhone } from '../../directory/matching-keys';
import { companyMatchKeys } from '../../directory/companies.service';
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

/**
 * What the records of one page may match, read with one query per kind before the page is written.
 * It answers for a record only while nothing written since could change the answer: every key a
 * written record carried (and every contact or company a new lead was linked to) is marked, a record
 * with a marked key is looked up live, and any update (which may move keys) retires the whole page.
 */
export class PageMatches {
  private readonly touched = new Set<string>();
  private retired = false;

  constructor(
    /** Contacts and companies sharing a key with a record of the page, ordered by id. */
    readonly contacts: Contact[],
    readonly companies: Company[],
    /** Open leads of those contacts and companies, ordered by id. */
    readonly openLeads: Lead[],
    /** Leads imported earlier from the page's external records. */
    readonly imported: Map<string, Lead>,
  ) {}

  /** Whether the rows read up front still answer for these keys. */
  answers(keys: RecordKeys): boolean {
    return !this.retired && tokens(keys).every((token) => !this.touched.has(token));
  }

  /** Whether the open leads read up front still answer for this contact and company. */
  answersOpenLeads(contactId: number | null, companyId: number | null): boolean {
    return !this.retired && !this.touched.has(`c#${contactId}`) && !this.touched.has(`k#${companyId}`);
  }

  /** A record with these keys was written, linking its lead to this contact and company. */
  written(keys: RecordKeys, contactId: number | null | undefined, companyId: number | null | undefined): void {
    for (const token of tokens(keys)) this.touched.add(token);
    if (contactId) this.touched.add(`c#${contactId}`);
    if (companyId) this.touched.add(`k#${companyId}`);
  }

  /** Something was updated: from here on every record is looked up live. */
  retire(): void {
    this.retired = true;
  }
}

function tokens(keys: RecordKeys): string[] {
  return Object.entries(keys)
    .filter(([, value]) => value !== null)
    .map(([kind, value]) => `${kind}:${value}`);
}
