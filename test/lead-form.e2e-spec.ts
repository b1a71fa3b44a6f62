import { CRM_MIGRATIONS } from '../modules';
import { Company } from '../modules/directory/company.entity';
import { Contact } from '../modules/directory/contact.entity';
import { Lead } from '../modules/leads/lead.entity';
import { TestApp } from './harness/test-app';
import { fieldErrors, leadBody, LeadFixtures, seedLeadFixtures } from './leads/lead-fixtures';

/**
 * The lead form of help page 004, field by field where it differs from automatic intake: the agent
 * and partner form needs a company and a contact; intake does not; qualifying and converting do.
 */
describe('The lead form of the help page (e2e)', () => {
  let t: TestApp;
  let f: LeadFixtures;
  let apiKey: string;

  beforeAll(async () => {
    t = await TestApp.start();
    f = await seedLeadFixtures(t);
    await t.as('manager').post('/crm/sources', { code: 'test_drive_form', name: 'Test drive form', type: 'website', defaultSalesDirectionId: f.salesDirectionId }).expect(201);
    apiKey = (await t.as('manager').post('/crm/intake/keys', { name: 'Website' }).expect(201)).body.key;
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (body: object, role = 'agent') => t.as(role).post('/crm/leads', body);
  const bare = (overrides: object = {}) => ({ name: 'No parties', sourceId: f.inboundCallId, salesDirectionId: f.salesDirectionId, ...overrides });
  const counts = async () => ({
    companies: await t.dataSource.getRepository(Company).count(),
    contacts: await t.dataSource.getRepository(Contact).count(),
    leads: await t.dataSource.getRepository(Lead).count(),
  });
  const intake = (body: object) => t.request().post('/crm/intake/leads').set('X-Api-Key', apiKey).send({ source: 'test_drive_form', ...body });

  describe('POST /crm/leads (the agent and partner form)', () => {
    it.each(['agent', 'partner', 'manager'])('refuses a lead without a company and a contact (as %s), naming both and writing nothing', async (role) => {
      const before = await counts();
      const res = await post(bare(), role).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(fieldErrors(res.body)).toEqual([
        ['companyId', 'companyRequired'],
        ['contactId', 'contactRequired'],
      ]);
      expect(res.body.errors[0].message).toContain('newCompany');
      expect(res.body.errors[1].message).toContain('newContact');
      await expect(counts()).resolves.toEqual(before);
    });

    it('names only the one missing, and takes null as missing', async () => {
      const noContact = await post(bare({ companyId: f.acmeId })).expect(400);
      expect(fieldErrors(noContact.body)).toEqual([['contactId', 'contactRequired']]);
      const noCompany = await post(bare({ newContact: { firstName: 'Ned', lastName: 'Nocompany' } })).expect(400);
      expect(fieldErrors(noCompany.body)).toEqual([['companyId', 'companyRequired']]);
      const nulls = await post(bare({ companyId: null, contactId: null })).expect(400);
      expect(fieldErrors(nulls.body)).toEqual([
        ['companyId', 'companyRequired'],
        ['contactId', 'contactRequired'],
      ]);
    });

    it('takes an existing or a new company with an existing or a new contact', async () => {
      const existing = await post(bare({ companyId: f.acmeId, contactId: f.acmeContactId })).expect(201);
      expect(existing.body).toMatchObject({ companyName: 'Acme Industries', contactName: 'Ann Acme' });
      const newContact = await post(bare({ companyId: f.acmeId, newContact: { firstName: 'Nina', lastName: 'New' } })).expect(201);
      expect(newContact.body).toMatchObject({ companyId: f.acmeId, contactName: 'Nina New' });
      const both = await post(bare({ newCompany: { name: 'Form Co', website: 'form-co.example', tin: '123123123' }, newContact: { firstName: 'Fred', lastName: 'Form' } }), 'partner').expect(201);
      expect(both.body).toMatchObject({ companyName: 'Form Co', contactName: 'Fred Form', partnerCompanyId: f.partnerCompanyId });
    });

    it('never clears the company or the contact of a lead on PATCH: it replaces them', async () => {
      const lead = (await post(leadBody(f)).expect(201)).body;
      const company = await t.as('agent').patch(`/crm/leads/${lead.id}`, { companyId: null }).expect(400);
      expect(fieldErrors(company.body)).toEqual([['companyId', 'companyRequired']]);
      const contact = await t.as('agent').patch(`/crm/leads/${lead.id}`, { contactId: null }).expect(400);
      expect(fieldErrors(contact.body)).toEqual([['contactId', 'contactRequired']]);
      const replaced = await t.as('agent').patch(`/crm/leads/${lead.id}`, { contactId: null, newContact: { firstName: 'Rita', lastName: 'Replaced' } }).expect(200);
      expect(replaced.body).toMatchObject({ companyId: f.acmeId, contactName: 'Rita Replaced', version: 2 });
    });
  });

  describe('automatic intake (a test-drive request from a private person)', () => {
    let leadId: number;
    let contactId: number;

    it('keeps creating leads without a company', async () => {
      const res = await intake({ name: 'Test drive: Tiggo 7', firstName: 'Pia', lastName: 'Private', email: 'pia@private.example' }).expect(200);
      expect(res.body).toMatchObject({ status: 'created' });
      leadId = res.body.leadId;
      const lead = await t.as('agent').get(`/crm/leads/${leadId}`).expect(200);
      expect(lead.body).toMatchObject({ companyId: null, contactName: 'Pia Private', status: 'new' });
      contactId = lead.body.contactId;
    });

    it('lets the agent work on it, but not qualify it without a company (409 naming it)', async () => {
      const working = await t.as('agent').patch(`/crm/leads/${leadId}`, { status: 'in_progress', goal: 'Wants a test drive' }).expect(200);
      const res = await t.as('agent').patch(`/crm/leads/${leadId}`, { status: 'qualified', version: working.body.version }).expect(409);
      expect(res.body).toMatchObject({ code: 'CONFLICT', details: { missing: ['company'], fields: ['companyId'] } });
      expect(res.body.message).toBe(`Lead ${leadId} cannot be qualified without a company; set companyId or newCompany first`);
      const unchanged = await t.as('agent').get(`/crm/leads/${leadId}`).expect(200);
      expect(unchanged.body).toMatchObject({ status: 'in_progress', version: working.body.version });
    });

    it('qualifies once the agent adds the company, which the lead\'s contact then belongs to', async () => {
      const res = await t
        .as('agent')
        .patch(`/crm/leads/${leadId}`, { status: 'qualified', newCompany: { name: 'Private Holdings', website: 'private-holdings.example', tin: '987654321' } })
        .expect(200);
      expect(res.body).toMatchObject({ status: 'qualified', companyName: 'Private Holdings', contactId });
      const contact = await t.as('agent').get(`/crm/contacts/${contactId}`).expect(200);
      expect(contact.body.companyId).toBe(res.body.companyId);
      const history = await t.as('agent').get(`/crm/contacts/${contactId}/history`).expect(200);
      expect(history.body.items[0]).toMatchObject({ action: 'update', actorId: 'agent', changes: [{ field: 'companyId', before: null, after: res.body.companyId }] });
    });

    it('files the lead\'s own contact under an existing company picked too, but no other company-less contact', async () => {
      const other = await intake({ name: 'Test drive: Tiggo 8', firstName: 'Quinn', lastName: 'Quiet', email: 'quinn@private.example' }).expect(200);
      const picked = await t.as('agent').patch(`/crm/leads/${other.body.leadId}`, { companyId: f.acmeId, contactId: f.loneContactId }).expect(400);
      expect(fieldErrors(picked.body)).toEqual([['contactId', 'belongsToCompany']]);
      const res = await t.as('agent').patch(`/crm/leads/${other.body.leadId}`, { companyId: f.acmeId }).expect(200);
      expect(res.body).toMatchObject({ companyId: f.acmeId, contactName: 'Quinn Quiet' });
      await expect(t.dataSource.getRepository(Contact).findOneByOrFail({ id: res.body.contactId })).resolves.toMatchObject({ companyId: f.acmeId });
      await expect(t.dataSource.getRepository(Contact).findOneByOrFail({ id: f.loneContactId })).resolves.toMatchObject({ companyId: null });
    });

    it('creates CSV rows without a company as leads without one', async () => {
      const csv = 'name,source,first_name,last_name,email\nCSV private person,test_drive_form,Cora,Csv,cora@csv.example\n';
      const upload = await t.request()
        .post('/crm/imports/csv')
        .set('Authorization', 'Bearer manager-token')
        .attach('file', Buffer.from(csv, 'utf8'), { filename: 'leads.csv', contentType: 'text/csv' })
        .expect(202);
      let run = upload.body;
      for (let i = 0; i < 500 && run.status !== 'succeeded' && run.status !== 'failed'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        run = (await t.as('manager').get(`/crm/imports/runs/${upload.body.id}`).expect(200)).body;
      }
      expect(run).toMatchObject({ status: 'succeeded', created: 1, failed: 0 });
      const lead = await t.dataSource.getRepository(Lead).findOneByOrFail({ name: 'CSV private person' });
      expect(lead).toMatchObject({ companyId: null, contactId: expect.any(Number) });
    });
  });

  describe('the qualification tab', () => {
    const written = {
      implementationOptions: 'Leasing through their bank, or keeping the old vans one more year — they asked about both.',
      influenceOnDecision: 'The fleet manager (Ann) decides; the CFO vetoes anything over budget. Ann\'s deputy only collects offers.',
      complianceWithCriteria: 'Show the 5-year service plan and the delivery dates of the last three fleet orders; offer a test drive.',
    };

    it('takes implementation options, influence on decision making and compliance with criteria as text a person writes', async () => {
      const lead = (await post(leadBody(f, written)).expect(201)).body;
      expect(lead).toMatchObject(written);
      await expect(t.as('agent').get(`/crm/leads/${lead.id}`).expect(200)).resolves.toMatchObject({ body: expect.objectContaining(written) });
      const former = { implementationOptions: 'lease', influenceOnDecision: 'Very high, see the notes', complianceWithCriteria: null };
      const changed = await t.as('agent').patch(`/crm/leads/${lead.id}`, former).expect(200);
      expect(changed.body).toMatchObject(former);
      const history = await t.as('agent').get(`/crm/leads/${lead.id}/history`).expect(200);
      expect(history.body.items[0].changes).toContainEqual({ field: 'influenceOnDecision', before: written.influenceOnDecision, after: 'Very high, see the notes' });
    });

    it('refuses text that is not a string or longer than 2,000 characters, naming the field', async () => {
      const long = await post(leadBody(f, { complianceWithCriteria: 'x'.repeat(2001) })).expect(400);
      expect(fieldErrors(long.body)).toEqual([['complianceWithCriteria', 'maxLength']]);
      const number = await post(leadBody(f, { influenceOnDecision: 3 })).expect(400);
      expect(fieldErrors(number.body)).toEqual(expect.arrayContaining([['influenceOnDecision', 'isString']]));
      await post(leadBody(f, { implementationOptions: 'x'.repeat(2000) })).expect(201);
    });

    it.each([
      ['procurementProcedure', 'tender'],
      ['decisionLevel', 'board'],
      ['terms', 'within_a_month'],
      ['contactPersonLevel', 'top_manager'],
    ])('keeps %s a fixed list of options', async (field, option) => {
      const refused = await post(leadBody(f, { [field]: 'whatever the agent typed' })).expect(400);
      expect(fieldErrors(refused.body)).toEqual([[field, 'isIn']]);
      await post(leadBody(f, { [field]: option })).expect(201);
    });

    it('documents the three as text and the four lists as enums in Swagger', async () => {
      const doc = (await t.as('anonymous').get('/docs-json').expect(200)).body;
      for (const schema of ['CreateLeadDto', 'UpdateLeadDto', 'LeadDto']) {
        const properties = doc.components.schemas[schema].properties;
        for (const field of Object.keys(written)) {
          expect({ schema, field, type: properties[field].type, enum: properties[field].enum }).toEqual({ schema, field, type: 'string', enum: undefined });
        }
        for (const field of ['procurementProcedure', 'decisionLevel', 'terms', 'contactPersonLevel']) expect(properties[field].enum).toEqual(expect.any(Array));
      }
    });
  });
});

/** The migration that made the three answers text, run over leads written with the former codes. */
describe('Lead qualification answers as text: the migration (e2e)', () => {
  let t: TestApp;
  const index = CRM_MIGRATIONS.findIndex((migration) => migration.name === 'CrmLeadQualificationText1764600000400');
  const undoThrough = async () => {
    for (let i = CRM_MIGRATIONS.length; i > index; i--) await t.dataSource.undoLastMigration();
  };
  const answers = async (id: number) =>
    t.dataSource
      .createQueryBuilder()
      .select('l.implementationOptions', 'implementationOptions')
      .addSelect('l.influenceOnDecision', 'influenceOnDecision')
      .addSelect('l.complianceWithCriteria', 'complianceWithCriteria')
      .from(Lead, 'l')
      .where('l.id = :id', { id })
      .getRawOne();
  const insertLead = async (values: object) => {
    const source = await t.query("SELECT id FROM crm_source WHERE code = 'inbound_call'");
    const direction = await t.query("SELECT id FROM crm_list_entry WHERE kind = 'sales_direction' AND code = 'general'");
    const result = await t.dataSource
      .createQueryBuilder()
      .insert()
      .into(Lead)
      .values({ name: 'Before the migration', sourceId: source[0].id, salesDirectionId: direction[0].id, createdById: 'someone', ...values })
      .execute();
    return Number(result.identifiers[0].id);
  };

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps each former code as its label, and anything else as it was; down turns labels back into codes', async () => {
    expect(index).toBeGreaterThan(0);
    await undoThrough();
    const coded = await insertLead({ implementationOptions: 'service_contract', influenceOnDecision: 'decisive', complianceWithCriteria: 'none' });
    const each = await Promise.all(
      [
        ['purchase', 'none', 'full'],
        ['lease', 'low', 'partial'],
        ['subscription', 'medium', 'unknown'],
        ['pilot', 'high', null],
        ['other', null, null],
      ].map(([implementationOptions, influenceOnDecision, complianceWithCriteria]) => insertLead({ implementationOptions, influenceOnDecision, complianceWithCriteria })),
    );
    const odd = await insertLead({ implementationOptions: 'hand-typed', influenceOnDecision: null, complianceWithCriteria: null });
    await t.dataSource.runMigrations();

    await expect(answers(coded)).resolves.toEqual({ implementationOptions: 'Service contract', influenceOnDecision: 'Decisive', complianceWithCriteria: 'None' });
    await expect(Promise.all(each.map(answers))).resolves.toEqual([
      { implementationOptions: 'Purchase', influenceOnDecision: 'None', complianceWithCriteria: 'Full' },
      { implementationOptions: 'Lease', influenceOnDecision: 'Low', complianceWithCriteria: 'Partial' },
      { implementationOptions: 'Subscription', influenceOnDecision: 'Medium', complianceWithCriteria: 'Unknown' },
      { implementationOptions: 'Pilot', influenceOnDecision: 'High', complianceWithCriteria: null },
      { implementationOptions: 'Other', influenceOnDecision: null, complianceWithCriteria: null },
    ]);
    await expect(answers(odd)).resolves.toEqual({ implementationOptions: 'hand-typed', influenceOnDecision: null, complianceWithCriteria: null });

    const prose = 'x'.repeat(1500);
    await t.dataSource.getRepository(Lead).update({ id: odd }, { influenceOnDecision: prose });
    await expect(answers(odd)).resolves.toMatchObject({ influenceOnDecision: prose });

    await undoThrough();
    await expect(answers(coded)).resolves.toEqual({ implementationOptions: 'service_contract', influenceOnDecision: 'decisive', complianceWithCriteria: 'none' });
    // Text the former lists cannot hold is emptied on the way down.
    await expect(answers(odd)).resolves.toEqual({ implementationOptions: null, influenceOnDecision: null, complianceWithCriteria: null });
    await t.dataSource.runMigrations();
    await expect(answers(each[1])).resolves.toEqual({ implementationOptions: 'Lease', influenceOnDecision: 'Low', complianceWithCriteria: 'Partial' });
  });
});
