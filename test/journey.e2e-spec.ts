import { TestApp } from './harness/test-app';

/**
 * The README walk-through, step by step through HTTP only: a web lead comes in with a lead-only
 * source and no company, an agent adds the company, qualifies and converts it, the customer shows the lead's source, and the
 * attribution report counts it converted.
 */
describe('Journey: from a web lead to an attributed customer (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('walks the whole way', async () => {
    // A manager sets up the directory (the agent as a person who can own records, a sales direction)
    // and gives the website an intake API key.
    await t.as('manager').post('/crm/people', { id: 'agent', displayName: 'Bob Agent' }).expect(201);
    await t.as('manager').post('/crm/sales-directions', { name: 'Fleet sales', code: 'fleet' }).expect(201);
    const { key } = (await t.as('manager').post('/crm/intake/keys', { name: 'Website' }).expect(201)).body;

    // The web quotation source is seeded, protected, and enabled for leads only.
    const sources = await t.as('agent').get('/crm/sources?q=source_web_quotation').expect(200);
    const web = sources.body.items[0];
    expect(web).toMatchObject({ code: 'source_web_quotation', forLeads: true, forCustomers: false });
    const customerPicker = await t.as('agent').get('/crm/sources?appliesTo=customer&limit=200').expect(200);
    expect(customerPicker.body.items.map((s: { id: number }) => s.id)).not.toContain(web.id);

    // A web lead comes in through the intake API.
    const intake = await t.request()
      .post('/crm/intake/leads')
      .set('X-Api-Key', key)
      .send({
        source: 'source_web_quotation',
        name: 'Quotation request: twelve vans',
        companyName: 'Globex Corp',
        firstName: 'Hank',
        lastName: 'Scorpio',
        email: 'hank@globex.example',
        salesDirection: 'fleet',
      })
      .expect(200);
    expect(intake.body).toMatchObject({ status: 'created', sourceId: web.id });
    const lead = (await t.as('agent').get(`/crm/leads/${intake.body.leadId}`).expect(200)).body;
    // Automatic intake files the lead without a company: the request typed a name, but no website or TIN.
    expect(lead).toMatchObject({ status: 'new', sourceId: web.id, leadCompanyName: 'Globex Corp', companyId: null, contactName: 'Hank Scorpio' });

    // The agent works it; qualifying it needs the company the form asks for.
    const working = (await t.as('agent').patch(`/crm/leads/${lead.id}`, { status: 'in_progress', version: lead.version }).expect(200)).body;
    const early = await t.as('agent').patch(`/crm/leads/${lead.id}`, { status: 'qualified', version: working.version }).expect(409);
    expect(early.body).toMatchObject({ code: 'CONFLICT', details: { missing: ['company'], fields: ['companyId'] } });
    const qualified = (
      await t
        .as('agent')
        .patch(`/crm/leads/${lead.id}`, { status: 'qualified', newCompany: { name: 'Globex Corp', website: 'https://globex.example', tin: '7701234567' }, version: working.version })
        .expect(200)
    ).body;
    expect(qualified).toMatchObject({ status: 'qualified', companyName: 'Globex Corp', contactId: lead.contactId });
    // Hank, whom intake filed under no company, is Globex's contact now.
    const hank = await t.as('agent').get(`/crm/contacts/${lead.contactId}`).expect(200);
    expect(hank.body.companyId).toBe(qualified.companyId);

    // Converting makes a customer and an opportunity in one go.
    const converted = await t
      .as('agent')
      .post(`/crm/leads/${lead.id}/convert`, { customer: { mode: 'create' }, opportunity: { title: 'Twelve vans', amount: '180000.00', currency: 'EUR' } })
      .expect(200);
    const { customer, opportunity } = converted.body;
    expect(converted.body.lead).toMatchObject({ status: 'converted', customerId: customer.id, opportunityId: opportunity.id });

    // The customer shows the lead's source, lead-only as it is, and links back to the lead.
    const read = await t.as('agent').get(`/crm/customers/${customer.id}`).expect(200);
    expect(read.body).toMatchObject({
      name: 'Globex Corp',
      companyId: qualified.companyId,
      primaryContactId: lead.contactId,
      leadId: lead.id,
      source: { id: web.id, code: 'source_web_quotation', name: 'Web Quotation' },
    });
    const leadAfter = await t.as('agent').get(`/crm/leads/${lead.id}`).expect(200);
    expect(leadAfter.body).toMatchObject({ status: 'converted', customerId: customer.id, opportunityId: opportunity.id });

    // The attribution report shows the web lead converted.
    const report = await t.as('agent').get('/crm/reports/attribution?entity=lead&groupBy=source').expect(200);
    expect(report.body.rows).toEqual([
      { sourceId: web.id, sourceCode: 'source_web_quotation', sourceName: 'Web Quotation', sourceType: 'website', count: 1, converted: 1, conversionRate: 1, opportunitiesWon: 0, wonAmount: '0.00' },
    ]);

    // The deal is won: the report credits the web source with it.
    await t.as('agent').patch(`/crm/opportunities/${opportunity.id}`, { stage: 'won', version: opportunity.version }).expect(200);
    const won = await t.as('agent').get('/crm/reports/attribution?entity=customer').set('Accept', 'text/csv').expect(200);
    expect(won.text.trim().split('\n')).toEqual([
      'sourceId,sourceCode,sourceName,sourceType,count,converted,conversionRate,opportunitiesWon,wonAmount',
      `${web.id},source_web_quotation,Web Quotation,website,1,1,1,1,180000.00`,
    ]);
  });
});
