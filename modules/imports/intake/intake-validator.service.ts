import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CrmError, CrmFieldError } from '../../core/errors/crm-error';
import { PHONE_PATTERN } from '../../directory/dto/new-contact.dto';
import { ListEntry } from '../../directory/list-entry.entity';
import type { ListKind } from '../../directory/list-kind';
import { parseMailbox, splitPhoneExtension } from '../../directory/contact-formats';
import { isValidTin, normalizeDomain } from '../../directory/matching-keys';
import type { Source } from '../../sources/source.entity';
import type { IntakeLookupCache } from './intake-lookup-cache';
import type { RecordKeys } from './page-matches';
import type { IntakeRecord } from './intake-record';

/** The contact an incoming record describes. */
export interface IntakeContact {
  firstName: string;
  lastName: string;
  middleName: string | null;
  email: string | null;
  phone: string | null;
  phoneExtension: string | null;
  jobTitle: string | null;
}

/** A record checked and resolved against the catalogue, ready to be written. */
export interface PreparedIntake {
  record: IntakeRecord;
  source: Source;
  name: string;
  leadCompanyName: string | null;
  /** Set when the record names a company fully enough to create it (name, website and TIN). */
  company: { name: string; website: string; tin: string } | null;
  contact: IntakeContact | null;
  salesDirectionId: number;
  productId: number | null;
  marketingCampaignId: number | null;
  externalSource: string | null;
  externalId: string | null;
  /** Its matching keys, once `recordKeys` worked them out. */
  keys?: RecordKeys;
}

const LIMITS: Partial<Record<keyof IntakeRecord, number>> = {
  name: 200,
  companyName: 200,
  website: 255,
  firstName: 80,
  lastName: 80,
  middleName: 80,
  email: 254,
  phone: 40,
  phoneExtension: 10,
  jobTitle: 120,
  city: 120,
  channel: 200,
  customerRequirements: 10000,
  salesDirection: 120,
  product: 120,
  marketingCampaign: 120,
  productCategory: 60,
  externalSource: 64,
  externalId: 64,
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CONTACT_FIELDS = ['firstName', 'lastName', 'middleName', 'email', 'phone'] as const;

/**
 * Checks an incoming record field by field (every problem named at once, with the record's own
 * field names) and resolves list values given by code or name. Writes nothing, so a dry run is
 * exactly this step.
 */
@Injectable()
export class IntakeValidator {
  async prepare(manager: EntityManager, raw: IntakeRecord, source: Source, cache?: IntakeLookupCache): Promise<PreparedIntake> {
    const record = clean(raw);
    const errors = fieldErrors(record);
    const salesDirection = await this.resolve(manager, 'sales_direction', record.salesDirection, 'salesDirection', errors, cache);
    const product = await this.resolve(manager, 'product', record.product, 'product', errors, cache);
    const campaign = await this.resolve(manager, 'marketing_campaign', record.marketingCampaign, 'marketingCampaign', errors, cache);
    const salesDirectionId = salesDirection ?? source.defaultSalesDirectionId;
    if (!salesDirectionId && !record.salesDirection) {
      errors.push({ field: 'salesDirection', rule: 'required', message: `salesDirection is required: source ${source.code} has no default sales direction` });
    }
    const name = record.name ?? record.companyName ?? personName(record) ?? record.email;
    if (!name) errors.push({ field: 'name', rule: 'required', message: 'name is required (or a company name, a contact name or an email to name the lead after)' });
    if (errors.length) throw CrmError.validation(errors);
    const { companyName, website, tin } = record;
    return {
      record,
      source,
      name: name!.slice(0, 200),
      leadCompanyName: companyName ?? null,
      company: companyName && website && tin ? { name: companyName, website, tin } : null,
      contact: toContact(record),
      salesDirectionId: salesDirectionId!,
      productId: product,
      marketingCampaignId: campaign ?? source.defaultMarketingCampaignId,
      // An external id alone still identifies the record: it is scoped to the intake API.
      externalSource: record.externalSource ?? (record.externalId ? 'intake' : null),
      externalId: record.externalId ?? null,
    };
  }

  /** A list entry by code, else by name (both ignoring case); archived entries are refused. */
  private async resolve(
    manager: EntityManager,
    kind: ListKind,
    text: string | undefined,
    field: string,
    errors: CrmFieldError[],
    cache: IntakeLookupCache | undefined,
  ): Promise<number | null> {
    if (typeof text !== 'string') return null;
    const lower = text.toLowerCase();
    const cacheKey = `${kind}|${lower}`;
    let entry = cache?.lists.get(cacheKey);
    if (entry === undefined) {
      entry = await this.find(manager, kind, lower);
      cache?.lists.set(cacheKey, entry);
    }
    if (!entry) {
      errors.push({ field, rule: 'exists', message: `${field} "${text}" is not a code or name of the ${kind.replace('_', ' ')} list` });
      return null;
    }
    if (!entry.active) {
      errors.push({ field, rule: 'activeEntry', message: `${field} "${text}" is archived; pick an active entry` });
      return null;
    }
    return entry.id;
  }

  private async find(manager: EntityManager, kind: ListKind, lower: string): Promise<ListEntry | null> {
    const entries = await manager
      .createQueryBuilder(ListEntry, 'e')
      .where('e.kind = :kind', { kind })
      .andWhere('(LOWER(e.code) = :lower OR LOWER(e.name) = :lower)', { lower })
      .orderBy('e.id', 'ASC')
      .getMany();
    return entries.find((e) => e.code?.toLowerCase() === lower) ?? entries[0] ?? null;
  }
}

/**
 * Trimmed strings, blanks dropped, anything not a string refused later by `fieldErrors`. Contact
 * details in the forms other systems keep them are taken apart rather than refused: a mailbox
 * (`"Jane Doe" <jane@acme.example>`) gives its address, a phone ending in an extension gives both.
 */
function clean(raw: IntakeRecord): IntakeRecord {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(raw ?? {})) {
    if (value === undefined || value === null) continue;
    const text = typeof value === 'string' ? value.trim() : value;
    if (text !== '') out[field] = text;
  }
  if (typeof out.email === 'string' && !EMAIL.test(out.email)) {
    const mailbox = parseMailbox(out.email);
    if (mailbox && EMAIL.test(mailbox.email)) out.email = mailbox.email;
  }
  if (typeof out.phone === 'string' && !PHONE_PATTERN.test(out.phone)) {
    const { phone, extension } = splitPhoneExtension(out.phone);
    if (extension && PHONE_PATTERN.test(phone)) {
      out.phone = phone;
      out.phoneExtension ??= extension;
    }
  }
  return out as IntakeRecord;
}

