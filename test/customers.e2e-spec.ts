import { AuditEntry } from '../modules/core/audit/audit-entry.entity';
import { Customer } from '../modules/customers/customer.entity';
import { TestApp } from './harness/test-app';
import { createCustomer, fieldErrors, SalesFixtures, seedSalesFixtures } from './sales/sales-fixtures';

describe('Customers (e2e)', () => {
  let t: TestApp;
  let f: SalesFixtures;

  beforeAll(async () => {
    t = await TestApp.start({
      users: {
        reader: { id: 'reader', roles: [], permissions: ['customers.read'] },
        catalogueReader: { id: 'catalogueReader', roles: [], permissions: ['sources.read'] },
      },
    });
    f = await seedSalesFixtures(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('access', () => {
    it('needs customers.read to read and customers.write to change; the source catalogue is a separate permission', async () => {
      await t.as('anonymous').get('/crm/customers').expect(401);
      const outsider = await t.as('outsider').get('/crm/customers').expect(403);
      expect(outsider.body.details).toEqual({ permission: 'customers.read' });
      await t.as('reader').get('/crm/customers').expect(200);
      const write = await t.as('reader').post('/crm/customers', { name: 'Nope' }).expect(403);
      expect(write.body.details).toEqual({ permission: 'customers.write' });
      await t.as('reader').get('/crm/sources').expect(403);
      await t.as('catalogueReader').get('/crm/customers').expect(403);
      await t.as('agent').post(`/crm/sources/${f.inboundCallId}/archive`).expect(403);
    });
  });

  describe('creating', () => {
    it('creates a customer with its source joined live, the caller as owner, and an audit entry', async () => {
      const res = await t
        .as('agent')
        .post('/crm/customers', { name: '  Acme Industries ', companyId: f.acmeId, primaryContactId: f.acmeContactId, sourceId: f.customerPortalId })
        .expect(201);
      expect(res.body).toMatchObject({
        name: 'Acme Industries',
        companyId: f.acmeId,
        primaryContactId: f.acmeContactId,
        ownerId: 'agent',
        status: 'active',
        source: { id: f.customerPortalId, code: 'customer_portal', name: 'Customer Portal' },
        leadId: null,
        version: 1,
      });
      const history = await t.as('agent').get(`/crm/customers/${res.body.id}/history`).expect(200);
      expect(history.body.items[0]).toMatchObject({ action: 'create', actorId: 'agent' });
      expect(history.body.items[0].changes).toContainEqual({ field: 'sourceId', before: null, after: f.customerPortalId });
    });

    it('accepts a customer without a source', async () => {
      const res = await t.as('agent').post('/crm/customers', { name: 'No Source Ltd', ownerId: 'owner1', status: 'inactive' }).expect(201);
      expect(res.body).toMatchObject({ source: null, ownerId: 'owner1', status: 'inactive' });
    });

    it('refuses a lead-only source on a new customer, naming the rule, and writes nothing', async () => {
      const before = await t.dataSource.getRepository(Customer).count();
      const res = await t.as('agent').post('/crm/customers', { name: 'Web Co', sourceId: f.webQuotationId }).expect(400);
      expect(fieldErrors(res.body)).toEqual([['sourceId', 'sourceForCustomers']]);
      expect(res.body.message).toContain('not enabled for customers');
      await expect(t.dataSource.getRepository(Customer).count()).resolves.toBe(before);
    });

    it('refuses an archived or unknown source', async () => {
      const archived = await t.as('agent').post('/crm/customers', { name: 'Old Co', sourceId: f.archivedId }).expect(400);
      expect(fieldErrors(archived.body)).toEqual([['sourceId', 'activeSource']]);
      const unknown = await t.as('agent').post('/crm/customers', { name: 'Old Co', sourceId: 999999 }).expect(400);
      expect(fieldErrors(unknown.body)).toEqual([['sourceId', 'exists']]);
    });

    it('needs an active owner, an existing company and a contact of that company', async () => {
      const gone = await t.as('agent').post('/crm/customers', { name: 'X', ownerId: 'gone' }).expect(400);
      expect(fieldErrors(gone.body)).toEqual([['ownerId', 'activePerson']]);
      const stranger = await t.as('agent').post('/crm/customers', { name: 'X', ownerId: 'nobody' }).expect(400);
      expect(fieldErrors(stranger.body)).toEqual([['ownerId', 'activePerson']]);
      const company = await t.as('agent').post('/crm/customers', { name: 'X', companyId: 999999 }).expect(400);
      expect(fieldErrors(company.body)).toEqual([['companyId', 'exists']]);
      const contact = await t.as('agent').post('/crm/customers', { name: 'X', companyId: f.acmeId, primaryContactId: f.globexContactId }).expect(400);
      expect(fieldErrors(contact.body)).toEqual([['primaryContactId', 'contactOfCompany']]);
    });

    it('validates the body: name required, unknown fields and wrong types refused', async () => {
      const res = await t.as('agent').post('/crm/customers', { sourceId: 'web', status: 'vip', extra: 1 }).expect(400);
      const errors = fieldErrors(res.body);
      expect(errors).toEqual(expect.arrayContaining([['name', 'isString'], ['sourceId', 'isInt'], ['status', 'isIn'], ['extra', 'unknownField']]));
    });
  });

  describe('reading', () => {
    it('answers 404 for an unknown customer and 400 for a malformed id', async () => {
      const missing = await t.as('agent').get('/crm/customers/999999').expect(404);
      expect(missing.body.code).toBe('NOT_FOUND');
      await t.as('agent').get('/crm/customers/abc').expect(400);
      await t.as('agent').get('/crm/customers/999999/history').expect(404);
    });

    it('filters by source, owner, company, status and name, and pages', async () => {
      const a = await createCustomer(t, { name: 'Filter 100% Alpha', sourceId: f.referralId, ownerId: 'owner1', companyId: f.globexId });
      const b = await createCustomer(t, { name: 'Filter Beta', sourceId: f.referralId, status: 'inactive' });
      const ids = async (query: string) => (await t.as('agent').get(`/crm/customers?${query}`).expect(200)).body.items.map((c: { id: number }) => c.id);
      await expect(ids(`sourceId=${f.referralId}`)).resolves.toEqual([b.id, a.id]);
      await expect(ids(`sourceId=${f.referralId}&ownerId=owner1`)).resolves.toEqual([a.id]);
      await expect(ids(`companyId=${f.globexId}`)).resolves.toEqual([a.id]);
      await expect(ids(`sourceId=${f.referralId}&status=inactive`)).resolves.toEqual([b.id]);
      await expect(ids('q=FILTER')).resolves.toEqual([b.id, a.id]);
      await expect(ids('q=100%25')).resolves.toEqual([a.id]);
      const page = await t.as('agent').get(`/crm/customers?sourceId=${f.referralId}&limit=1&page=2`).expect(200);
      expect(page.body).toMatchObject({ total: 2, page: 2, limit: 1, items: [{ id: a.id }] });
      const bad = await t.as('agent').get('/crm/customers?limit=201&status=gold').expect(400);
      expect(fieldErrors(bad.body)).toEqual(expect.arrayContaining([['limit', 'max'], ['status', 'isIn']]));
    });
  });

  describe('changing', () => {
    it('changes fields from the version read, audits them, and refuses a stale or missing version', async () => {
      const customer = await createCustomer(t, { name: 'Change Me', sourceId: f.referralId });
      const res = await t.as('agent').patch(`/crm/customers/${customer.id}`, { name: 'Changed', status: 'inactive', version: 1 }).expect(200);
      expect(res.body).toMatchObject({ name: 'Changed', status: 'inactive', version: 2, source: { id: f.referralId } });
      const stale = await t.as('agent').patch(`/crm/customers/${customer.id}`, { name: 'Lost update', version: 1 }).expect(409);
      expect(stale.body).toMatchObject({ code: 'STALE_VERSION', details: { currentVersion: 2 } });
      const missing = await t.as('agent').patch(`/crm/customers/${customer.id}`, { name: 'No version' }).expect(400);
      expect(fieldErrors(missing.body)).toContainEqual(['version', 'isInt']);
      const history = await t.as('agent').get(`/crm/customers/${customer.id}/history`).expect(200);
      expect(history.body.items[0]).toMatchObject({ action: 'update' });
      expect(history.body.items[0].changes).toEqual(
        expect.arrayContaining([{ field: 'name', before: 'Change Me', after: 'Changed' }, { field: 'status', before: 'active', after: 'inactive' }]),
      );
      await t.as('agent').patch('/crm/customers/999999', { name: 'X', version: 1 }).expect(404);
    });

    it('keeps a source that has since been archived until another is picked, then only accepts customer sources', async () => {
      const fair = (await t.as('manager').post('/crm/sources', { code: 'spring_fair', name: 'Spring Fair', type: 'event_exhibition' }).expect(201)).body.id;
      const customer = await createCustomer(t, { name: 'Fair Visitor', sourceId: fair });
      await t.as('manager').post(`/crm/sources/${fair}/archive`).expect(200);
      const kept = await t.as('agent').patch(`/crm/customers/${customer.id}`, { name: 'Fair Visitor Ltd', sourceId: fair, version: 1 }).expect(200);
      expect(kept.body.source).toMatchObject({ id: fair, code: 'spring_fair' });
      const leadOnly = await t.as('agent').patch(`/crm/customers/${customer.id}`, { sourceId: f.webQuotationId, version: 2 }).expect(400);
      expect(fieldErrors(leadOnly.body)).toEqual([['sourceId', 'sourceForCustomers']]);
      const changed = await t.as('agent').patch(`/crm/customers/${customer.id}`, { sourceId: f.referralId, version: 2 }).expect(200);
      expect(changed.body.source.id).toBe(f.referralId);
      const back = await t.as('agent').patch(`/crm/customers/${customer.id}`, { sourceId: fair, version: 3 }).expect(400);
      expect(fieldErrors(back.body)).toEqual([['sourceId', 'activeSource']]);
      const cleared = await t.as('agent').patch(`/crm/customers/${customer.id}`, { sourceId: null, version: 3 }).expect(200);
      expect(cleared.body.source).toBeNull();
    });

    it('relabels every customer at once when a source is renamed', async () => {
      const rename = (await t.as('manager').post('/crm/sources', { code: 'rename_me', name: 'Before Rename', type: 'referral' }).expect(201)).body;
      const one = await createCustomer(t, { name: 'Renamed One', sourceId: rename.id });
      const two = await createCustomer(t, { name: 'Renamed Two', sourceId: rename.id });
      await t.as('manager').patch(`/crm/sources/${rename.id}`, { name: 'After Rename', version: rename.version }).expect(200);
      for (const id of [one.id, two.id]) {
        const res = await t.as('agent').get(`/crm/customers/${id}`).expect(200);
        expect(res.body.source).toEqual({ id: rename.id, code: 'rename_me', name: 'After Rename' });
      }
      const list = await t.as('agent').get(`/crm/customers?sourceId=${rename.id}`).expect(200);
      expect(list.body.items.map((c: { source: { name: string } }) => c.source.name)).toEqual(['After Rename', 'After Rename']);
    });
  });

  describe('source delete and merge', () => {
    it('refuses to delete a source a customer uses, counting the customers', async () => {
      const used = (await t.as('manager').post('/crm/sources', { code: 'used_by_customer', name: 'Used', type: 'referral' }).expect(201)).body.id;
      await createCustomer(t, { name: 'User Of Source', sourceId: used });
      const res = await t.as('manager').delete(`/crm/sources/${used}`).expect(409);
      expect(res.body).toMatchObject({ code: 'IN_USE', details: { references: { customers: 1 } } });
      expect(res.body.message).toContain('1 customers');
    });

    it('moves customers to the target source on merge', async () => {
      const from = (await t.as('manager').post('/crm/sources', { code: 'merge_from', name: 'Merge From', type: 'referral' }).expect(201)).body.id;
      const into = (await t.as('manager').post('/crm/sources', { code: 'merge_into', name: 'Merge Into', type: 'referral' }).expect(201)).body.id;
      const a = await createCustomer(t, { name: 'Merged A', sourceId: from });
      const b = await createCustomer(t, { name: 'Merged B', sourceId: from });
      const dry = await t.as('manager').post(`/crm/sources/${from}/merge?dryRun=true`, { intoId: into }).expect(200);
      expect(dry.body.moved).toMatchObject({ customers: 2 });
      const res = await t.as('manager').post(`/crm/sources/${from}/merge`, { intoId: into }).expect(200);
      expect(res.body.moved).toMatchObject({ customers: 2 });
      for (const id of [a.id, b.id]) {
        const customer = await t.as('agent').get(`/crm/customers/${id}`).expect(200);
        expect(customer.body.source).toMatchObject({ id: into, code: 'merge_into' });
      }
      await t.as('manager').delete(`/crm/sources/${from}`).expect(204);
    });
  });

  it('writes nothing to the audit log for a refused change', async () => {
    const customer = await createCustomer(t, { name: 'Audit Quiet' });
    const before = await t.dataSource.getRepository(AuditEntry).count();
    await t.as('agent').patch(`/crm/customers/${customer.id}`, { ownerId: 'gone', version: 1 }).expect(400);
    await expect(t.dataSource.getRepository(AuditEntry).count()).resolves.toBe(before);
  });
});
