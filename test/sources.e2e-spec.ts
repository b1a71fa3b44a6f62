import request from 'supertest';
import { Person } from '../modules/directory/person.entity';
import { Source } from '../modules/sources/source.entity';
import { TestApp } from './harness/test-app';

describe('Sources catalogue (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(async () => {
    await t?.close();
  });

  const create = (body: object, role = 'manager') =>
    t.as(role).post('/crm/sources', { type: 'website', name: 'Some Source', ...body });

  describe('the seeded catalogue', () => {
    it('lists the nine defaults in sequence order, with the source_web_* ones protected and lead-only', async () => {
      const res = await t.as('agent').get('/crm/sources?limit=200').expect(200);
      const codes = res.body.items.map((s: { code: string }) => s.code);
      expect(codes.slice(0, 9)).toEqual([
        'inbound_call',
        'outbound_call',
        'walkin',
        'referral',
        'source_web_quotation',
        'source_web_test_drive',
        'campaign',
        'social',
        'event',
      ]);
      const quotation = res.body.items.find((s: { code: string }) => s.code === 'source_web_quotation');
      expect(quotation).toMatchObject({ name: 'Web Quotation', type: 'website', protected: true, forLeads: true, forCustomers: false });
      const walkin = res.body.items.find((s: { code: string }) => s.code === 'walkin');
      expect(walkin).toMatchObject({ name: 'Walk-In', type: 'walk_in', protected: false, forLeads: true, forCustomers: true });
    });

    it('files the distributor sources under the seeded default sales direction, so imports work on a fresh install', async () => {
      const directions = await t.as('agent').get('/crm/sales-directions').expect(200);
      const general = directions.body.items.find((d: { code: string | null }) => d.code === 'general');
      expect(general).toMatchObject({ name: 'General', active: true });
      const web = await t.as('agent').get('/crm/sources?q=source_web').expect(200);
      expect(web.body.items.map((s: { defaultSalesDirectionId: number }) => s.defaultSalesDirectionId)).toEqual([general.id, general.id]);
    });

    it('running the migrations again changes nothing', async () => {
      const before = await t.dataSource.getRepository(Source).count();
      await expect(t.dataSource.runMigrations()).resolves.toEqual([]);
      await expect(t.dataSource.getRepository(Source).count()).resolves.toBe(before);
    });
  });

  describe('the picker', () => {
    beforeAll(async () => {
      await create({ code: 'lead_only_ads', name: 'Facebook Ads 50%', type: 'social_media', forCustomers: false, sequence: 5 }).expect(201);
      await create({ code: 'cust_only', name: 'Customer Portal', forLeads: false, sequence: 6 }).expect(201);
      const archived = await create({ code: 'old_campaign', name: 'Old Campaign', type: 'campaign' }).expect(201);
      await t.as('manager').post(`/crm/sources/${archived.body.id}/archive`).expect(200);
    });

    it('searches code or name anywhere, ignoring case', async () => {
      const byName = await t.as('agent').get('/crm/sources?q=FACEBOOK').expect(200);
      expect(byName.body.items.map((s: { code: string }) => s.code)).toEqual(['lead_only_ads']);
      const byCode = await t.as('agent').get('/crm/sources?q=only_a').expect(200);
      expect(byCode.body.items.map((s: { code: string }) => s.code)).toEqual(['lead_only_ads']);
    });

    it('treats LIKE wildcards in q as plain text', async () => {
      const res = await t.as('agent').get('/crm/sources?q=50%25').expect(200);
      expect(res.body.items.map((s: { code: string }) => s.code)).toEqual(['lead_only_ads']);
      const none = await t.as('agent').get('/crm/sources?q=_').expect(200);
      expect(none.body.items.every((s: { code: string; name: string }) => s.code.includes('_') || s.name.includes('_'))).toBe(true);
    });

    it('filters by what a source applies to', async () => {
      const leads = await t.as('agent').get('/crm/sources?appliesTo=lead&limit=200').expect(200);
      const leadCodes = leads.body.items.map((s: { code: string }) => s.code);
      expect(leadCodes).toContain('lead_only_ads');
      expect(leadCodes).not.toContain('cust_only');
      const customers = await t.as('agent').get('/crm/sources?appliesTo=customer&limit=200').expect(200);
      const customerCodes = customers.body.items.map((s: { code: string }) => s.code);
      expect(customerCodes).toContain('cust_only');
      expect(customerCodes).not.toContain('lead_only_ads');
      expect(customerCodes).not.toContain('source_web_quotation');
    });

    it('leaves archived sources out unless asked', async () => {
      const active = await t.as('agent').get('/crm/sources?limit=200').expect(200);
      expect(active.body.items.map((s: { code: string }) => s.code)).not.toContain('old_campaign');
      const all = await t.as('agent').get('/crm/sources?includeArchived=true&limit=200').expect(200);
      expect(all.body.items.find((s: { code: string }) => s.code === 'old_campaign')).toMatchObject({ active: false });
    });

    it('orders by sequence, then name, and pages with a total', async () => {
      const res = await t.as('agent').get('/crm/sources?limit=2&page=1').expect(200);
      expect(res.body.items.map((s: { code: string }) => s.code)).toEqual(['lead_only_ads', 'cust_only']);
      expect(res.body.total).toBeGreaterThanOrEqual(11);
      expect(res.body).toMatchObject({ page: 1, limit: 2 });
    });

    it('refuses a page larger than 200 and an unknown appliesTo, naming the parameter', async () => {
      const big = await t.as('agent').get('/crm/sources?limit=201').expect(400);
      expect(big.body.errors).toEqual([expect.objectContaining({ field: 'limit', rule: 'max' })]);
      const kind = await t.as('agent').get('/crm/sources?appliesTo=partner').expect(400);
      expect(kind.body.errors[0]).toMatchObject({ field: 'appliesTo', rule: 'isIn' });
      const flag = await t.as('agent').get('/crm/sources?includeArchived=yes').expect(400);
      expect(flag.body.errors[0]).toMatchObject({ field: 'includeArchived', rule: 'isBoolean' });
    });

    it('shows the name for the Accept-Language of the request, falling back to the default name', async () => {
      const created = await create({ code: 'fair', name: 'Trade Fair', type: 'event_exhibition', translations: { fr: 'Salon', 'pt-BR': 'Feira' } }).expect(201);
      const fr = await t.as('agent').get(`/crm/sources/${created.body.id}`).set('Accept-Language', 'fr-CA,fr;q=0.9').expect(200);
      expect(fr.body).toMatchObject({ name: 'Salon', defaultName: 'Trade Fair' });
      const pt = await t.as('agent').get('/crm/sources?q=fair').set('Accept-Language', 'de, pt-BR;q=0.8').expect(200);
      expect(pt.body.items[0].name).toBe('Feira');
      const de = await t.as('agent').get(`/crm/sources/${created.body.id}`).set('Accept-Language', 'de').expect(200);
      expect(de.body.name).toBe('Trade Fair');
    });
  });

  describe('creating', () => {
    it('creates with defaults and answers 201 with the source', async () => {
      const res = await create({ code: 'billboard', name: '  Billboard  ', type: 'campaign', matchKeys: ['bb-2026'] }).expect(201);
      expect(res.body).toMatchObject({
        code: 'billboard',
        name: 'Billboard',
        type: 'campaign',
        sequence: 10,
        active: true,
        forLeads: true,
        forCustomers: true,
        protected: false,
        matchKeys: ['bb-2026'],
        version: 1,
      });
      await t.as('agent').get(`/crm/sources/${res.body.id}`).expect(200);
    });

    it('refuses a taken code and a match key another source uses, with 409 naming the clash', async () => {
      const code = await create({ code: 'inbound_call' }).expect(409);
      expect(code.body).toMatchObject({ code: 'DUPLICATE', details: { field: 'code' } });
      const key = await create({ code: 'billboard_two', matchKeys: ['bb-2026'] }).expect(409);
      expect(key.body).toMatchObject({ code: 'DUPLICATE', details: { field: 'matchKeys', matchKey: 'bb-2026' } });
      await t.as('agent').get('/crm/sources?q=billboard_two').expect(200).expect((r) => expect(r.body.total).toBe(0));
    });

    it.each([
      ['an unknown field', { code: 'ok_code', color: 'red' }, 'color', 'unknownField'],
      ['a code breaking the pattern', { code: 'Bad-Code' }, 'code', 'matches'],
      ['a 21-character code', { code: 'a'.repeat(21) }, 'code', 'maxLength'],
      ['an unknown type', { code: 'ok_code', type: 'telepathy' }, 'type', 'isIn'],
      ['a missing name', { code: 'ok_code', name: undefined }, 'name', 'isString'],
      ['a non-boolean flag', { code: 'ok_code', forLeads: 'yes' }, 'forLeads', 'isBoolean'],
      ['bad translations', { code: 'ok_code', translations: { 'not a locale': 'x' } }, 'translations', 'isLocaleMap'],
      ['a repeated match key', { code: 'ok_code', matchKeys: ['a', 'a'] }, 'matchKeys', 'unique'],
    ])('refuses %s with 400 naming the field and the rule, writing nothing', async (_label, body, field, rule) => {
      const res = await create(body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
      await expect(t.dataSource.getRepository(Source).count({ where: { code: 'ok_code' } })).resolves.toBe(0);
    });

    it('accepts a 20-character code', async () => {
      await create({ code: 'a'.repeat(20) }).expect(201);
    });

    it('refuses a body that is not JSON', async () => {
      // Refused by the host's JSON body parser before any CRM route runs: not an answer the CRM's document describes.
      const res = await request(t.app.getHttpServer()).post('/crm/sources').set('Authorization', 'Bearer manager-token').set('Content-Type', 'application/json').send('{"code": ');
      expect(res.status).toBe(400);
      const plain = await t.as('manager').post('/crm/sources').set('Content-Type', 'text/plain').send('code=x');
      expect(plain.status).toBe(400);
      expect(plain.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'code' })]));
    });

    it('refuses a non-numeric id with 400 naming it', async () => {
      const res = await t.as('agent').get('/crm/sources/abc').expect(400);
      expect(res.body.errors).toEqual([{ field: 'id', rule: 'isInt', message: 'id must be a positive integer (a record id, at most 2147483647)' }]);
      await t.as('agent').get('/crm/sources/999999').expect(404);
    });
  });

  describe('editing', () => {
    let id: number;
    beforeEach(async () => {
      const res = await create({ code: `edit_${Date.now() % 1e9}`, name: 'Editable', matchKeys: [] }).expect(201);
      id = res.body.id;
    });

    it('renames with the version read, and a stale version gets 409 without losing the first change', async () => {
      const first = await t.as('manager').patch(`/crm/sources/${id}`, { name: 'Renamed', version: 1 }).expect(200);
      expect(first.body).toMatchObject({ name: 'Renamed', version: 2 });
      const stale = await t.as('manager').patch(`/crm/sources/${id}`, { name: 'Lost?', version: 1 }).expect(409);
      expect(stale.body).toMatchObject({ code: 'STALE_VERSION', details: { currentVersion: 2 } });
      await t.as('agent').get(`/crm/sources/${id}`).expect(200).expect((r) => expect(r.body.name).toBe('Renamed'));
    });

    it('takes the version from If-Match, and requires one', async () => {
      await t.as('manager').patch(`/crm/sources/${id}`, { sequence: 3 }).set('If-Match', '"1"').expect(200);
      const missing = await t.as('manager').patch(`/crm/sources/${id}`, { sequence: 4 }).expect(428);
      expect(missing.body.details).toMatchObject({ field: 'version' });
    });

    it('changes a code only with confirmCodeChange, and retires the old code', async () => {
      const current = await t.as('agent').get(`/crm/sources/${id}`).expect(200);
      const oldCode = current.body.code;
      const unconfirmed = await t.as('manager').patch(`/crm/sources/${id}`, { code: 'renamed_code', version: 1 }).expect(400);
      expect(unconfirmed.body.errors[0]).toMatchObject({ field: 'confirmCodeChange', rule: 'requiredForCodeChange' });
      await t.as('manager').patch(`/crm/sources/${id}`, { code: `${oldCode}_b`, version: 1, confirmCodeChange: true }).expect(200);
      const reuse = await create({ code: oldCode }).expect(409);
      expect(reuse.body.code).toBe('RETIRED_CODE');
    });

    it('lets protected sources be renamed, re-typed and re-sequenced, never re-coded or archived', async () => {
      const list = await t.as('agent').get('/crm/sources?q=source_web_quotation').expect(200);
      const quotation = list.body.items[0];
      const renamed = await t
        .as('manager')
        .patch(`/crm/sources/${quotation.id}`, { name: 'Website Quote', type: 'campaign', sequence: 1, version: quotation.version })
        .expect(200);
      expect(renamed.body).toMatchObject({ name: 'Website Quote', type: 'campaign', sequence: 1, protected: true });
      const recode = await t
        .as('manager')
        .patch(`/crm/sources/${quotation.id}`, { code: 'web_quote', confirmCodeChange: true, version: renamed.body.version })
        .expect(409);
      expect(recode.body.code).toBe('PROTECTED');
      expect(recode.body.message).toContain('source_web_quotation');
      const deactivate = await t.as('manager').patch(`/crm/sources/${quotation.id}`, { active: false, version: renamed.body.version }).expect(409);
      expect(deactivate.body.code).toBe('PROTECTED');
      await t.as('manager').post(`/crm/sources/${quotation.id}/archive`).expect(409);
      await t.as('manager').delete(`/crm/sources/${quotation.id}`).expect(409);
    });

    it('archives and restores, and an archived source stays readable by id', async () => {
      const archived = await t.as('manager').post(`/crm/sources/${id}/archive`).expect(200);
      expect(archived.body.active).toBe(false);
      await t.as('agent').get(`/crm/sources/${id}`).expect(200);
      const restored = await t.as('manager').post(`/crm/sources/${id}/restore`).expect(200);
      expect(restored.body.active).toBe(true);
    });

    it('writes every change to the history: who, what, before and after', async () => {
      await t.as('manager').patch(`/crm/sources/${id}`, { name: 'Audited', version: 1 }).expect(200);
      await t.as('admin').post(`/crm/sources/${id}/archive`).expect(200);
      const history = await t.as('agent').get(`/crm/sources/${id}/history`).expect(200);
      expect(history.body.items.map((e: { action: string }) => e.action)).toEqual(['archive', 'update', 'create']);
      expect(history.body.items[0]).toMatchObject({ actorId: 'admin', changes: [{ field: 'active', before: true, after: false }] });
      expect(history.body.items[1]).toMatchObject({ actorId: 'manager', changes: [{ field: 'name', before: 'Editable', after: 'Audited' }] });
    });
  });

  describe('deleting', () => {
    it('deletes an unused source (204), retires its code for good, and keeps its history', async () => {
      const res = await create({ code: 'mistake' }).expect(201);
      await t.as('manager').delete(`/crm/sources/${res.body.id}`).expect(204);
      await t.as('agent').get(`/crm/sources/${res.body.id}`).expect(404);
      const again = await create({ code: 'mistake' }).expect(409);
      expect(again.body.message).toContain('never reuse a deleted code');
      const history = await t.as('agent').get(`/crm/sources/${res.body.id}/history`).expect(200);
      expect(history.body.items[0].action).toBe('delete');
    });

    it('bulk-deletes all or nothing, naming the reason of each blocker', async () => {
      const a = await create({ code: 'bulk_a' }).expect(201);
      const b = await create({ code: 'bulk_b' }).expect(201);
      const protectedList = await t.as('agent').get('/crm/sources?q=source_web_test_drive').expect(200);
      const protectedId = protectedList.body.items[0].id;
      const blocked = await t.as('manager').post('/crm/sources/bulk-delete', { ids: [a.body.id, protectedId, b.body.id] }).expect(409);
      expect(blocked.body.details.blocked).toEqual([expect.objectContaining({ id: protectedId, reason: expect.stringContaining('protected') })]);
      await t.as('agent').get(`/crm/sources/${a.body.id}`).expect(200);
      await t.as('manager').post('/crm/sources/bulk-delete', { ids: [a.body.id, 999999] }).expect(404);
      await t.as('agent').get(`/crm/sources/${a.body.id}`).expect(200);
      await t.as('manager').post('/crm/sources/bulk-delete', { ids: [a.body.id, b.body.id] }).expect(204);
      await t.as('agent').get(`/crm/sources/${b.body.id}`).expect(404);
      const empty = await t.as('manager').post('/crm/sources/bulk-delete', { ids: [] }).expect(400);
      expect(empty.body.errors[0]).toMatchObject({ field: 'ids', rule: 'arrayNotEmpty' });
    });
  });

  describe('merging', () => {
    it('previews, then moves references and archives the merged source; protected ones are never merged away', async () => {
      const from = await create({ code: 'dup_fb', name: 'FB' }).expect(201);
      const into = await create({ code: 'facebook', name: 'Facebook' }).expect(201);
      const preview = await t.as('manager').post(`/crm/sources/${from.body.id}/merge?dryRun=true`, { intoId: into.body.id }).expect(200);
      expect(preview.body).toMatchObject({ sourceId: from.body.id, intoId: into.body.id, dryRun: true });
      await t.as('agent').get(`/crm/sources/${from.body.id}`).expect(200).expect((r) => expect(r.body.active).toBe(true));
      const merged = await t.as('manager').post(`/crm/sources/${from.body.id}/merge`, { intoId: into.body.id }).expect(200);
      expect(merged.body.dryRun).toBe(false);
      await t.as('agent').get(`/crm/sources/${from.body.id}`).expect(200).expect((r) => expect(r.body.active).toBe(false));
      const history = await t.as('agent').get(`/crm/sources/${from.body.id}/history`).expect(200);
      expect(history.body.items[0]).toMatchObject({ action: 'merge' });

      const self = await t.as('manager').post(`/crm/sources/${into.body.id}/merge`, { intoId: into.body.id }).expect(400);
      expect(self.body.errors[0]).toMatchObject({ field: 'intoId' });
      const protectedList = await t.as('agent').get('/crm/sources?q=source_web_test_drive').expect(200);
      const res = await t.as('manager').post(`/crm/sources/${protectedList.body.items[0].id}/merge`, { intoId: into.body.id }).expect(409);
      expect(res.body.code).toBe('PROTECTED');
      const intoArchived = await t.as('manager').post(`/crm/sources/${into.body.id}/merge`, { intoId: from.body.id }).expect(409);
      expect(intoArchived.body.message).toContain('archived');
    });

    it('answers the dry run and the merge in the same shape: every kind that can point at a source, zero counts included', async () => {
      const from = (await create({ code: 'shape_from', name: 'Shape From', forCustomers: true }).expect(201)).body.id;
      const into = (await create({ code: 'shape_into', name: 'Shape Into', forCustomers: true }).expect(201)).body.id;
      await t.dataSource.getRepository(Person).insert({ id: 'shape-owner', displayName: 'Shape Owner' });
      await t.as('manager').post('/crm/customers', { name: 'Shape Customer', sourceId: from, ownerId: 'shape-owner' }).expect(201);
      await t.as('manager').post('/crm/intake/keys', { name: 'Shape key', defaultSourceId: from }).expect(201);
      const expected = { leads: 0, customers: 1, opportunities: 0, 'intake keys': 1 };

      const preview = await t.as('manager').post(`/crm/sources/${from}/merge?dryRun=true`, { intoId: into }).expect(200);
      expect(preview.body.moved).toEqual(expected);
      const merged = await t.as('manager').post(`/crm/sources/${from}/merge`, { intoId: into }).expect(200);
      expect(merged.body.moved).toEqual(expected);
      expect(Object.keys(merged.body.moved)).toEqual(Object.keys(preview.body.moved));

      // Nothing left to move: both answers still name every kind, all zero.
      const again = await create({ code: 'shape_again', name: 'Shape Again' }).expect(201);
      const emptyPreview = await t.as('manager').post(`/crm/sources/${again.body.id}/merge?dryRun=true`, { intoId: into }).expect(200);
      const emptyMerge = await t.as('manager').post(`/crm/sources/${again.body.id}/merge`, { intoId: into }).expect(200);
      expect(emptyPreview.body.moved).toEqual({ leads: 0, customers: 0, opportunities: 0, 'intake keys': 0 });
      expect(emptyMerge.body.moved).toEqual(emptyPreview.body.moved);
    });
  });

  describe('access', () => {
    it('lets agents read but not write, and says which permission is missing', async () => {
      for (const role of ['agent', 'marketeer', 'partner']) {
        await t.as(role).get('/crm/sources').expect(200);
        const res = await create({ code: `by_${role}` }, role).expect(403);
        expect(res.body).toMatchObject({ code: 'FORBIDDEN', message: 'Missing permission sources.write' });
      }
      await create({ code: 'by_admin' }, 'admin').expect(201);
    });

    it('answers 401 without a caller and 403 for a caller with no CRM role', async () => {
      await t.as('anonymous').get('/crm/sources').expect(401);
      await t.as('anonymous').post('/crm/sources', { code: 'anon' }).expect(401);
      const res = await t.as('outsider').get('/crm/sources').expect(403);
      expect(res.body.message).toBe('Missing permission sources.read');
    });
  });
});
