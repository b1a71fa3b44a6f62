import { Company } from '../modules/directory/company.entity';
import { Contact } from '../modules/directory/contact.entity';
import { Lead } from '../modules/leads/lead.entity';
import { TestApp } from './harness/test-app';
import { fieldErrors, leadBody, LeadFixtures, seedLeadFixtures } from './leads/lead-fixtures';

describe('Leads: creating and the form rules (e2e)', () => {
  let t: TestApp;
  let f: LeadFixtures;

  beforeAll(async () => {
    t = await TestApp.start();
    f = await seedLeadFixtures(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const create = (overrides: object = {}, role = 'agent') => t.as(role).post('/crm/leads', leadBody(f, overrides));
  const counts = async () => ({
    companies: await t.dataSource.getRepository(Company).count(),
    contacts: await t.dataSource.getRepository(Contact).count(),
    leads: await t.dataSource.getRepository(Lead).count(),
  });

  describe('a lead with a new company and a new contact', () => {
    it('creates all three in one go, the contact in the new company, and records who created it', async () => {
      const res = await create({
        leadCompanyName: 'Globex (typed)',
        newCompany: { name: 'Globex Corp', website: 'https://globex.example', tin: '500100732259' },
        newContact: { firstName: 'Hank', lastName: 'Scorpio', email: 'hank@globex.example', phone: '+1 555 010 3000' },
        jobTitle: 'CEO',
        ownerId: 'owner1',
        productId: f.productId,
        marketingCampaignId: f.campaignId,
        contentDistributionChannelId: f.channelId,
        city: 'Springfield',
        channel: 'google: cargo vans lease',
        customerRequirements: 'Twelve vans, white',
      }).expect(201);
      expect(res.body).toMatchObject({ name: 'Twelve vans', status: 'new', companyName: 'Globex Corp', contactName: 'Hank Scorpio', ownerId: 'owner1', createdById: 'agent', version: 1 });
      const contact = await t.dataSource.getRepository(Contact).findOneByOrFail({ id: res.body.contactId });
      expect(contact).toMatchObject({ companyId: res.body.companyId, jobTitle: 'CEO', emailKey: 'hank@globex.example' });
      const history = await t.as('agent').get(`/crm/leads/${res.body.id}/history`).expect(200);
      expect(history.body.items[0]).toMatchObject({ action: 'create', actorId: 'agent', derived: true });
      expect(history.body.items[0]).not.toHaveProperty('importRun');
      expect(history.body.items[0].changes).toContainEqual({ field: 'ownerId', before: null, after: 'owner1' });
      // The creation entry stores no values (they are derived when the history is read), nor do the company's and contact's.
      const stored: { entityType: string; changes: string }[] = await t.query(
        "SELECT entityType, changes FROM crm_audit_entry WHERE action = 'create' AND ((entityType = 'lead' AND entityId = ?) OR (entityType = 'company' AND entityId = ?) OR (entityType = 'contact' AND entityId = ?)) ORDER BY entityType",
        [String(res.body.id), String(res.body.companyId), String(res.body.contactId)],
      );
      expect(stored).toEqual([{ entityType: 'company', changes: '[]' }, { entityType: 'contact', changes: '[]' }, { entityType: 'lead', changes: '[]' }]);
      const contactHistory = await t.as('manager').get(`/crm/contacts/${res.body.contactId}/history`).expect(200);
      expect(contactHistory.body.items[0].changes).toEqual(expect.arrayContaining([{ field: 'email', before: null, after: 'hank@globex.example' }, { field: 'companyId', before: null, after: res.body.companyId }]));
    });

    it('shows an edited lead\'s creation with the values it had before the edits, and a deleted one\'s from what its delete entry kept', async () => {
      const lead = (await create({ ownerId: 'owner1', city: 'Lyon' }).expect(201)).body;
      await t.as('agent').patch(`/crm/leads/${lead.id}`, { ownerId: 'owner2', city: null }).expect(200);
      await t.as('agent').patch(`/crm/leads/${lead.id}`, { city: 'Nice', channel: 'phone' }).expect(200);
      const initial = expect.arrayContaining([
        { field: 'ownerId', before: null, after: 'owner1' },
        { field: 'city', before: null, after: 'Lyon' },
        { field: 'companyId', before: null, after: f.acmeId },
      ]);
      const history = await t.as('agent').get(`/crm/leads/${lead.id}/history`).expect(200);
      expect(history.body.items.map((e: { action: string }) => e.action)).toEqual(['update', 'update', 'create']);
      expect(history.body.items[2]).toMatchObject({ derived: true, changes: initial });
      expect(history.body.items[2].changes.map((c: { field: string }) => c.field)).not.toContain('channel');
      // Paged: the creation is the last page's last line, derived all the same.
      const last = await t.as('agent').get(`/crm/leads/${lead.id}/history?page=2&limit=2`).expect(200);
      expect(last.body).toMatchObject({ total: 3, items: [{ action: 'create', derived: true, changes: initial }] });
      const firstPage = await t.as('agent').get(`/crm/leads/${lead.id}/history?page=1&limit=2`).expect(200);
      expect(firstPage.body.items.map((e: { derived?: boolean }) => e.derived)).toEqual([undefined, undefined]);

      await t.as('manager').delete(`/crm/leads/${lead.id}`).expect(204);
      const gone = await t.as('manager').get(`/crm/leads/${lead.id}/history`).expect(200);
      expect(gone.body.items.map((e: { action: string }) => e.action)).toEqual(['delete', 'update', 'update', 'create']);
      expect(gone.body.items[3]).toMatchObject({ derived: true, changes: initial });
    });

    it('puts a new contact in the existing company picked', async () => {
      const res = await create({ companyId: f.acmeId, newContact: { firstName: 'Bea', lastName: 'Acme' } }).expect(201);
      const contact = await t.dataSource.getRepository(Contact).findOneByOrFail({ id: res.body.contactId });
      expect(contact.companyId).toBe(f.acmeId);
    });

    it('refuses a company that clashes (409 naming the field and the existing company) and writes nothing', async () => {
      const before = await counts();
      const res = await create({
        newCompany: { name: 'Acme Two', website: 'acme-two.example', tin: '7701234567' },
        newContact: { firstName: 'Nobody', lastName: 'Written' },
      }).expect(409);
      expect(res.body).toMatchObject({ code: 'DUPLICATE', details: { field: 'tin', existingId: f.acmeId } });
      await expect(counts()).resolves.toEqual(before);
    });

    it.each([
      ['an inactive owner', { ownerId: 'gone' }, ['ownerId', 'activePerson']],
      ['an unknown owner', { ownerId: 'nobody' }, ['ownerId', 'activePerson']],
      ['a source not for leads', 'customerOnly', ['sourceId', 'sourceForLeads']],
      ['an archived source', 'archived', ['sourceId', 'activeSource']],
      ['an archived sales direction', 'archivedDirection', ['salesDirectionId', 'activeEntry']],
    ])('rolls the new company and contact back when the lead fails on %s', async (_label, problem, [field, rule]) => {
      const overrides = await problemOverrides(problem);
      const before = await counts();
      const res = await create({
        ...overrides,
        newCompany: { name: `Rollback ${field} ${rule}`, website: `rollback-${rule}.example`, tin: '123456789' },
        newContact: { firstName: 'Rolled', lastName: 'Back' },
      }).expect(400);
      expect(fieldErrors(res.body)).toEqual([[field, rule]]);
      await expect(counts()).resolves.toEqual(before);
      await expect(t.dataSource.getRepository(Company).countBy({ tin: '123456789' })).resolves.toBe(0);
    });

    async function problemOverrides(problem: object | string): Promise<object> {
      if (typeof problem === 'object') return problem;
      if (problem === 'archivedDirection') return { salesDirectionId: f.archivedDirectionId };
      const code = `${problem.toLowerCase()}_${Date.now() % 100000}`;
      const source = await t.as('manager').post('/crm/sources', { code, name: code, type: 'website', forLeads: problem !== 'customerOnly' }).expect(201);
      if (problem === 'archived') await t.as('manager').post(`/crm/sources/${source.body.id}/archive`).expect(200);
      return { sourceId: source.body.id };
    }
  });

  describe('bad input names the field and the rule', () => {
    it('requires the title, the source and the sales direction', async () => {
      const res = await t.as('agent').post('/crm/leads', {}).expect(400);
      const fields = fieldErrors(res.body).map(([field]) => field);
      expect(fields).toEqual(expect.arrayContaining(['name', 'sourceId', 'salesDirectionId']));
      const blank = await create({ name: '   ' }).expect(400);
      expect(fieldErrors(blank.body)).toEqual([['name', 'matches']]);
    });

    it('refuses both an existing and a new company, or both an existing and a new contact', async () => {
      const company = await create({ companyId: f.acmeId, newCompany: { name: 'X', website: 'x.example', tin: '111111111' }, contactId: f.acmeContactId }).expect(400);
      expect(fieldErrors(company.body)).toEqual([['newCompany', 'exclusiveWithCompanyId']]);
      const contact = await create({ contactId: f.loneContactId, newContact: { firstName: 'A', lastName: 'B' } }).expect(400);
      expect(fieldErrors(contact.body)).toEqual([['newContact', 'exclusiveWithContactId']]);
    });

    it('validates the new company and the new contact field by field', async () => {
      const res = await create({ newCompany: { name: 'No Tin', website: 'not a site' }, newContact: { firstName: 'A' } }).expect(400);
      expect(fieldErrors(res.body)).toEqual(
        expect.arrayContaining([
          ['newCompany.website', 'isWebsite'],
          ['newCompany.tin', 'matches'],
          ['newContact.lastName', 'isString'],
        ]),
      );
    });

    it('refuses unknown references with rule exists', async () => {
      const res = await create({ companyId: 99999, newContact: { firstName: 'No', lastName: 'Company' } }).expect(400);
      expect(fieldErrors(res.body)).toEqual([['companyId', 'exists']]);
      const source = await create({ sourceId: 99999 }).expect(400);
      expect(fieldErrors(source.body)).toEqual([['sourceId', 'exists']]);
      const wrongList = await create({ productId: f.salesDirectionId }).expect(400);
      expect(fieldErrors(wrongList.body)).toEqual([['productId', 'exists']]);
      const contact = await create({ contactId: 99999 }).expect(400);
      expect(fieldErrors(contact.body)).toEqual([['contactId', 'exists']]);
    });

    it('requires the contact to belong to the company given', async () => {
      const res = await create({ companyId: f.acmeId, contactId: f.loneContactId }).expect(400);
      expect(fieldErrors(res.body)).toEqual([['contactId', 'belongsToCompany']]);
      await create({ companyId: f.acmeId, contactId: f.acmeContactId }).expect(201);
      const drafted = await create({ newCompany: { name: 'Lone Co', website: 'lone-co.example', tin: '300000001' }, contactId: f.loneContactId }).expect(400);
      expect(fieldErrors(drafted.body)).toEqual([['contactId', 'belongsToCompany']]);
    });

    it('requires a partner company to be a partner, and the representative to be one of its contacts', async () => {
      const notPartner = await create({ partnerCompanyId: f.acmeId }).expect(400);
      expect(fieldErrors(notPartner.body)).toEqual([['partnerCompanyId', 'isPartner']]);
      const wrongRep = await create({ partnerCompanyId: f.otherPartnerCompanyId, partnerRepresentativeId: f.partnerRepId }).expect(400);
      expect(fieldErrors(wrongRep.body)).toEqual([['partnerRepresentativeId', 'belongsToPartnerCompany']]);
      const noCompany = await create({ partnerRepresentativeId: f.partnerRepId }).expect(400);
      expect(fieldErrors(noCompany.body)).toEqual([['partnerRepresentativeId', 'requiresPartnerCompany']]);
      const ok = await create({ partnerCompanyId: f.otherPartnerCompanyId, partnerRepresentativeId: f.otherPartnerRepId }).expect(201);
      expect(ok.body).toMatchObject({ partnerCompanyId: f.otherPartnerCompanyId, partnerRepresentativeId: f.otherPartnerRepId });
    });

    it('documents every qualification list as an enum and refuses other values', async () => {
      const res = await create({ terms: 'soon', decisionLevel: 'king', procurementProcedure: 'auction', contactPersonLevel: 'intern' }).expect(400);
      expect(fieldErrors(res.body)).toEqual(
        expect.arrayContaining([
          ['terms', 'isIn'],
          ['decisionLevel', 'isIn'],
          ['procurementProcedure', 'isIn'],
          ['contactPersonLevel', 'isIn'],
        ]),
      );
      const docs = await t.as('anonymous').get('/docs-json').expect(200);
      const schema = docs.body.components.schemas.CreateLeadDto.properties;
      // Clearable lists: null is one of their values (OpenAPI 3.0's `nullable` does not add it to an enum).
      expect(schema.terms.enum).toEqual(['within_a_week', 'within_a_month', 'within_a_quarter', 'within_half_a_year', 'within_a_year', 'more_than_a_year', 'undefined', null]);
      expect(schema.decisionLevel.enum).toEqual(['department', 'division', 'company_management', 'board', 'owner', null]);
    });
  });

  describe('money and qualification', () => {
    it('keeps amounts as exact decimal strings', async () => {
      const res = await create({ estimatedAmount: '1234.5', budgetIsSet: true, budget: '999999999999.99' }).expect(201);
      expect(res.body).toMatchObject({ estimatedAmount: '1234.50', budget: '999999999999.99', budgetIsSet: true });
      const read = await t.as('agent').get(`/crm/leads/${res.body.id}`).expect(200);
      expect(read.body).toMatchObject({ estimatedAmount: '1234.50', budget: '999999999999.99' });
    });

    it.each([
      ['12.345', 'isDecimal'],
      ['-5.00', 'notNegative'],
      [12.5, 'isDecimal'],
      ['1000000000000', 'maxAmount'],
    ])('refuses the amount %p (%s)', async (amount, rule) => {
      const res = await create({ estimatedAmount: amount }).expect(400);
      expect(fieldErrors(res.body)).toContainEqual(['estimatedAmount', rule]);
    });

    it('takes a budget only when the budget is set', async () => {
      const res = await create({ budget: '100.00' }).expect(400);
      expect(fieldErrors(res.body)).toEqual([['budget', 'requiresBudgetIsSet']]);
      const off = await create({ budgetIsSet: false, budget: '100.00' }).expect(400);
      expect(fieldErrors(off.body)).toEqual([['budget', 'requiresBudgetIsSet']]);
    });

    it('fills the close date from the terms, counted from the creation date, unless one is given', async () => {
      const month = await create({ terms: 'within_a_month' }).expect(201);
      const created = new Date(month.body.createdAt);
      const expected = new Date(Date.UTC(created.getUTCFullYear(), created.getUTCMonth() + 1, 1));
      const lastDay = new Date(Date.UTC(expected.getUTCFullYear(), expected.getUTCMonth() + 1, 0)).getUTCDate();
      expected.setUTCDate(Math.min(created.getUTCDate(), lastDay));
      expect(month.body.estimatedCloseDate).toBe(expected.toISOString().slice(0, 10));
      const given = await create({ terms: 'within_a_month', estimatedCloseDate: '2031-05-17' }).expect(201);
      expect(given.body.estimatedCloseDate).toBe('2031-05-17');
      const open = await create({ terms: 'undefined' }).expect(201);
      expect(open.body.estimatedCloseDate).toBeNull();
      const badDate = await create({ estimatedCloseDate: '17.05.2031' }).expect(400);
      expect(fieldErrors(badDate.body)[0][0]).toBe('estimatedCloseDate');
    });
  });

  describe('who may create', () => {
    it('lets agents and managers create, not outsiders', async () => {
      await create({}, 'manager').expect(201);
      await create({}, 'outsider').expect(403);
      await create({}, 'anonymous').expect(401);
    });

    it("always files a partner supervisor's lead under their partner company", async () => {
      // A partner's lead names a company of its own: the directory's other companies are not the partner's to see.
      const parties = (n: number) => ({
        newCompany: { name: `Partner client ${n}`, website: `partner-client-${n}.example`, tin: String(880000000 + n) },
        newContact: { firstName: 'Pia', lastName: `Client ${n}` },
      });
      const res = await create({ partnerCompanyId: f.otherPartnerCompanyId, ...parties(1) }, 'partner').expect(201);
      expect(res.body.partnerCompanyId).toBe(f.partnerCompanyId);
      const rep = await create({ partnerRepresentativeId: f.partnerRepId, ...parties(2) }, 'partner').expect(201);
      expect(rep.body).toMatchObject({ partnerCompanyId: f.partnerCompanyId, partnerRepresentativeId: f.partnerRepId });
    });
  });
});