function fieldErrors(record: IntakeRecord): CrmFieldError[] {
  const errors: CrmFieldError[] = [];
  for (const [field, value] of Object.entries(record)) {
    if (typeof value !== 'string') {
      errors.push({ field, rule: 'isString', message: `${field} must be a string` });
      continue;
    }
    const max = LIMITS[field as keyof IntakeRecord];
    if (max && value.length > max) errors.push({ field, rule: 'maxLength', message: `${field} must be at most ${max} characters` });
  }
  if (record.email && !EMAIL.test(record.email)) errors.push({ field: 'email', rule: 'isEmail', message: 'email must be an email address' });
  if (record.phone && !PHONE_PATTERN.test(record.phone)) {
    errors.push({ field: 'phone', rule: 'matches', message: 'phone must be digits, optionally with a leading + and spaces, dots, dashes or brackets' });
  }
  if (record.phoneExtension && !/^\d{1,10}$/.test(record.phoneExtension)) errors.push({ field: 'phoneExtension', rule: 'matches', message: 'phoneExtension must be 1 to 10 digits' });
  if (record.tin && !isValidTin(record.tin)) errors.push({ field: 'tin', rule: 'matches', message: 'tin must be 9, 10 or 12 digits' });
  if (record.website && !normalizeDomain(record.website)) errors.push({ field: 'website', rule: 'isWebsite', message: 'website must be a web address' });
  const hasContact = CONTACT_FIELDS.some((field) => record[field]);
  for (const field of ['firstName', 'lastName'] as const) {
    if (hasContact && !record[field]) {
      errors.push({ field, rule: 'requiredWithContact', message: `${field} is required when the lead names a contact (a name, an email or a phone)` });
    }
  }
  return errors;
}

function personName(record: IntakeRecord): string | undefined {
  const parts = [record.firstName, record.lastName].filter(Boolean);
  return parts.length ? parts.join(' ') : undefined;
}

function toContact(record: IntakeRecord): IntakeContact | null {
  if (!record.firstName || !record.lastName) return null;
  return {
    firstName: record.firstName,
    lastName: record.lastName,
    middleName: record.middleName ?? null,
    email: record.email ?? null,
    phone: record.phone ?? null,
    phoneExtension: record.phoneExtension ?? null,
    jobTitle: record.jobTitle ?? null,
  };
}
