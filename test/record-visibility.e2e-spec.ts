import { RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { CRM_ACCESS_KEY, CRM_RECORD_SCOPE_KEY, type CrmAccessRule, type CrmRecordScope, RecordVisibility } from '../modules';
import { TestApp } from './harness/test-app';
import { ok, seedVisibilityFixtures, VISIBILITY_USERS, type PartnerRecords, type VisibilityFixtures } from './visibility/visibility-fixtures';

/**
 * Two partner companies with a supervisor each, and a manager: what partner 1 may reach of partner
 * 2's records and of the staff's own. Every probe of issue 10, then a walk of every registered route.
 */
describe('Record visibility (e2e)', () => {
  let t: TestApp;
  let f: VisibilityFixtures;
  beforeAll(async () => {
    t = await TestApp.start({ users: VISIBILITY_USERS });
    f = await seedVisibilityFixtures(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Partner 2's records and the staff's: none of them is partner 1's to see. */
  const foreign = (): PartnerRecords[] => [f.p2, f.internal];
  const ids = (body: { items: { id: number | string }[] }) => body.items.map((item) => item.id).sort();
  const sorted = (...values: (number | string)[]) => [...values].sort();

  /** A 404 exactly as for an id that does not exist. */
  async function expectHidden(res: PromiseLike<{ status: number; body: { code?: string } }>) {
    const answer = await res;
    expect([answer.status, answer.body.code]).toEqual([404, 'NOT_FOUND']);
  }

  describe('opportunities', () => {
    it("lists, pages and filters only the partner's own", async () => {
      const list = await ok(t.as('partner').get('/crm/opportunities?limit=1'), 200);
      expect(list.total).toBe(2);
      const all = await ok(t.as('partner').get('/crm/opportunities'), 200);
      expect(ids(all as never)).toEqual(sorted(f.p1.wonOpportunityId, f.p1.leadOpportunityId));
      const byForeignLead = await ok(t.as('partner').get(`/crm/opportunities?leadId=${f.p2.openLeadId}`), 200);
      expect([byForeignLead.total, byForeignLead.items]).toEqual([0, []]);
      const byForeignCustomer = await ok(t.as('partner').get(`/crm/opportunities?customerId=${f.p2.customerId}`), 200);
      expect(byForeignCustomer.total).toBe(0);
      expect((await ok(t.as('manager').get('/crm/opportunities'), 200)).total).toBe(6);
    });

    it("keeps another partner's and the staff's out of reach: read, history and edit are 404, nothing saved", async () => {
      for (const side of foreign()) {
        for (const id of [side.wonOpportunityId, side.leadOpportunityId]) {
          await expectHidden(t.as('partner').get(`/crm/opportunities/${id}`));
          await expectHidden(t.as('partner').get(`/crm/opportunities/${id}/history`));
          await expectHidden(t.as('partner').patch(`/crm/opportunities/${id}`, { title: 'Taken over', version: 1 }));
          const seen = await ok(t.as('manager').get(`/crm/opportunities/${id}`), 200);
          expect(seen.title).not.toBe('Taken over');
        }
      }
      await ok(t.as('partner').get(`/crm/opportunities/${f.p1.wonOpportunityId}/history`), 200);
    });

    it('counts and sums on both boards only what the partner sees', async () => {
      for (const groupBy of ['stage', 'source']) {
        const board = await ok(t.as('partner').get(`/crm/opportunities/board?groupBy=${groupBy}`), 200);
        const columns = board.columns as { count: number; amountSum: string; cards: { id: number }[] }[];
        expect(columns.reduce((n, c) => n + c.count, 0)).toBe(2);
        expect(columns.reduce((sum, c) => sum + Number(c.amountSum), 0)).toBe(1010);
        expect(columns.flatMap((c) => c.cards.map((card) => card.id)).sort()).toEqual(sorted(f.p1.wonOpportunityId, f.p1.leadOpportunityId));
      }
      const all = await ok(t.as('manager').get('/crm/opportunities/board?groupBy=stage'), 200);
      expect((all.columns as { count: number }[]).reduce((n, c) => n + c.count, 0)).toBe(6);
    });

    it('refuses an opportunity on a customer or lead the partner cannot see, as if it did not exist', async () => {
      const missingCustomer = await ok(t.as('partner').post('/crm/opportunities', { customerId: 999999, title: 'Ghost' }), 400);
      for (const side of foreign()) {
        const onCustomer = await ok(t.as('partner').post('/crm/opportunities', { customerId: side.customerId, title: 'Poached' }), 400);
        expect(fieldsOf(onCustomer)).toEqual(fieldsOf(missingCustomer));
        expect(fieldsOf(onCustomer)).toEqual([['customerId', 'exists']]);
        const onLead = await ok(t.as('partner').post('/crm/opportunities', { leadId: side.openLeadId, title: 'Poached' }), 400);
        expect(fieldsOf(onLead)).toEqual([['leadId', 'exists']]);
      }
      expect((await ok(t.as('manager').get('/crm/opportunities?q=Poached'), 200)).total).toBe(0);
    });
  });

  describe('customers', () => {
    it("lists only the customers converted from the partner's leads, which carry its partner company", async () => {
      const list = await ok(t.as('partner').get('/crm/customers'), 200);
      expect([list.total, ids(list as never)]).toEqual([1, [f.p1.customerId]]);
      expect((list.items as { partnerCompanyId: number }[])[0].partnerCompanyId).toBe(1);
      expect((await ok(t.as('manager').get('/crm/customers'), 200)).total).toBe(3);
    });

    it("hides another partner's and the staff's customers: read, history and edit are 404, nothing saved", async () => {
      for (const side of foreign()) {
        await expectHidden(t.as('partner').get(`/crm/customers/${side.customerId}`));
        await expectHidden(t.as('partner').get(`/crm/customers/${side.customerId}/history`));
        await expectHidden(t.as('partner').patch(`/crm/customers/${side.customerId}`, { name: 'Taken over', version: 1 }));
        expect((await ok(t.as('manager').get(`/crm/customers/${side.customerId}`), 200)).name).not.toBe('Taken over');
      }
    });

    it("files a partner's new customer under its partner company, and refuses a company it cannot see", async () => {
      const own = await ok(t.as('partner').post('/crm/customers', { name: 'Partner walk-in', companyId: f.p1.prospectCompanyId }), 201);
      expect(own.partnerCompanyId).toBe(1);
      await ok(t.as('partner').get(`/crm/customers/${own.id}`), 200);
      await expectHidden(t.as('partner2').get(`/crm/customers/${own.id}`));
      const poached = await ok(t.as('partner').post('/crm/customers', { name: 'Poached', companyId: f.p2.companyId }), 400);
      expect(fieldsOf(poached)).toEqual([['companyId', 'exists']]);
      const contact = await ok(t.as('partner').post('/crm/customers', { name: 'Poached', primaryContactId: f.p2.contactId }), 400);
      expect(fieldsOf(contact)).toEqual([['primaryContactId', 'exists']]);
    });
  });

  describe('companies and contacts', () => {
    it("lists the partner's own company and its leads' companies and contacts, no others", async () => {
      const companies = await ok(t.as('partner').get('/crm/companies'), 200);
      expect(ids(companies as never)).toEqual(sorted(1, f.p1.companyId, f.p1.prospectCompanyId));
      const contacts = await ok(t.as('partner').get('/crm/contacts'), 200);
      expect(ids(contacts as never)).toEqual(sorted(f.p1.contactId, f.p1.prospectContactId));
      const searched = await ok(t.as('partner').get('/crm/contacts?q=two-1@example.com'), 200);
      expect(searched.total).toBe(0);
    });

    it("hides another partner's and the staff's: read, history and edit are 404, the contact keeps its email", async () => {
      for (const side of foreign()) {
        for (const id of [side.companyId, side.prospectCompanyId]) {
          await expectHidden(t.as('partner').get(`/crm/companies/${id}`));
          await expectHidden(t.as('partner').get(`/crm/companies/${id}/history`));
          await expectHidden(t.as('partner').patch(`/crm/companies/${id}`, { city: 'Taken over' }));
        }
        for (const id of [side.contactId, side.prospectContactId]) {
          await expectHidden(t.as('partner').get(`/crm/contacts/${id}`));
          await expectHidden(t.as('partner').get(`/crm/contacts/${id}/history`));
          await expectHidden(t.as('partner').patch(`/crm/contacts/${id}`, { email: 'stolen@example.com' }));
          expect((await ok(t.as('manager').get(`/crm/contacts/${id}`), 200)).email).not.toBe('stolen@example.com');
        }
      }
      await expectHidden(t.as('partner').get('/crm/companies/2'));
    });

    it("refuses pointing the partner's lead at a company or contact it cannot see (400 naming the field, as for a missing id)", async () => {
      const body = { name: 'Poached lead', sourceId: f.inboundCallId, salesDirectionId: f.salesDirectionId };
      const missing = await ok(t.as('partner').post('/crm/leads', { ...body, companyId: 999999, contactId: f.p1.contactId }), 400);
      const company = await ok(t.as('partner').post('/crm/leads', { ...body, companyId: f.p2.companyId, contactId: f.p2.contactId }), 400);
      expect(fieldsOf(company)).toEqual(fieldsOf(missing));
      expect(fieldsOf(company)).toEqual([['companyId', 'exists']]);
      const contact = await ok(t.as('partner').post('/crm/leads', { ...body, companyId: f.p1.companyId, contactId: f.p2.contactId }), 400);
      expect(fieldsOf(contact)).toEqual([['contactId', 'exists']]);
      const moved = await ok(t.as('partner').patch(`/crm/leads/${f.p1.openLeadId}`, { companyId: f.p2.prospectCompanyId, newContact: { firstName: 'New', lastName: 'Face' } }), 400);
      expect(fieldsOf(moved)).toEqual([['companyId', 'exists']]);
      const contactOf = await ok(t.as('partner').post('/crm/contacts', { companyId: f.p2.companyId, firstName: 'Sneaky', lastName: 'Contact' }), 400);
      expect(fieldsOf(contactOf)).toEqual([['companyId', 'exists']]);
      const lead = await ok(t.as('manager').get(`/crm/leads/${f.p1.openLeadId}`), 200);
      expect(lead.companyId).toBe(f.p1.prospectCompanyId);
    });

    it('keeps what a partner supervisor creates visible to that partner only, and names no hidden holder of a duplicate', async () => {
      const company = await ok(t.as('partner').post('/crm/companies', { name: 'Partner Find', website: 'partner-find.example', tin: '770000001' }), 201);
      await ok(t.as('partner').get(`/crm/companies/${company.id}`), 200);
      await expectHidden(t.as('partner2').get(`/crm/companies/${company.id}`));
      const contact = await ok(t.as('partner').post('/crm/contacts', { companyId: company.id, firstName: 'Fay', lastName: 'Find' }), 201);
      await ok(t.as('partner').get(`/crm/contacts/${contact.id}`), 200);
      await expectHidden(t.as('partner2').get(`/crm/contacts/${contact.id}`));
      const clash = await ok(t.as('partner').post('/crm/companies', { name: 'two vans Ltd', website: 'elsewhere.example', tin: '770000002' }), 409);
      expect(clash).toMatchObject({ code: 'DUPLICATE', details: { field: 'name' } });
      expect(JSON.stringify(clash)).not.toContain(String(f.p2.companyId));
      const named = await ok(t.as('manager').post('/crm/companies', { name: 'two vans Ltd', website: 'elsewhere.example', tin: '770000002' }), 409);
      expect(named.details).toMatchObject({ field: 'name', existingId: f.p2.companyId });
    });
  });

  describe('reports', () => {
    it("counts only the partner's records and won amounts in GET /crm/reports/attribution", async () => {
      const totals = async (role: string, entity: string) => (await ok(t.as(role).get(`/crm/reports/attribution?entity=${entity}`), 200)).totals;
      expect(await totals('partner', 'lead')).toMatchObject({ count: 2, converted: 1, opportunitiesWon: 1, wonAmount: '1000.00' });
      expect(await totals('partner', 'opportunity')).toMatchObject({ count: 2, opportunitiesWon: 1, wonAmount: '1000.00' });
      expect(await totals('partner2', 'lead')).toMatchObject({ count: 2, converted: 1, opportunitiesWon: 1, wonAmount: '5000.00' });
      expect(await totals('manager', 'lead')).toMatchObject({ converted: 3, opportunitiesWon: 3, wonAmount: '6300.00' });
      const customers = await totals('partner', 'customer');
      expect(customers).toMatchObject({ opportunitiesWon: 1, wonAmount: '1000.00' });
    });
  });

  describe('leads and conversion', () => {
    it("finds, reads and converts only the partner's own leads", async () => {
      const list = await ok(t.as('partner').get('/crm/leads?limit=1'), 200);
      expect(list.total).toBeGreaterThanOrEqual(2);
      const all = await ok(t.as('partner').get('/crm/leads?limit=100'), 200);
      for (const side of foreign()) {
        expect(ids(all as never)).not.toContain(side.openLeadId);
        await expectHidden(t.as('partner').get(`/crm/leads/${side.openLeadId}`));
        await expectHidden(t.as('partner').get(`/crm/leads/${side.openLeadId}/history`));
        await expectHidden(t.as('partner').post(`/crm/leads/${side.openLeadId}/convert`, { customer: { mode: 'create' } }));
        // Converted already: still a 404, not the 409 that would tell it exists.
        await expectHidden(t.as('partner').post(`/crm/leads/${side.convertedLeadId}/convert`, { customer: { mode: 'create' } }));
      }
    });

    it("refuses linking the partner's lead to a customer it cannot see, converting nothing", async () => {
      const lead = await ok(
        t.as('partner').post('/crm/leads', {
          name: 'Link probe',
          sourceId: f.inboundCallId,
          salesDirectionId: f.salesDirectionId,
          newCompany: { name: 'Link probe Ltd', website: 'link-probe.example', tin: '770000003' },
          newContact: { firstName: 'Lin', lastName: 'Probe' },
        }),
        201,
      );
      const qualified = await ok(t.as('partner').patch(`/crm/leads/${lead.id}`, { status: 'qualified', version: lead.version }), 200);
      const refused = await ok(t.as('partner').post(`/crm/leads/${lead.id}/convert`, { customer: { mode: 'link', customerId: f.p2.customerId } }), 400);
      expect(fieldsOf(refused)).toEqual([['customer.customerId', 'exists']]);
      expect((await ok(t.as('partner').get(`/crm/leads/${lead.id}`), 200)).status).toBe(qualified.status);
    });
  });

  describe('the directory', () => {
    it('shows a partner supervisor themself, their desk and the owners of what they see; their desk team only', async () => {
      const people = await ok(t.as('partner').get('/crm/people'), 200);
      expect(ids(people as never)).toEqual(['desk1', 'partner']);
      for (const id of ['desk2', 'partner2', 'staff', 'manager']) {
        await expectHidden(t.as('partner').get(`/crm/people/${id}`));
        await expectHidden(t.as('partner').get(`/crm/people/${id}/history`));
      }
      const teams = await ok(t.as('partner').get('/crm/teams'), 200);
      expect(ids(teams as never)).toEqual([f.p1.teamId]);
      await expectHidden(t.as('partner').get(`/crm/teams/${f.internal.teamId}`));
      await expectHidden(t.as('partner').get(`/crm/teams/${f.p2.teamId}/history`));
      expect(ids((await ok(t.as('partner2').get('/crm/people'), 200)) as never)).toEqual(['desk2', 'partner2']);
    });

    it("shows of a person's teams only the partner's own (desk1 is also in the staff's team)", async () => {
      expect((await ok(t.as('partner').get('/crm/people/desk1'), 200)).teamIds).toEqual([f.p1.teamId]);
      const listed = await ok(t.as('partner').get('/crm/people?q=desk1'), 200);
      expect((listed.items as { teamIds: number[] }[]).map((p) => p.teamIds)).toEqual([[f.p1.teamId]]);
      expect((await ok(t.as('manager').get('/crm/people/desk1'), 200)).teamIds).toEqual(sorted(f.p1.teamId, f.internal.teamId));
    });

    it("hands the partner's records only to people it sees; any other owner is refused as unknown", async () => {
      const body = {
        name: 'Owner probe',
        sourceId: f.inboundCallId,
        salesDirectionId: f.salesDirectionId,
        newCompany: { name: 'Owner probe Ltd', website: 'owner-probe.example', tin: '770000004' },
        newContact: { firstName: 'Owen', lastName: 'Probe' },
      };
      const unknown = await ok(t.as('partner').post('/crm/leads', { ...body, ownerId: 'nobody' }), 400);
      for (const ownerId of ['staff', 'desk2']) {
        const refused = await ok(t.as('partner').post('/crm/leads', { ...body, ownerId }), 400);
        expect(fieldsOf(refused)).toEqual(fieldsOf(unknown));
        expect(fieldsOf(refused)).toEqual([['ownerId', 'activePerson']]);
      }
      const opportunity = await ok(t.as('partner').get(`/crm/opportunities/${f.p1.leadOpportunityId}`), 200);
      const handed = await ok(t.as('partner').patch(`/crm/opportunities/${f.p1.leadOpportunityId}`, { ownerId: 'staff', version: opportunity.version }), 400);
      expect(fieldsOf(handed)).toEqual([['ownerId', 'activePerson']]);
      const customer = await ok(t.as('partner').post('/crm/customers', { name: 'Owner probe customer', ownerId: 'manager' }), 400);
      expect(fieldsOf(customer)).toEqual([['ownerId', 'activePerson']]);
      await ok(t.as('partner').post('/crm/leads', { ...body, ownerId: 'desk1' }), 201);
    });

    it('shares the catalogue: sources and lists read the same for a partner as for the staff', async () => {
      const sources = async (role: string) => (await ok(t.as(role).get('/crm/sources?limit=100'), 200)).total;
      expect(await sources('partner')).toBe(await sources('agent'));
      const directions = await ok(t.as('partner').get('/crm/sales-directions'), 200);
      expect(ids(directions as never)).toContain(f.salesDirectionId);
    });

    it('closes the staff-only routes to partner supervisors whatever their permissions', async () => {
      for (const url of ['/crm/imports/runs', '/crm/intake/keys', '/crm/intake/rejected']) {
        const res = await ok(t.as('walker').get(url), 403);
        expect(res.code).toBe('FORBIDDEN');
      }
      await ok(t.as('walker').post('/crm/imports/distributor/run'), 403);
      await ok(t.as('manager').get('/crm/intake/keys'), 200);
    });
  });

  describe('route walk', () => {
    interface WalkedRoute {
      name: string;
      method: string;
      path: string;
      rule?: CrmAccessRule;
      scope?: CrmRecordScope;
    }

    /** Every route handler of every controller in the app, with its access rule, record scope and full path. */
    function routes(): WalkedRoute[] {
      const discovery = new DiscoveryService(t.app.get(ModulesContainer));
      const scanner = new MetadataScanner();
      return discovery.getControllers().flatMap((wrapper) => {
        const prototype = Object.getPrototypeOf(wrapper.instance as object);
        const controller = wrapper.metatype as object;
        const metadata = <T>(key: string, handler: object): T | undefined => Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller);
        return scanner
          .getAllMethodNames(prototype)
          .filter((name) => Reflect.getMetadata(METHOD_METADATA, prototype[name]) !== undefined)
          .map((name) => {
            const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, prototype[name]) as number];
            const path = `/crm/${Reflect.getMetadata(PATH_METADATA, controller)}/${Reflect.getMetadata(PATH_METADATA, prototype[name])}`.replace(/\/+$/, '').replace(/\/\//g, '/');
            return {
              name: `${method} ${path}`,
              method,
              path,
              rule: metadata<CrmAccessRule>(CRM_ACCESS_KEY, prototype[name]),
              scope: metadata<CrmRecordScope>(CRM_RECORD_SCOPE_KEY, prototype[name]),
            };
          });
      });
    }

    const hidden = (): Record<string, (string | number)[]> => ({
      lead: foreign().flatMap((s) => [s.convertedLeadId, s.openLeadId]),
      customer: foreign().map((s) => s.customerId),
      opportunity: foreign().flatMap((s) => [s.wonOpportunityId, s.leadOpportunityId]),
      company: [2, ...foreign().flatMap((s) => [s.companyId, s.prospectCompanyId])],
      contact: foreign().flatMap((s) => [s.contactId, s.prospectContactId]),
      person: ['partner2', 'desk2', 'staff', 'manager'],
      team: foreign().map((s) => s.teamId),
    });

    /** A valid body for each write on one record, so the walk reaches the visibility check past validation. */
    const bodies: Record<string, object> = {
      'PATCH lead': { city: 'Walked' },
      'POST lead': { customer: { mode: 'create' } },
      'PATCH customer': { name: 'Walked', version: 1 },
      'PATCH opportunity': { title: 'Walked', version: 1 },
      'PATCH company': { city: 'Walked' },
      'PATCH contact': { jobTitle: 'Walked' },
      'PATCH person': { displayName: 'Walked' },
      'PATCH team': { name: 'Walked' },
    };

    const visibility = () => t.app.get(RecordVisibility);
    const walkerCaller = { id: 'partner', roles: [], permissions: new Set(), partnerCompanyId: 1 } as never;
    const open = (r: WalkedRoute) => !r.rule?.public;

    it('finds a record-visibility decision on every route, naming only registered kinds', () => {
      const all = routes().filter(open);
      expect(all.length).toBeGreaterThanOrEqual(60);
      expect(all.filter((r) => !r.scope).map((r) => r.name)).toEqual([]);
      const registered = new Set(visibility().kinds());
      const kinds = all.flatMap((r) => (r.scope && 'kinds' in r.scope ? r.scope.kinds : []));
      expect(kinds.filter((kind) => !registered.has(kind))).toEqual([]);
      const scoped = all.filter((r) => r.scope && 'kinds' in r.scope);
      const denied = all.filter((r) => r.scope && 'denied' in r.scope);
      expect(scoped.length + denied.length).toBe(all.length);
      console.info(`route walk: ${all.length} routes, ${scoped.length} scoped by record kind, ${denied.length} staff-only, ${routes().length - all.length} public`);
    });

    it("answers 404 on every record route for another partner's or the staff's record, and 403 on staff-only routes", async () => {
      const walked: string[] = [];
      for (const route of routes().filter(open)) {
        const scope = route.scope!;
        const client = t.as('walker');
        const call = (url: string, body?: object) => {
          switch (route.method) {
            case 'GET':
              return client.get(url);
            case 'POST':
              return client.post(url, body);
            case 'PATCH':
              return client.patch(url, body);
            case 'PUT':
              return client.put(url, body);
            default:
              return client.delete(url);
          }
        };
        if ('denied' in scope) {
          const res = await call(route.path.replace(/:\w+/g, '1'), {});
          expect([route.name, res.status]).toEqual([route.name, 403]);
          walked.push(route.name);
          continue;
        }
        const kind = scope.kinds[0];
        if (!route.path.includes(':id') || !visibility().restricts(walkerCaller, kind)) continue;
        for (const id of hidden()[kind] ?? []) {
          const res = await call(route.path.replace(':id', String(id)), bodies[`${route.method} ${kind}`] ?? {});
          expect([route.name, id, res.status, res.body.code]).toEqual([route.name, id, 404, 'NOT_FOUND']);
        }
        walked.push(route.name);
      }
      expect(walked.length).toBeGreaterThanOrEqual(30);
    });

    it('lists, boards and searches of every scoped kind show none of those records', async () => {
      let checked = 0;
      for (const route of routes().filter((r) => open(r) && r.method === 'GET' && !r.path.includes(':') && r.scope && 'kinds' in r.scope)) {
        const kind = (route.scope as { kinds: string[] }).kinds[0];
        if (!visibility().restricts(walkerCaller, kind)) continue;
        const res = await t.as('walker').get(route.path);
        expect([route.name, res.status]).toEqual([route.name, 200]);
        const shown = collectIds(res.body);
        expect([route.name, shown.filter((id) => (hidden()[kind] ?? []).includes(id))]).toEqual([route.name, []]);
        checked++;
      }
      expect(checked).toBeGreaterThanOrEqual(8);
    });
  });
});

/** `[field, rule]` of each error of a 400. */
function fieldsOf(body: object): [string, string][] {
  return (((body as { errors?: unknown }).errors ?? []) as { field: string; rule: string }[]).map((e) => [e.field, e.rule]);
}

/** The ids of the records a list or board shows: `items[].id` and `columns[].cards[].id`. */
function collectIds(body: { items?: { id: number | string }[]; columns?: { cards: { id: number }[] }[] }): (number | string)[] {
  return [...(body.items ?? []).map((item) => item.id), ...(body.columns ?? []).flatMap((column) => column.cards.map((card) => card.id))];
}
