import { AuditEntry } from '../modules/core/audit/audit-entry.entity';
import { Customer } from '../modules/customers/customer.entity';
import { Person } from '../modules/directory/person.entity';
import { Lead } from '../modules/leads/lead.entity';
import { Opportunity } from '../modules/opportunities/opportunity.entity';
import { TestApp } from './harness/test-app';
import { createCustomer, createLead, fieldErrors, SalesFixtures, seedSalesFixtures } from './sales/sales-fixtures';

describe('Converting a lead (e2e)', () => {
  let t: TestApp;
  let f: SalesFixtures;

  beforeAll(async () => {
    t = await TestApp.start({ users: { leadReader: { id: 'leadReader', roles: [], permissions: ['leads.read'] } } });
    f = await seedSalesFixtures(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const convert = (id: number, body: object, role = 'agent') => t.as(role).post(`/crm/leads/${id}/convert`, body);
  const counts = async () => ({
    customers: await t.dataSource.getRepository(Customer).count(),
    opportunities: await t.dataSource.getRepository(Opportunity).count(),
    audit: await t.dataSource.getRepository(AuditEntry).count(),
  });

  describe('a qualified web lead into a customer and an opportunity', () => {
    let lead: { id: number };
    let result: { customer: { id: number }; opportunity: { id: number }; lead: { id: number } };

    beforeAll(async () => {
      lead = await createLead(t, f, { sourceId: f.webQuotationId, companyId: f.globexId, contactId: f.globexContactId, ownerId: 'owner1' });
      const res = await convert(lead.id, { customer: { mode: 'create' }, opportunity: { title: 'Globex fleet', amount: '48000.00', currency: 'EUR' } }).expect(200);
      result = res.body;
    });

    it("creates the customer from the lead's company and contact, keeping the lead-only source", async () => {
      expect(result.customer).toMatchObject({
        name: 'Globex Corp',
        companyId: f.globexId,
        primaryContactId: f.globexContactId,
        ownerId: 'owner1',
        status: 'active',
        leadId: lead.id,
        source: { id: f.webQuotationId, code: 'source_web_quotation', name: 'Web Quotation' },
      });
      const read = await t.as('agent').get(`/crm/customers/${result.customer.id}`).expect(200);
      expect(read.body.source.id).toBe(f.webQuotationId);
    });

    it('opens the opportunity on the customer, from the lead, with its source', async () => {
      expect(result.opportunity).toMatchObject({
        title: 'Globex fleet',
        customerId: result.customer.id,
        leadId: null,
        originLeadId: lead.id,
        amount: '48000.00',
        currency: 'EUR',
        stage: 'new',
        ownerId: 'owner1',
        source: { id: f.webQuotationId },
      });
    });

    it('marks the lead converted, linked to what it produced, audited as a lead change, and read-only for agents', async () => {
      expect(result.lead).toMatchObject({ id: lead.id, status: 'converted', customerId: result.customer.id, opportunityId: result.opportunity.id });
      const read = await t.as('agent').get(`/crm/leads/${lead.id}`).expect(200);
      expect(read.body).toMatchObject({ status: 'converted', customerId: result.customer.id, opportunityId: result.opportunity.id });
      expect(read.body.convertedAt).toBeTruthy();
      const history = await t.as('agent').get(`/crm/leads/${lead.id}/history`).expect(200);
      expect(history.body.items[0]).toMatchObject({ action: 'convert', actorId: 'agent' });
      expect(history.body.items[0].changes).toContainEqual({ field: 'status', before: 'qualified', after: 'converted' });
      const edit = await t.as('agent').patch(`/crm/leads/${lead.id}`, { name: 'Edited after conversion', version: read.body.version }).expect(409);
      expect(edit.body.code).toBe('LOCKED');
    });

    it('refuses to convert it again, and takes no new lead opportunities on it', async () => {
      const again = await convert(lead.id, { customer: { mode: 'create', createAnyway: true } }).expect(409);
      expect(again.body).toMatchObject({ code: 'CONFLICT', details: { status: 'converted', customerId: result.customer.id } });
      const opp = await t.as('agent').post('/crm/opportunities', { title: 'Late', leadId: lead.id }).expect(409);
      expect(opp.body.message).toContain(`customer ${result.customer.id}`);
    });

    it('keeps the lead-only source on the customer through edits until another is picked, then only customer sources', async () => {
      const renamed = await t.as('agent').patch(`/crm/customers/${result.customer.id}`, { name: 'Globex Corporation', version: 1 }).expect(200);
      expect(renamed.body.source.id).toBe(f.webQuotationId);
      const newOpp = await t.as('agent').post('/crm/opportunities', { title: 'Second deal', customerId: result.customer.id }).expect(201);
      expect(newOpp.body.source.id).toBe(f.webQuotationId);
      await t.as('agent').patch(`/crm/customers/${result.customer.id}`, { sourceId: f.referralId, version: 2 }).expect(200);
      const back = await t.as('agent').patch(`/crm/customers/${result.customer.id}`, { sourceId: f.webQuotationId, version: 3 }).expect(400);
      expect(fieldErrors(back.body)).toEqual([['sourceId', 'sourceForCustomers']]);
    });
  });

  it("moves the lead's open opportunities to the new customer with their sources, and leaves closed ones on the lead", async () => {
    const lead = await createLead(t, f, { sourceId: f.webQuotationId, name: 'With opportunities' }, { status: 'in_progress' });
    const open = (await t.as('agent').post('/crm/opportunities', { title: 'Open one', leadId: lead.id }).expect(201)).body;
    const other = (await t.as('agent').post('/crm/opportunities', { title: 'Other source', leadId: lead.id, sourceId: f.inboundCallId }).expect(201)).body;
    const won = (await t.as('agent').post('/crm/opportunities', { title: 'Won one', leadId: lead.id, stage: 'won', amount: '5.00', currency: 'EUR' }).expect(201)).body;
    const current = (await t.as('agent').get(`/crm/leads/${lead.id}`).expect(200)).body;
    await t.as('agent').patch(`/crm/leads/${lead.id}`, { status: 'qualified', version: current.version }).expect(200);

    const res = await convert(lead.id, { customer: { mode: 'create' } }).expect(200);
    expect(res.body.movedOpportunityIds).toEqual([open.id, other.id]);
    expect(res.body.opportunity).toBeNull();
    expect(res.body.customer.name).toBe('With opportunities');
    const moved = await t.as('agent').get(`/crm/opportunities/${open.id}`).expect(200);
    expect(moved.body).toMatchObject({ customerId: res.body.customer.id, leadId: null, originLeadId: lead.id, source: { id: f.webQuotationId } });
    const movedOther = await t.as('agent').get(`/crm/opportunities/${other.id}`).expect(200);
    expect(movedOther.body).toMatchObject({ customerId: res.body.customer.id, source: { id: f.inboundCallId } });
    const stayed = await t.as('agent').get(`/crm/opportunities/${won.id}`).expect(200);
    expect(stayed.body).toMatchObject({ leadId: lead.id, customerId: null });
    const history = await t.as('agent').get(`/crm/opportunities/${open.id}/history`).expect(200);
    expect(history.body.items[0]).toMatchObject({ action: 'move_to_customer' });
  });

  describe('naming the new customer', () => {
    it("takes the company's name: a lead converts only with a company", async () => {
      const lead = await createLead(t, f, { name: 'Named lead', leadCompanyName: 'Typed Name Ltd', companyId: f.globexId, contactId: f.globexContactId });
      const res = await convert(lead.id, { customer: { mode: 'create', createAnyway: true } }).expect(200);
      expect(res.body.customer).toMatchObject({ name: 'Globex Corp', companyId: f.globexId, primaryContactId: f.globexContactId });
    });
  });

  describe('a lead without a company or a contact (made by automatic intake, or qualified before both were required)', () => {
    it('is refused with 409 naming what is missing, and nothing is written', async () => {
      const lead = await createLead(t, f, { name: 'Legacy qualified' });
      // As a lead qualified before the rule, or one a host's import wrote straight to the table.
      await t.dataSource.getRepository(Lead).update({ id: lead.id }, { companyId: null, contactId: null });
      const before = await counts();
      const res = await convert(lead.id, { customer: { mode: 'create' }, opportunity: { title: 'Not yet' } }).expect(409);
      expect(res.body).toMatchObject({ code: 'CONFLICT', details: { missing: ['company', 'contact'], fields: ['companyId', 'contactId'] } });
      expect(res.body.message).toContain('without a company and a contact');
      const opportunityOnly = await convert(lead.id, { opportunity: { title: 'Not yet either' } }).expect(409);
      expect(opportunityOnly.body.details.missing).toEqual(['company', 'contact']);
      await expect(counts()).resolves.toEqual(before);

      await t.dataSource.getRepository(Lead).update({ id: lead.id }, { companyId: f.globexId });
      const contactMissing = await convert(lead.id, { customer: { mode: 'create', createAnyway: true } }).expect(409);
      expect(contactMissing.body.details).toEqual({ missing: ['contact'], fields: ['contactId'] });
      await t.dataSource.getRepository(Lead).update({ id: lead.id }, { contactId: f.globexContactId });
      await convert(lead.id, { customer: { mode: 'create', createAnyway: true } }).expect(200);
    });
  });

  describe('an existing customer of the same company', () => {
    let acmeCustomer: { id: number };

    beforeAll(async () => {
      acmeCustomer = await createCustomer(t, { name: 'Acme (existing)', companyId: f.acmeId, sourceId: f.referralId });
    });

    it('answers 409 with the candidates and writes nothing', async () => {
      const lead = await createLead(t, f, { companyId: f.acmeId, contactId: f.acmeContactId });
      const before = await counts();
      const res = await convert(lead.id, { customer: { mode: 'create' }, opportunity: { title: 'Acme deal' } }).expect(409);
      expect(res.body).toMatchObject({ code: 'DUPLICATE', details: { candidates: [{ id: acmeCustomer.id, name: 'Acme (existing)' }] } });
      await expect(counts()).resolves.toEqual(before);
      const read = await t.as('agent').get(`/crm/leads/${lead.id}`).expect(200);
      expect(read.body.status).toBe('qualified');
    });

    it("finds a customer with the company's name, even one without a company record", async () => {
      const initech = await createCustomer(t, { name: 'INITECH' });
      const lead = await createLead(t, f, { name: 'Initech', newCompany: { name: 'Initech', website: 'initech.example', tin: '400000001' }, newContact: { firstName: 'Bill', lastName: 'Lumbergh' } });
      const res = await convert(lead.id, { customer: { mode: 'create' } }).expect(409);
      expect(res.body.details.candidates).toEqual([{ id: initech.id, name: 'INITECH' }]);
      const anyway = await convert(lead.id, { customer: { mode: 'create', createAnyway: true } }).expect(200);
      expect(anyway.body.customer).toMatchObject({ name: 'Initech', leadId: lead.id });
      expect(anyway.body.customer.id).not.toBe(initech.id);
    });

    it('links one of them on request: the customer keeps its own source, the opportunity is opened on it', async () => {
      const lead = await createLead(t, f, { companyId: f.acmeId, contactId: f.acmeContactId, sourceId: f.webQuotationId });
      const res = await convert(lead.id, { customer: { mode: 'link', customerId: acmeCustomer.id }, opportunity: { title: 'Acme add-on' } }).expect(200);
      expect(res.body.customer).toMatchObject({ id: acmeCustomer.id, source: { id: f.referralId }, leadId: lead.id });
      expect(res.body.opportunity).toMatchObject({ customerId: acmeCustomer.id, originLeadId: lead.id, source: { id: f.referralId } });
      expect(res.body.lead).toMatchObject({ status: 'converted', customerId: acmeCustomer.id });
    });
  });

  describe('refusals', () => {
    it('converts only qualified leads: new and lost ones are 409', async () => {
      const fresh = await createLead(t, f, {}, { status: 'new' });
      const res = await convert(fresh.id, { customer: { mode: 'create' } }).expect(409);
      expect(res.body).toMatchObject({ code: 'CONFLICT', details: { status: 'new' } });
      const lost = await createLead(t, f, { name: 'Lost lead' });
      await t.as('agent').patch(`/crm/leads/${lost.id}`, { status: 'lost', lostReason: 'Went elsewhere', version: lost.version }).expect(200);
      const lostRes = await convert(lost.id, { customer: { mode: 'create' } }).expect(409);
      expect(lostRes.body.details).toEqual({ status: 'lost' });
      await convert(999999, { customer: { mode: 'create' } }).expect(404);
    });

    it('validates the body', async () => {
      const lead = await createLead(t, f, { name: 'Body checks' });
      const empty = await convert(lead.id, {}).expect(400);
      expect(fieldErrors(empty.body)).toEqual([['customer', 'customerOrOpportunity']]);
      const mode = await convert(lead.id, { customer: { mode: 'merge' } }).expect(400);
      expect(fieldErrors(mode.body)).toEqual([['customer.mode', 'isIn']]);
      const title = await convert(lead.id, { opportunity: { amount: 5 } }).expect(400);
      expect(fieldErrors(title.body)).toEqual(expect.arrayContaining([['opportunity.title', 'isString'], ['opportunity.amount', 'isString']]));
      const link = await convert(lead.id, { customer: { mode: 'link' } }).expect(400);
      expect(fieldErrors(link.body)).toEqual([['customer.customerId', 'required']]);
      const unknown = await convert(lead.id, { customer: { mode: 'link', customerId: 999999 } }).expect(400);
      expect(fieldErrors(unknown.body)).toEqual([['customer.customerId', 'exists']]);
    });

    it('checks an owner the request names, and names the field it came in', async () => {
      const lead = await createLead(t, f, { name: 'Named owner' });
      const refused = await convert(lead.id, { customer: { mode: 'create', ownerId: 'gone' } }).expect(400);
      expect(fieldErrors(refused.body)).toEqual([['customer.ownerId', 'activePerson']]);
      const opportunity = await convert(lead.id, { opportunity: { title: 'Nobody', ownerId: 'nobody' } }).expect(400);
      expect(fieldErrors(opportunity.body)).toEqual([['opportunity.ownerId', 'activePerson']]);
      const res = await convert(lead.id, { customer: { mode: 'create', ownerId: 'owner1' }, opportunity: { title: 'Handed over', ownerId: 'owner1' } }).expect(200);
      expect(res.body.customer.ownerId).toBe('owner1');
    });

    it('needs leads.write', async () => {
      const lead = await createLead(t, f, { name: 'Permission check' });
      const res = await convert(lead.id, { customer: { mode: 'create' } }, 'leadReader').expect(403);
      expect(res.body.details).toEqual({ permission: 'leads.write' });
      await convert(lead.id, { customer: { mode: 'create' } }, 'anonymous').expect(401);
    });

    it("lets a partner supervisor convert only their partner company's leads (others are 404)", async () => {
      const notTheirs = await createLead(t, f, { name: 'Not the partner’s' });
      const hidden = await convert(notTheirs.id, { customer: { mode: 'create' } }, 'partner').expect(404);
      expect(hidden.body.code).toBe('NOT_FOUND');
      const theirs = await createLead(t, f, { name: 'Partner lead' }, { role: 'partner' });
      const res = await convert(theirs.id, { customer: { mode: 'create' } }, 'partner').expect(200);
      expect(res.body.customer).toMatchObject({ name: 'Partner lead', ownerId: 'partner' });
    });
  });

  describe('the owner of what a conversion creates, when the request names none', () => {
    // `marketeer` may convert leads but has no directory entry; `agent` has one.
    const both = { customer: { mode: 'create' }, opportunity: { title: 'Deal' } };
    const owners = (body: { customer: { ownerId: unknown }; opportunity: { ownerId: unknown } }) => [body.customer.ownerId, body.opportunity.ownerId];

    it("is the lead's owner, whoever converts", async () => {
      const lead = await createLead(t, f, { name: 'Owned lead', ownerId: 'owner1' });
      const res = await convert(lead.id, both, 'marketeer').expect(200);
      expect(owners(res.body)).toEqual(['owner1', 'owner1']);
    });

    it('is the caller for a lead without an owner, when the caller is a person of the directory', async () => {
      const lead = await createLead(t, f, { name: 'Ownerless for a person' });
      const res = await convert(lead.id, both, 'agent').expect(200);
      expect(owners(res.body)).toEqual(['agent', 'agent']);
    });

    it('is nobody for a lead without an owner converted by a caller with no directory entry: no 400 on a field they did not send', async () => {
      const lead = await createLead(t, f, { name: 'Ownerless for a stranger' });
      const res = await convert(lead.id, both, 'marketeer').expect(200);
      expect(owners(res.body)).toEqual([null, null]);
      expect(res.body.lead).toMatchObject({ status: 'converted', customerId: res.body.customer.id });
      const customer = await t.as('agent').get(`/crm/customers/${res.body.customer.id}`).expect(200);
      expect(customer.body.ownerId).toBeNull();
      const history = await t.as('agent').get(`/crm/customers/${res.body.customer.id}/history`).expect(200);
      // Created ownerless: its creation (values derived, empty fields not listed) names no owner.
      const creation = history.body.items.at(-1);
      expect(creation).toMatchObject({ action: 'create', derived: true });
      expect(creation.changes).toContainEqual({ field: 'name', before: null, after: res.body.customer.name });
      expect(creation.changes.map((c: { field: string }) => c.field)).not.toContain('ownerId');
      // Someone takes it on later; nobody leaves it ownerless again.
      const taken = await t.as('agent').patch(`/crm/customers/${res.body.customer.id}`, { ownerId: 'owner1', version: customer.body.version }).expect(200);
      expect(taken.body.ownerId).toBe('owner1');
      const cleared = await t.as('agent').patch(`/crm/customers/${res.body.customer.id}`, { ownerId: null, version: taken.body.version }).expect(400);
      expect(fieldErrors(cleared.body)).toEqual([['ownerId', 'required']]);
    });

    it("skips a lead owner who has left: the caller when a person, else nobody", async () => {
      await t.dataSource.getRepository(Person).insert({ id: 'leaving', displayName: 'Leaving Soon' });
      const forAgent = await createLead(t, f, { name: 'Owner left (agent)', ownerId: 'leaving' });
      const forStranger = await createLead(t, f, { name: 'Owner left (stranger)', ownerId: 'leaving' });
      await t.dataSource.getRepository(Person).update({ id: 'leaving' }, { active: false });
      const byAgent = await convert(forAgent.id, both, 'agent').expect(200);
      expect(owners(byAgent.body)).toEqual(['agent', 'agent']);
      const byStranger = await convert(forStranger.id, both, 'marketeer').expect(200);
      expect(owners(byStranger.body)).toEqual([null, null]);
    });

    it('follows the same rule outside conversion: a customer or opportunity created by a caller with no directory entry has no owner', async () => {
      const customer = await createCustomer(t, { name: 'Made by a stranger' }, 'marketeer');
      expect(customer.ownerId).toBeNull();
      const mine = await createCustomer(t, { name: 'Made by the agent' }, 'agent');
      expect(mine.ownerId).toBe('agent');
      const opportunity = await t.as('marketeer').post('/crm/opportunities', { title: 'Stranger deal', customerId: customer.id }).expect(201);
      expect(opportunity.body.ownerId).toBeNull();
      const named = await t.as('marketeer').post('/crm/customers', { name: 'Named owner', ownerId: 'marketeer' }).expect(400);
      expect(fieldErrors(named.body)).toEqual([['ownerId', 'activePerson']]);
    });
  });

  describe('all or nothing', () => {
    it('leaves nothing behind when the opportunity part fails after the customer was created', async () => {
      const lead = await createLead(t, f, { name: 'Half way', sourceId: f.webQuotationId }, { status: 'in_progress' });
      const open = (await t.as('agent').post('/crm/opportunities', { title: 'Open before', leadId: lead.id }).expect(201)).body;
      const current = (await t.as('agent').get(`/crm/leads/${lead.id}`).expect(200)).body;
      await t.as('agent').patch(`/crm/leads/${lead.id}`, { status: 'qualified', version: current.version }).expect(200);
      const before = await counts();
      const customersNamed = () => t.dataSource.getRepository(Customer).countBy({ name: 'Half way' });

      const noCurrency = await convert(lead.id, { customer: { mode: 'create' }, opportunity: { title: 'Bad deal', amount: '10.00' } }).expect(400);
      expect(fieldErrors(noCurrency.body)).toEqual([['opportunity.currency', 'requiredWithAmount']]);
      const archived = await convert(lead.id, { customer: { mode: 'create' }, opportunity: { title: 'Bad deal', sourceId: f.archivedId } }).expect(400);
      expect(fieldErrors(archived.body)).toEqual([['opportunity.sourceId', 'activeSource']]);
      const owner = await convert(lead.id, { customer: { mode: 'create' }, opportunity: { title: 'Bad deal', ownerId: 'gone' } }).expect(400);
      expect(fieldErrors(owner.body)).toEqual([['opportunity.ownerId', 'activePerson']]);

      await expect(counts()).resolves.toEqual(before);
      await expect(customersNamed()).resolves.toBe(0);
      const stillOnLead = await t.as('agent').get(`/crm/opportunities/${open.id}`).expect(200);
      expect(stillOnLead.body).toMatchObject({ leadId: lead.id, customerId: null, version: 1 });
      const read = await t.as('agent').get(`/crm/leads/${lead.id}`).expect(200);
      expect(read.body).toMatchObject({ status: 'qualified', customerId: null, opportunityId: null, convertedAt: null });

      const ok = await convert(lead.id, { customer: { mode: 'create' }, opportunity: { title: 'Good deal', amount: '10.00', currency: 'EUR' } }).expect(200);
      expect(ok.body.movedOpportunityIds).toEqual([open.id]);
      await expect(customersNamed()).resolves.toBe(1);
    });

    it('converts a lead into an opportunity alone, left on the lead', async () => {
      const lead = await createLead(t, f, { name: 'Opportunity only' });
      const res = await convert(lead.id, { opportunity: { title: 'Just a deal', stage: 'proposal' } }).expect(200);
      expect(res.body.customer).toBeNull();
      expect(res.body.opportunity).toMatchObject({ leadId: lead.id, customerId: null, originLeadId: lead.id, stage: 'proposal', source: { id: f.inboundCallId } });
      expect(res.body.lead).toMatchObject({ status: 'converted', customerId: null, opportunityId: res.body.opportunity.id });
    });
  });

  it('lets exactly one of two simultaneous conversions of the same lead succeed', async () => {
    const lead = await createLead(t, f, { name: 'Raced lead' });
    const before = await t.dataSource.getRepository(Customer).countBy({ leadId: lead.id });
    const responses = await Promise.all([
      convert(lead.id, { customer: { mode: 'create' }, opportunity: { title: 'Race A' } }),
      convert(lead.id, { customer: { mode: 'create', createAnyway: true }, opportunity: { title: 'Race B' } }),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(before).toBe(0);
    await expect(t.dataSource.getRepository(Customer).countBy({ leadId: lead.id })).resolves.toBe(1);
    await expect(t.dataSource.getRepository(Opportunity).countBy({ originLeadId: lead.id })).resolves.toBe(1);
    const stored = await t.dataSource.getRepository(Lead).findOneByOrFail({ id: lead.id });
    const winner = responses.find((r) => r.status === 200)!;
    expect(stored).toMatchObject({ status: 'converted', customerId: winner.body.customer.id, opportunityId: winner.body.opportunity.id });
  });
});
