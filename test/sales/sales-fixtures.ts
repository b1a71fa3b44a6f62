import { Company } from '../../modules/directory/company.entity';
import { Contact } from '../../modules/directory/contact.entity';
import { ListEntry } from '../../modules/directory/list-entry.entity';
import { normalizeCompanyName, normalizeDomain } from '../../modules/directory/matching-keys';
import { Person } from '../../modules/directory/person.entity';
import { Source } from '../../modules/sources/source.entity';
import type { TestApp } from '../harness/test-app';

/**
 * What the customer, opportunity, conversion and report suites point at. Directory records are
 * written straight to the database (those suites test their own API, not the directory's);
 * leads go through the leads API, as a user would create them.
 */
export interface SalesFixtures {
  /** Company 1: the partner user's partner company. */
  partnerCompanyId: number;
  otherPartnerCompanyId: number;
  acmeId: number;
  globexId: number;
  acmeContactId: number;
  globexContactId: number;
  salesDirectionId: number;
  /** Seeded, active, for leads and customers. */
  inboundCallId: number;
  referralId: number;
  /** Seeded, protected, lead-only. */
  webQuotationId: number;
  /** Created here: customers only. */
  customerPortalId: number;
  /** Created here: archived. */
  archivedId: number;
}

export async function seedSalesFixtures(t: TestApp): Promise<SalesFixtures> {
  const company = async (name: string, website: string, tin: string, isPartner = false) => {
    const { identifiers } = await t.dataSource
      .getRepository(Company)
      .insert({ name, nameKey: normalizeCompanyName(name), website, websiteDomain: normalizeDomain(website), tin, isPartner });
    return Number(identifiers[0].id);
  };
  const contact = async (firstName: string, lastName: string, companyId: number | null) => {
    const { identifiers } = await t.dataSource.getRepository(Contact).insert({ firstName, lastName, companyId });
    return Number(identifiers[0].id);
  };
  const source = async (code: string) => (await t.dataSource.getRepository(Source).findOneByOrFail({ code })).id;
  const newSource = async (body: object) => (await t.as('manager').post('/crm/sources', { type: 'website', ...body }).expect(201)).body.id as number;

  const partnerCompanyId = await company('Partner One', 'partner-one.example', '100000001', true);
  const otherPartnerCompanyId = await company('Partner Two', 'partner-two.example', '100000002', true);
  const acmeId = await company('Acme Industries', 'https://www.acme.example', '7701234567');
  const globexId = await company('Globex Corp', 'https://globex.example', '500100732259');
  await t.dataSource.getRepository(Person).insert([
    { id: 'agent', displayName: 'Agnes Agent' },
    { id: 'manager', displayName: 'Manny Manager' },
    { id: 'partner', displayName: 'Pat Partner' },
    { id: 'owner1', displayName: 'Olga Owner' },
    { id: 'gone', displayName: 'Gone Person', active: false },
  ]);
  const { identifiers } = await t.dataSource.getRepository(ListEntry).insert({ kind: 'sales_direction', name: 'Fleet sales' });
  const archivedId = await newSource({ code: 'old_fair', name: 'Old Fair', type: 'event_exhibition' });
  await t.as('manager').post(`/crm/sources/${archivedId}/archive`).expect(200);
  return {
    partnerCompanyId,
    otherPartnerCompanyId,
    acmeId,
    globexId,
    acmeContactId: await contact('Ann', 'Acme', acmeId),
    globexContactId: await contact('Hank', 'Scorpio', globexId),
    salesDirectionId: Number(identifiers[0].id),
    inboundCallId: await source('inbound_call'),
    referralId: await source('referral'),
    webQuotationId: await source('source_web_quotation'),
    customerPortalId: await newSource({ code: 'customer_portal', name: 'Customer Portal', forLeads: false }),
    archivedId,
  };
}

/**
 * A lead created through the lead form (as `role`), with a new company and contact of its own unless
 * `overrides` names a company or a contact, moved to `status` (default qualified). Answers its body.
 */
export async function createLead(
  t: TestApp,
  f: SalesFixtures,
  overrides: object = {},
  options: { role?: string; status?: 'new' | 'in_progress' | 'qualified' } = {},
): Promise<{ id: number; version: number; [field: string]: unknown }> {
  const role = options.role ?? 'agent';
  const name = (overrides as { name?: string }).name ?? 'Twelve vans';
  const body = { name, sourceId: f.inboundCallId, salesDirectionId: f.salesDirectionId, ...ownParties(name, overrides), ...overrides };
  const created = await t.as(role).post('/crm/leads', body);
  if (created.status !== 201) throw new Error(`lead not created: ${created.status} ${JSON.stringify(created.body)}`);
  const status = options.status ?? 'qualified';
  if (status === 'new') return created.body;
  const moved = await t.as(role).patch(`/crm/leads/${created.body.id}`, { status, version: created.body.version });
  if (moved.status !== 200) throw new Error(`lead not moved to ${status}: ${moved.status} ${JSON.stringify(moved.body)}`);
  return moved.body;
}

let leadsMade = 0;
const companyNames = new Set<string>();

/**
 * A company and a contact of the lead's own, unless `overrides` names either. The company is named
 * after the lead (a number added when a name repeats), so a customer made from it is too; no two
 * fixture leads share a company, which would make conversion find the first one's customer a duplicate.
 */
function ownParties(leadName: string, overrides: object): Record<string, unknown> {
  if (['companyId', 'newCompany', 'contactId', 'newContact'].some((key) => key in overrides)) return {};
  const n = ++leadsMade;
  const name = companyNames.has(leadName.toLowerCase()) ? `${leadName} ${n}` : leadName;
  companyNames.add(name.toLowerCase());
  return {
    newCompany: { name, website: `lead-${n}.example`, tin: String(600000000 + n) },
    newContact: { firstName: 'Lead', lastName: `Contact ${n}` },
  };
}

/** A customer created through the API. */
export async function createCustomer(t: TestApp, body: object, role = 'agent'): Promise<{ id: number; version: number; [field: string]: unknown }> {
  const res = await t.as(role).post('/crm/customers', { name: 'Some Customer', ...body });
  if (res.status !== 201) throw new Error(`customer not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Where a 400 points: `[field, rule]` of each error. */
export function fieldErrors(body: { errors?: { field: string; rule: string }[] }): [string, string][] {
  return (body.errors ?? []).map((e) => [e.field, e.rule]);
}
