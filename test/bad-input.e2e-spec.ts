import request from 'supertest';
import { TestApp } from './harness/test-app';
import { createCustomer, createLead, fieldErrors, SalesFixtures, seedSalesFixtures } from './sales/sales-fixtures';

/*
 * Input the fuzz suite (fuzz.e2e-spec.ts) found answered 500, each reproduced here by hand: every one
 * must be a 400 naming the field and the rule, and nothing may be written.
 */
describe('Bad input (e2e)', () => {
  let t: TestApp;
  let f: SalesFixtures;

  beforeAll(async () => {
    t = await TestApp.start();
    f = await seedSalesFixtures(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A POST of JSON written as text (the harness's client would send an object). */
  const send = (role: string, url: string, json: string) =>
    request(t.app.getHttpServer()).post(url).set('Authorization', `Bearer ${role}-token`).set('Content-Type', 'application/json').send(json);
  const refused = (body: { errors?: { field: string; rule: string }[] }, field: string, rule: string) =>
    expect(fieldErrors(body)).toContainEqual([field, rule]);

  describe('null for a field that cannot be empty', () => {
    it('is refused on PATCH of a source, for every such field, naming it', async () => {
      const source = (await t.as('manager').post('/crm/sources', { code: 'null_probe', name: 'Null Probe', type: 'website' }).expect(201)).body;
      const fields = ['name', 'type', 'sequence', 'active', 'forLeads', 'forCustomers', 'routingMode', 'updateLead', 'updateContact', 'showDoNotContact', 'routingTeamIds', 'matchKeys', 'translations', 'code'];
      for (const field of fields) {
        const res = await t.as('manager').patch(`/crm/sources/${source.id}`, { [field]: null, version: source.version });
        expect([field, res.status]).toEqual([field, 400]);
        refused(res.body, field, 'required');
      }
      const after = (await t.as('manager').get(`/crm/sources/${source.id}`).expect(200)).body;
      expect(after).toMatchObject({ name: 'Null Probe', type: 'website', version: source.version });
    });

    it('still clears a field that may be empty', async () => {
      const source = (await t.as('manager').post('/crm/sources', { code: 'null_clear', name: 'Null Clear', type: 'website', productCategory: 'vans' }).expect(201)).body;
      const res = await t.as('manager').patch(`/crm/sources/${source.id}`, { productCategory: null, version: source.version }).expect(200);
      expect(res.body.productCategory).toBeNull();
    });

    it('is refused on PATCH of a customer and of an opportunity', async () => {
      const customer = await createCustomer(t, { name: 'Null Customer' });
      for (const field of ['name', 'status']) {
        const res = await t.as('agent').patch(`/crm/customers/${customer.id}`, { [field]: null, version: customer.version }).expect(400);
        refused(res.body, field, 'required');
      }
      const opportunity = (await t.as('agent').post('/crm/opportunities', { title: 'Null deal', customerId: customer.id }).expect(201)).body;
      for (const field of ['title', 'stage']) {
        const res = await t.as('agent').patch(`/crm/opportunities/${opportunity.id}`, { [field]: null, version: opportunity.version }).expect(400);
        refused(res.body, field, 'required');
      }
    });

    it('is refused for leadId on POST of an opportunity', async () => {
      const res = await t.as('agent').post('/crm/opportunities', { title: 'x', leadId: null }).expect(400);
      refused(res.body, 'leadId', 'required');
    });

    it('is refused inside a nested object, by its dotted path', async () => {
      const res = await t.as('agent').post('/crm/leads', { name: 'Nested null', sourceId: f.inboundCallId, salesDirectionId: f.salesDirectionId, newCompany: { name: null } }).expect(400);
      expect(fieldErrors(res.body).map(([field]) => field)).toContain('newCompany.name');
    });
  });

  describe('deeply nested JSON', () => {
    // Written as text: JSON.stringify itself would overflow the stack on 10,000 levels.
    const arrays = (depth: number) => '['.repeat(depth) + '"x"' + ']'.repeat(depth);
    const objects = (depth: number) => '{"a":'.repeat(depth) + '"x"' + '}'.repeat(depth);

    it('is refused with a 400 naming the field, for arrays and for objects', async () => {
      const deepArrays = await send('manager', '/crm/sources', `{"code":"deep","name":"Deep","type":"website","matchKeys":${arrays(10_000)}}`).expect(400);
      expect(fieldErrors(deepArrays.body)).toEqual([['matchKeys', 'maxDepth']]);
      const deepObjects = await send('manager', '/crm/sources', `{"code":"deep","name":"Deep","type":"website","translations":${objects(10_000)}}`).expect(400);
      expect(fieldErrors(deepObjects.body)).toEqual([['translations', 'maxDepth']]);
      const deepBody = await send('agent', '/crm/customers', arrays(10_000)).expect(400);
      expect(fieldErrors(deepBody.body)).toEqual([['body', 'maxDepth']]);
      const nested = await send('agent', '/crm/leads', `{"name":"Deep","sourceId":1,"newCompany":${objects(10_000)}}`).expect(400);
      expect(fieldErrors(nested.body)).toEqual([['newCompany', 'maxDepth']]);
      expect((await t.as('agent').get('/crm/sources?limit=200').expect(200)).body.items.map((s: { code: string }) => s.code)).not.toContain('deep');
    });
  });

  describe('page bounds', () => {
    it('refuses a page or a limit beyond the bound, naming it', async () => {
      for (const page of ['9223372036854775808', '99999999999999999999', '1e308']) {
        const res = await t.as('agent').get(`/crm/leads?page=${page}`).expect(400);
        expect(fieldErrors(res.body)).toEqual([['page', 'max']]);
        expect(res.body.message).toContain('1000000');
      }
      const limit = await t.as('agent').get('/crm/sources?limit=99999999999999999999').expect(400);
      expect(fieldErrors(limit.body)).toEqual([['limit', 'max']]);
      const last = await t.as('agent').get('/crm/leads?page=1000000').expect(200);
      expect(last.body).toMatchObject({ items: [], page: 1000000 });
    });
  });

  describe('lengths as the database counts them', () => {
    it('counts variation selectors as characters, as a utf8mb4 column does', async () => {
      const name = '\u2764\uFE0F'.repeat(61); // 122 characters to the database, 61 to class-validator's MaxLength
      const res = await t.as('manager').post('/crm/sources', { code: 'hearts', name, type: 'website' }).expect(400);
      expect(fieldErrors(res.body)).toEqual([['name', 'maxLength']]);
      const fits = await t.as('manager').post('/crm/sources', { code: 'hearts', name: '\u2764\uFE0F'.repeat(60), type: 'website' }).expect(201);
      expect([...fits.body.name]).toHaveLength(120);
    });

    it('counts an astral character (a surrogate pair) as one', async () => {
      await t.as('manager').post('/crm/sources', { code: 'astral', name: '\u{1F697}'.repeat(120), type: 'website' }).expect(201);
    });

    it('refuses text with a lone surrogate, naming the field', async () => {
      const res = await t.as('agent').post('/crm/leads', {
        name: 'Lone surrogate',
        sourceId: f.inboundCallId,
        salesDirectionId: f.salesDirectionId,
        newCompany: { name: 'Surrogate Ltd' },
        newContact: { firstName: 'Sam', lastName: 'Lone', email: 'sam\uD800@lone.example' },
      }).expect(400);
      expect(fieldErrors(res.body)).toContainEqual(['newContact.email', 'wellFormed']);
      const raw = await send('manager', '/crm/sources', '{"code":"lone","name":"a\\udc00b","type":"website","matchKeys":["ok","\\ud83d"]}').expect(400);
      expect(fieldErrors(raw.body)).toEqual([['name', 'wellFormed'], ['matchKeys.1', 'wellFormed']]);
    });
  });

  describe('integer columns', () => {
    it('refuses an integer a 32-bit column cannot hold, naming the field', async () => {
      for (const sequence of [2 ** 31, 2 ** 53 + 1, -(2 ** 31) - 1]) {
        const res = await t.as('manager').post('/crm/sources', { code: 'big_sequence', name: 'Big', type: 'website', sequence }).expect(400);
        expect(fieldErrors(res.body).map(([field]) => field)).toEqual(['sequence']);
      }
      const res = await t.as('manager').post('/crm/sources', { code: 'big_sequence', name: 'Big', type: 'website', sequence: 2 ** 31 - 1 }).expect(201);
      expect(res.body.sequence).toBe(2 ** 31 - 1);
      const id = await t.as('agent').get(`/crm/leads?sourceId=${2 ** 31}`).expect(400);
      expect(fieldErrors(id.body)).toEqual([['sourceId', 'max']]);
      const path = await t.as('agent').get('/crm/sources/99999999999999999999').expect(400);
      expect(fieldErrors(path.body)).toEqual([['id', 'isInt']]);
    });
  });

  describe('dates', () => {
    it('refuses a day the calendar does not have, in filters and in bodies', async () => {
      for (const date of ['2026-02-30', '2026-02-29', '2026-13-01', '2026-04-31T10:00:00Z']) {
        const res = await t.as('agent').get(`/crm/leads?createdFrom=${date}`).expect(400);
        expect(fieldErrors(res.body)).toEqual([['createdFrom', 'isDateString']]);
      }
      const report = await t.as('manager').get('/crm/reports/attribution?from=2026-02-30').expect(400);
      expect(fieldErrors(report.body)).toEqual([['from', 'isDateString']]);
      await t.as('agent').get('/crm/leads?createdFrom=2028-02-29').expect(200);
      await t.as('manager').get('/crm/reports/attribution?from=2026-01-01T10:00:00.000Z&to=2026-03-01').expect(200);
    });
  });

  describe('the CSV upload', () => {
    it('refuses multipart without a boundary with a 400 naming the file', async () => {
      const res = await t.as('manager').post('/crm/imports/csv').set('Content-Type', 'multipart/form-data').send('name,source\nA,web\n').expect(400);
      expect(fieldErrors(res.body)).toEqual([['file', 'multipart']]);
    });
  });

  describe('deleting a lead something refers to', () => {
    it('answers 409 naming what refers to it, and deletes nothing', async () => {
      const lead = await createLead(t, f, { name: 'Referred lead' }, { status: 'in_progress' });
      await t.as('agent').post('/crm/opportunities', { title: 'Its deal', leadId: lead.id }).expect(201);
      const res = await t.as('manager').delete(`/crm/leads/${lead.id}`).expect(409);
      expect(res.body).toMatchObject({ code: 'IN_USE', details: { references: { opportunities: 1 } } });
      expect(res.body.message).toContain('1 opportunities');
      await t.as('agent').get(`/crm/leads/${lead.id}`).expect(200);
    });

    it('names the customer a converted lead became', async () => {
      const lead = await createLead(t, f, { name: 'Converted lead' });
      await t.as('agent').post(`/crm/leads/${lead.id}/convert`, { customer: { mode: 'create' } }).expect(200);
      const res = await t.as('manager').delete(`/crm/leads/${lead.id}`).expect(409);
      expect(res.body).toMatchObject({ code: 'IN_USE', details: { references: { customers: 1 } } });
      await t.as('agent').get(`/crm/leads/${lead.id}`).expect(200);
    });
  });
});
