import { Company } from '../../modules/directory/company.entity';
import { Contact } from '../../modules/directory/contact.entity';
import { ListEntry } from '../../modules/directory/list-entry.entity';
import type { ListKind } from '../../modules/directory/list-kind';
import { normalizeCompanyName, normalizeDomain, normalizeEmail, normalizePhone } from '../../modules/directory/matching-keys';
import { Person } from '../../modules/directory/person.entity';
import { Source } from '../../modules/sources/source.entity';
import type { TestApp } from '../harness/test-app';

/**
 * The directory records the lead suites point at, written straight to the database: the lead
 * suites test the lead form, not the directory's own API.
 */
export interface LeadFixtures {
  /** Company 1: the partner user's partner company. */
  partnerCompanyId: number;
  otherPartnerCompanyId: number;
  acmeId: number;
  partnerRepId: number;
  otherPartnerRepId: number;
  acmeContactId: number;
  loneContactId: number;
  salesDirectionId: number;
  archivedDirectionId: number;
  productId: number;
  campaignId: number;
  channelId: number;
  inboundCallId: number;
  webQuotationId: number;
  referralId: number;
}

export async function seedLeadFixtures(t: TestApp): Promise<LeadFixtures> {
  const company = async (name: string, website: string, tin: string, isPartner = false) => {
    const { identifiers } = await t.dataSource.getRepository(Company).insert({
      name,
      nameKey: normalizeCompanyName(name),
      website,
      websiteDomain: normalizeDomain(website),
      tin,
      isPartner,
    });
    return Number(identifiers[0].id);
  };
  const contact = async (firstName: string, lastName: string, companyId: number | null, email: string | null = null, phone: string | null = null) => {
    const { identifiers } = await t.dataSource
      .getRepository(Contact)
      .insert({ firstName, lastName, companyId, email, emailKey: normalizeEmail(email), phone, phoneKey: normalizePhone(phone) });
    return Number(identifiers[0].id);
  };
  const entry = async (kind: ListKind, name: string, active = true) => {
    const { identifiers } = await t.dataSource.getRepository(ListEntry).insert({ kind, name, active });
    return Number(identifiers[0].id);
  };
  const source = async (code: string) => (await t.dataSource.getRepository(Source).findOneByOrFail({ code })).id;

  const partnerCompanyId = await company('Partner One', 'partner-one.example', '100000001', true);
  const otherPartnerCompanyId = await company('Partner Two', 'partner-two.example', '100000002', true);
  const acmeId = await company('Acme Industries', 'https://www.acme.example', '7701234567');
  await t.dataSource.getRepository(Person).insert([
    { id: 'owner1', displayName: 'Olga Owner' },
    { id: 'owner2', displayName: 'Oscar Owner' },
    { id: 'gone', displayName: 'Gone Person', active: false },
  ]);
  return {
    partnerCompanyId,
    otherPartnerCompanyId,
    acmeId,
    partnerRepId: await contact('Paula', 'Partner', partnerCompanyId),
    otherPartnerRepId: await contact('Peter', 'Other', otherPartnerCompanyId),
    acmeContactId: await contact('Ann', 'Acme', acmeId, 'ann@acme.example', '+1 (555) 010-2000'),
    loneContactId: await contact('Lonny', 'Alone', null),
    salesDirectionId: await entry('sales_direction', 'Fleet sales'),
    archivedDirectionId: await entry('sales_direction', 'Old direction', false),
    productId: await entry('product', 'Cargo vans'),
    campaignId: await entry('marketing_campaign', 'Spring 2026'),
    channelId: await entry('content_channel', 'Company blog'),
    inboundCallId: await source('inbound_call'),
    webQuotationId: await source('source_web_quotation'),
    referralId: await source('referral'),
  };
}

/**
 * A valid lead form: Acme and its contact Ann unless the test names a company or a contact of its
 * own (naming only a company leaves the contact to the test, as it must belong to that company).
 */
export function leadBody(f: LeadFixtures, overrides: object = {}): Record<string, unknown> {
  return { name: 'Twelve vans', sourceId: f.inboundCallId, salesDirectionId: f.salesDirectionId, ...defaultParties(overrides, f.acmeId, f.acmeContactId), ...overrides };
}

/** The company and contact a fixture lead gets when `overrides` names neither. */
export function defaultParties(overrides: object, companyId: number, contactId: number): Record<string, number> {
  const named = (...keys: string[]) => keys.some((key) => key in overrides);
  if (named('companyId', 'newCompany')) return {};
  return named('contactId', 'newContact') ? { companyId } : { companyId, contactId };
}

/** Where the 400 points: `[field, rule]` of each error. */
export function fieldErrors(body: { errors?: { field: string; rule: string }[] }): [string, string][] {
  return (body.errors ?? []).map((e) => [e.field, e.rule]);
}
