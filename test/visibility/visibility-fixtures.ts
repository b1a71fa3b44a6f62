import { CRM_PERMISSIONS, type CrmUser } from '../../modules';
import { Company } from '../../modules/directory/company.entity';
import { ListEntry } from '../../modules/directory/list-entry.entity';
import { normalizeCompanyName, normalizeDomain } from '../../modules/directory/matching-keys';
import { Person } from '../../modules/directory/person.entity';
import { Source } from '../../modules/sources/source.entity';
import type { TestApp } from '../harness/test-app';

/**
 * Two partner companies (1 and 2) with a supervisor each, and the CRM's own staff. `walker` is partner
 * 1's supervisor holding every permission, so a route walk reaches every handler past the permission check.
 */
export const VISIBILITY_USERS = {
  partner: { id: 'partner', roles: ['crm_partner_supervisor'], partnerCompanyId: 1 },
  partner2: { id: 'partner2', roles: ['crm_partner_supervisor'], partnerCompanyId: 2 },
  walker: { id: 'partner', roles: ['crm_partner_supervisor'], permissions: [...CRM_PERMISSIONS], partnerCompanyId: 1 },
} satisfies Record<string, CrmUser>;

/** What one partner (or the staff, for `internal`) made through the API, as its users would. */
export interface PartnerRecords {
  /** Converted to `customerId`, with the won opportunity `wonOpportunityId` on the customer. */
  convertedLeadId: number;
  /** Open, with the opportunity `leadOpportunityId` on it. */
  openLeadId: number;
  customerId: number;
  wonOpportunityId: number;
  leadOpportunityId: number;
  /** The converted lead's company and contact. */
  companyId: number;
  contactId: number;
  /** The open lead's company and contact. */
  prospectCompanyId: number;
  prospectContactId: number;
  /** Who owns this side's records (a person of the directory). */
  ownerId: string;
  teamId: number;
}

export interface VisibilityFixtures {
  salesDirectionId: number;
  inboundCallId: number;
  p1: PartnerRecords;
  p2: PartnerRecords;
  internal: PartnerRecords;
}

type Body = { id: number; version: number; [field: string]: unknown };

/** Each side creates a lead it converts (customer and won opportunity) and an open lead with an opportunity. */
export async function seedVisibilityFixtures(t: TestApp): Promise<VisibilityFixtures> {
  const companies = t.dataSource.getRepository(Company);
  for (const [n, name] of [[1, 'Partner One'], [2, 'Partner Two']] as const) {
    const { identifiers } = await companies.insert({ name, nameKey: normalizeCompanyName(name), website: `partner-${n}.example`, websiteDomain: normalizeDomain(`partner-${n}.example`), isPartner: true });
    // The test users' partnerCompanyId are fixed: the partner companies must be 1 and 2.
    if (Number(identifiers[0].id) !== n) throw new Error(`partner company ${name} got id ${identifiers[0].id}, not ${n}`);
  }
  await t.dataSource.getRepository(Person).insert([
    { id: 'partner', displayName: 'Pat Partner' },
    { id: 'desk1', displayName: 'Dora Desk-One' },
    { id: 'partner2', displayName: 'Quinn Partner-Two' },
    { id: 'desk2', displayName: 'Dirk Desk-Two' },
    { id: 'manager', displayName: 'Manny Manager' },
    { id: 'staff', displayName: 'Stella Staff' },
  ]);
  const team = async (name: string, memberIds: string[]) => (await ok(t.as('manager').post('/crm/teams', { name, memberIds }), 201)).id;
  const { identifiers } = await t.dataSource.getRepository(ListEntry).insert({ kind: 'sales_direction', name: 'Fleet sales' });
  const salesDirectionId = Number(identifiers[0].id);
  const inboundCallId = (await t.dataSource.getRepository(Source).findOneByOrFail({ code: 'inbound_call' })).id;

  let companiesMade = 0;
  const side = async (role: string, tag: string, ownerId: string, teamId: number, amount: string): Promise<PartnerRecords> => {
    const lead = (name: string, n: number) =>
      ok(
        t.as(role).post('/crm/leads', {
          name,
          sourceId: inboundCallId,
          salesDirectionId,
          ownerId,
          newCompany: { name: `${name} Ltd`, website: `${tag}-${n}.example`, tin: String(700000000 + ++companiesMade) },
          newContact: { firstName: name.split(' ')[0], lastName: `${tag} contact ${n}`, email: `${tag}-${n}@example.com` },
        }),
        201,
      );
    const converted = await lead(`${tag} vans`, 1);
    const qualified = await ok(t.as(role).patch(`/crm/leads/${converted.id}`, { status: 'qualified', version: converted.version }), 200);
    const conversion = await ok(
      t.as(role).post(`/crm/leads/${converted.id}/convert`, { customer: { mode: 'create' }, opportunity: { title: `${tag} fleet deal`, amount, currency: 'EUR' } }),
      200,
    );
    const won = conversion.opportunity as Body;
    await ok(t.as(role).patch(`/crm/opportunities/${won.id}`, { stage: 'won', version: won.version }), 200);
    const open = await lead(`${tag} trucks`, 2);
    const leadOpportunity = await ok(t.as(role).post('/crm/opportunities', { leadId: open.id, title: `${tag} truck deal`, amount: '10.00', currency: 'EUR' }), 201);
    return {
      convertedLeadId: qualified.id,
      openLeadId: open.id,
      customerId: (conversion.customer as Body).id,
      wonOpportunityId: won.id,
      leadOpportunityId: leadOpportunity.id,
      companyId: converted.companyId as number,
      contactId: converted.contactId as number,
      prospectCompanyId: open.companyId as number,
      prospectContactId: open.contactId as number,
      ownerId,
      teamId,
    };
  };
  return {
    salesDirectionId,
    inboundCallId,
    p1: await side('partner', 'one', 'partner', await team('Partner One desk', ['partner', 'desk1']), '1000.00'),
    p2: await side('partner2', 'two', 'desk2', await team('Partner Two desk', ['partner2', 'desk2']), '5000.00'),
    internal: await side('manager', 'house', 'staff', await team('Inside sales', ['manager', 'staff', 'desk1']), '300.00'),
  };
}

/** The body of a response with the expected status; anything else fails with what the API said. */
export async function ok(res: PromiseLike<{ status: number; body: unknown }>, status: number): Promise<Body> {
  const answer = await res;
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body as Body;
}
