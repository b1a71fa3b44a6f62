import { Lead } from '../modules/leads/lead.entity';
import { TestApp } from './harness/test-app';
import { fieldErrors, leadBody, LeadFixtures, seedLeadFixtures } from './leads/lead-fixtures';

describe('Leads: changing, locking, deleting and scoping (e2e)', () => {
  let t: TestApp;
  let f: LeadFixtures;

  beforeAll(async () => {
    t = await TestApp.start({
      users: { partnerBoss: { id: 'partner-boss', roles: ['crm_partner_supervisor'], permissions: ['leads.delete'], partnerCompanyId: 1 } },
    });
    f = await seedLeadFixtures(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const create = async (overrides: object = {}, role = 'agent'): Promise<{ id: number; version: number; [key: string]: unknown }> =>
    (await t.as(role).post('/crm/leads', leadBody(f, overrides)).expect(201)).body;
  const patch = (id: number, body: object, role = 'agent') => t.as(role).patch(`/crm/leads/${id}`, body);
  const newSource = async (code: string, body: object = {}) =>
    (await t.as('manager').post('/crm/sources', { code, name: code, type: 'campaign', ...body }).expect(201)).body.id as number;

  describe('updating', () => {
    it('changes the owner to an active person only, and records who changed what', async () => {
      const lead = await create({ ownerId: 'owner1' });
      const inactive = await patch(lead.id, { ownerId: 'gone' }).expect(400);
      expect(fieldErrors(inactive.body)).toEqual([['ownerId', 'activePerson']]);
      const res = await patch(lead.id, { ownerId: 'owner2' }).expect(200);
      expect(res.body).toMatchObject({ ownerId: 'owner2', version: 2 });
      const history = await t.as('agent').get(`/crm/leads/${lead.id}/history`).expect(200);
      expect(history.body.items[0]).toMatchObject({ action: 'update', actorId: 'agent', changes: [{ field: 'ownerId', before: 'owner1', after: 'owner2' }] });
      expect(history.body.items[0].at).toBeDefined();
    });

    it('refuses to clear a required field, and a stale version', async () => {
      const lead = await create();
      const cleared = await patch(lead.id, { salesDirectionId: null }).expect(400);
      expect(fieldErrors(cleared.body)).toEqual([['salesDirectionId', 'required']]);
      await patch(lead.id, { city: 'Riga', version: lead.version }).expect(200);
      const stale = await patch(lead.id, { city: 'Oslo', version: lead.version }).expect(409);
      expect(stale.body.code).toBe('STALE_VERSION');
    });

    it('keeps an archived or no-longer-for-leads source on the lead, and refuses picking one', async () => {
      const sourceId = await newSource('keep_me');
      const lead = await create({ sourceId });
      await t.as('manager').patch(`/crm/sources/${sourceId}`, { forLeads: false, version: 1 }).expect(200);
      await t.as('manager').post(`/crm/sources/${sourceId}/archive`).expect(200);
      await patch(lead.id, { city: 'Tallinn' }).expect(200);
      await patch(lead.id, { sourceId, name: 'Same source given again' }).expect(200);
      const other = await create();
      const picked = await patch(other.id, { sourceId }).expect(400);
      expect(fieldErrors(picked.body)).toEqual([['sourceId', 'activeSource']]);
    });

    it('keeps an archived list entry on the lead, and refuses picking one', async () => {
      const lead = await create({ productId: f.productId });
      await t.query(`UPDATE crm_list_entry SET active = ? WHERE id = ?`, [false, f.productId]);
      try {
        await patch(lead.id, { goal: 'Replace the old fleet' }).expect(200);
        await patch(lead.id, { productId: f.productId }).expect(200);
        const other = await create();
        const picked = await patch(other.id, { productId: f.productId }).expect(400);
        expect(fieldErrors(picked.body)).toEqual([['productId', 'activeEntry']]);
      } finally {
        await t.query(`UPDATE crm_list_entry SET active = ? WHERE id = ?`, [true, f.productId]);
      }
    });

    it('checks the contact against a changed company', async () => {
      const lead = await create({ companyId: f.acmeId, contactId: f.acmeContactId });
      const moved = await patch(lead.id, { companyId: f.otherPartnerCompanyId }).expect(400);
      expect(fieldErrors(moved.body)).toEqual([['contactId', 'belongsToCompany']]);
      const res = await patch(lead.id, { companyId: f.otherPartnerCompanyId, newContact: { firstName: 'Fresh', lastName: 'Contact' } }).expect(200);
      expect(res.body).toMatchObject({ companyId: f.otherPartnerCompanyId, contactName: 'Fresh Contact' });
    });

    it('drops the budget when the budget is no longer set, and moves a derived close date with the terms', async () => {
      const lead = await create({ budgetIsSet: true, budget: '5000.00', terms: 'within_a_week' });
      const res = await patch(lead.id, { budgetIsSet: false, terms: 'within_a_year' }).expect(200);
      expect(res.body.budget).toBeNull();
      const created = new Date(res.body.createdAt);
      expect(res.body.estimatedCloseDate.slice(0, 4)).toBe(String(created.getUTCFullYear() + 1));
      const typed = await patch(lead.id, { estimatedCloseDate: '2030-01-15' }).expect(200);
      const kept = await patch(lead.id, { terms: 'within_a_quarter', version: typed.body.version }).expect(200);
      expect(kept.body.estimatedCloseDate).toBe('2030-01-15');
    });
  });

  describe('the status', () => {
    it('moves forward only, never to converted, and needs a reason to be lost', async () => {
      const lead = await create();
      await patch(lead.id, { status: 'qualified' }).expect(200);
      const back = await patch(lead.id, { status: 'in_progress' }).expect(400);
      expect(fieldErrors(back.body)).toEqual([['status', 'forwardOnly']]);
      const converted = await patch(lead.id, { status: 'converted' }).expect(400);
      expect(fieldErrors(converted.body)).toEqual([['status', 'conversionOnly']]);
      const noReason = await patch(lead.id, { status: 'lost' }).expect(400);
      expect(fieldErrors(noReason.body)).toEqual([['lostReason', 'requiredWhenLost']]);
      const early = await patch(lead.id, { lostReason: 'too early' }).expect(400);
      expect(fieldErrors(early.body)).toEqual([['lostReason', 'onlyWhenLost']]);
      const lost = await patch(lead.id, { status: 'lost', lostReason: 'Bought elsewhere' }).expect(200);
      expect(lost.body).toMatchObject({ status: 'lost', lostReason: 'Bought elsewhere' });
    });

    it('makes a lost lead read-only except for managers, who may reopen it', async () => {
      const lead = await create();
      await patch(lead.id, { status: 'lost', lostReason: 'No budget' }).expect(200);
      const locked = await patch(lead.id, { city: 'Vilnius' }).expect(409);
      expect(locked.body).toMatchObject({ code: 'LOCKED' });
      expect(locked.body.message).toContain('lost');
      const reopenByAgent = await patch(lead.id, { status: 'in_progress' }).expect(409);
      expect(reopenByAgent.body.code).toBe('LOCKED');
      await patch(lead.id, { city: 'Vilnius' }, 'manager').expect(200);
      const reopened = await patch(lead.id, { status: 'in_progress' }, 'manager').expect(200);
      expect(reopened.body).toMatchObject({ status: 'in_progress', lostReason: null });
      const notNew = await patch(lead.id, { status: 'new' }, 'manager').expect(400);
      expect(fieldErrors(notNew.body)).toEqual([['status', 'forwardOnly']]);
      await patch(lead.id, { city: 'Kaunas' }).expect(200);
    });

    it('makes a converted lead read-only except for managers, and keeps it converted', async () => {
      const lead = await create();
      await t.dataSource.getRepository(Lead).update({ id: lead.id }, { status: 'converted', customerId: 77, convertedAt: new Date() });
      const locked = await patch(lead.id, { name: 'Renamed' }).expect(409);
      expect(locked.body.code).toBe('LOCKED');
      await patch(lead.id, { name: 'Renamed' }, 'manager').expect(200);
      const back = await patch(lead.id, { status: 'lost', lostReason: 'x' }, 'manager').expect(400);
      expect(fieldErrors(back.body)).toEqual([['status', 'forwardOnly']]);
    });
  });

  describe('a source stamped by an automatic import', () => {
    it('is locked for agents (409 saying why) and changeable by managers', async () => {
      const lead = await create({ sourceId: f.webQuotationId });
      const locked = await patch(lead.id, { sourceId: f.referralId }).expect(409);
      expect(locked.body).toMatchObject({ code: 'LOCKED', details: { field: 'sourceId', code: 'source_web_quotation' } });
      expect(locked.body.message).toContain('automatic import');
      await patch(lead.id, { city: 'Agents still edit the rest' }).expect(200);
      const res = await patch(lead.id, { sourceId: f.referralId }, 'manager').expect(200);
      expect(res.body.sourceId).toBe(f.referralId);
    });
  });

  describe('deleting', () => {
    it('is for managers only, and keeps the history', async () => {
      const lead = await create();
      await t.as('agent').delete(`/crm/leads/${lead.id}`).expect(403);
      await t.as('manager').delete(`/crm/leads/${lead.id}`).expect(204);
      await t.as('manager').get(`/crm/leads/${lead.id}`).expect(404);
      const history = await t.as('manager').get(`/crm/leads/${lead.id}/history`).expect(200);
      expect(history.body.items[0]).toMatchObject({ action: 'delete', actorId: 'manager' });
      await t.as('manager').delete(`/crm/leads/${lead.id}`).expect(404);
      await t.as('manager').get('/crm/leads/999999/history').expect(404);
    });
  });

  describe('partner supervisors', () => {
    it("see and edit their partner company's leads only; any other lead is a 404", async () => {
      const own = await create({ newCompany: { name: 'Partner client', website: 'partner-client.example', tin: '880000001' }, newContact: { firstName: 'Pia', lastName: 'Client' } }, 'partner');
      const foreign = await create({ partnerCompanyId: f.otherPartnerCompanyId });
      const internal = await create();
      await t.as('partner').get(`/crm/leads/${own.id}`).expect(200);
      await patch(own.id, { city: 'Partner town' }, 'partner').expect(200);
      for (const id of [foreign.id, internal.id]) {
        const read = await t.as('partner').get(`/crm/leads/${id}`).expect(404);
        expect(read.body.code).toBe('NOT_FOUND');
        await t.as('partner').get(`/crm/leads/${id}/history`).expect(404);
        await patch(id, { city: 'Nope' }, 'partner').expect(404);
        await t.as('partnerBoss').delete(`/crm/leads/${id}`).expect(404);
      }
      const moved = await patch(own.id, { partnerCompanyId: f.otherPartnerCompanyId }, 'partner').expect(200);
      expect(moved.body.partnerCompanyId).toBe(f.partnerCompanyId);
      const list = await t.as('partner').get('/crm/leads?limit=200').expect(200);
      expect(list.body.items.length).toBeGreaterThan(0);
      expect(list.body.items.every((l: { partnerCompanyId: number }) => l.partnerCompanyId === f.partnerCompanyId)).toBe(true);
      const asked = await t.as('partner').get(`/crm/leads?partnerCompanyId=${f.otherPartnerCompanyId}`).expect(200);
      expect(asked.body.total).toBe(0);
      await t.as('partnerBoss').delete(`/crm/leads/${own.id}`).expect(204);
    });
  });

  describe('source delete and merge count and move leads', () => {
    it('refuses to delete a source leads use, naming the count', async () => {
      const sourceId = await newSource('used_by_leads');
      await create({ sourceId });
      await create({ sourceId });
      const res = await t.as('manager').delete(`/crm/sources/${sourceId}`).expect(409);
      expect(res.body).toMatchObject({ code: 'IN_USE', details: { references: { leads: 2 } } });
      expect(res.body.message).toContain('2 leads');
      const bulk = await t.as('manager').post('/crm/sources/bulk-delete', { ids: [sourceId] }).expect(409);
      expect(bulk.body.details.blocked).toEqual([expect.objectContaining({ id: sourceId, references: { leads: 2 } })]);
    });

    it('moves the leads of a merged source to the target', async () => {
      const from = await newSource('merge_from');
      const into = await newSource('merge_into');
      const a = await create({ sourceId: from });
      const b = await create({ sourceId: from });
      const preview = await t.as('manager').post(`/crm/sources/${from}/merge?dryRun=true`, { intoId: into }).expect(200);
      expect(preview.body.moved).toMatchObject({ leads: 2 });
      const merged = await t.as('manager').post(`/crm/sources/${from}/merge`, { intoId: into }).expect(200);
      expect(merged.body.moved).toMatchObject({ leads: 2 });
      for (const lead of [a, b]) {
        const read = await t.as('agent').get(`/crm/leads/${lead.id}`).expect(200);
        expect(read.body.sourceId).toBe(into);
      }
      await t.as('manager').delete(`/crm/sources/${from}`).expect(204);
    });
  });
});
