import { Opportunity } from '../modules/opportunities/opportunity.entity';
import { TestApp } from './harness/test-app';
import { createCustomer, createLead, fieldErrors, SalesFixtures, seedSalesFixtures } from './sales/sales-fixtures';

describe('Opportunities (e2e)', () => {
  let t: TestApp;
  let f: SalesFixtures;
  let leadId: number;
  let customerId: number;

  beforeAll(async () => {
    t = await TestApp.start({ users: { reader: { id: 'reader', roles: [], permissions: ['opportunities.read'] } } });
    f = await seedSalesFixtures(t);
    leadId = (await createLead(t, f, { sourceId: f.webQuotationId }, { status: 'in_progress' })).id;
    customerId = (await createCustomer(t, { name: 'Opportunity Customer', sourceId: f.customerPortalId })).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const create = (body: object, role = 'agent') => t.as(role).post('/crm/opportunities', { title: 'Fleet renewal', ...body });

  describe('access', () => {
    it('needs opportunities.read to read and opportunities.write to change', async () => {
      await t.as('anonymous').get('/crm/opportunities').expect(401);
      const outsider = await t.as('outsider').get('/crm/opportunities/board').expect(403);
      expect(outsider.body.details).toEqual({ permission: 'opportunities.read' });
      await t.as('reader').get('/crm/opportunities').expect(200);
      const write = await create({ customerId }, 'reader').expect(403);
      expect(write.body.details).toEqual({ permission: 'opportunities.write' });
    });
  });

  describe('parents and sources', () => {
    it("gives a lead opportunity its lead's source, even a lead-only one", async () => {
      const res = await create({ leadId }).expect(201);
      expect(res.body).toMatchObject({
        leadId,
        customerId: null,
        originLeadId: leadId,
        source: { id: f.webQuotationId, code: 'source_web_quotation', name: 'Web Quotation' },
        stage: 'new',
        ownerId: 'agent',
        version: 1,
      });
    });

    it("gives a customer opportunity its customer's source, or another customer source", async () => {
      const inherited = await create({ customerId }).expect(201);
      expect(inherited.body).toMatchObject({ customerId, leadId: null, originLeadId: null, source: { id: f.customerPortalId } });
      const other = await create({ customerId, sourceId: f.referralId }).expect(201);
      expect(other.body.source.id).toBe(f.referralId);
    });

    it('accepts only sources of the parent kind', async () => {
      const onLead = await create({ leadId, sourceId: f.customerPortalId }).expect(400);
      expect(fieldErrors(onLead.body)).toEqual([['sourceId', 'sourceForLeads']]);
      const onCustomer = await create({ customerId, sourceId: f.webQuotationId }).expect(400);
      expect(fieldErrors(onCustomer.body)).toEqual([['sourceId', 'sourceForCustomers']]);
      const archived = await create({ customerId, sourceId: f.archivedId }).expect(400);
      expect(fieldErrors(archived.body)).toEqual([['sourceId', 'activeSource']]);
      const none = await create({ leadId, sourceId: null }).expect(400);
      expect(fieldErrors(none.body)).toEqual([['sourceId', 'required']]);
    });

    it('needs exactly one existing parent', async () => {
      const neither = await create({}).expect(400);
      expect(fieldErrors(neither.body)).toEqual([['leadId', 'exactlyOneParent']]);
      const both = await create({ leadId, customerId }).expect(400);
      expect(fieldErrors(both.body)).toEqual([['leadId', 'exactlyOneParent']]);
      const lead = await create({ leadId: 999999 }).expect(400);
      expect(fieldErrors(lead.body)).toEqual([['leadId', 'exists']]);
      const customer = await create({ customerId: 999999 }).expect(400);
      expect(fieldErrors(customer.body)).toEqual([['customerId', 'exists']]);
    });

    it("hides another partner's lead from a partner supervisor", async () => {
      const res = await create({ leadId }, 'partner').expect(400);
      expect(fieldErrors(res.body)).toEqual([['leadId', 'exists']]);
    });

    it('keeps a source that has since been archived until another is picked', async () => {
      const fair = (await t.as('manager').post('/crm/sources', { code: 'opp_fair', name: 'Opp Fair', type: 'event_exhibition' }).expect(201)).body.id;
      const opp = (await create({ customerId, sourceId: fair }).expect(201)).body;
      await t.as('manager').post(`/crm/sources/${fair}/archive`).expect(200);
      const kept = await t.as('agent').patch(`/crm/opportunities/${opp.id}`, { title: 'Renamed', sourceId: fair, version: 1 }).expect(200);
      expect(kept.body.source.id).toBe(fair);
      await t.as('agent').patch(`/crm/opportunities/${opp.id}`, { sourceId: f.referralId, version: 2 }).expect(200);
      const back = await t.as('agent').patch(`/crm/opportunities/${opp.id}`, { sourceId: fair, version: 3 }).expect(400);
      expect(fieldErrors(back.body)).toEqual([['sourceId', 'activeSource']]);
    });
  });

  describe('stage, money and owner', () => {
    it('requires a lost reason for lost, refuses one otherwise, and drops it on reopening', async () => {
      const noReason = await create({ customerId, stage: 'lost' }).expect(400);
      expect(fieldErrors(noReason.body)).toEqual([['lostReason', 'requiredWhenLost']]);
      const stray = await create({ customerId, lostReason: 'Too pricey' }).expect(400);
      expect(fieldErrors(stray.body)).toEqual([['lostReason', 'onlyWhenLost']]);
      const opp = (await create({ customerId }).expect(201)).body;
      const lostNoReason = await t.as('agent').patch(`/crm/opportunities/${opp.id}`, { stage: 'lost', version: 1 }).expect(400);
      expect(fieldErrors(lostNoReason.body)).toEqual([['lostReason', 'requiredWhenLost']]);
      const lost = await t.as('agent').patch(`/crm/opportunities/${opp.id}`, { stage: 'lost', lostReason: 'Too pricey', version: 1 }).expect(200);
      expect(lost.body).toMatchObject({ stage: 'lost', lostReason: 'Too pricey', version: 2 });
      expect(lost.body.closedAt).not.toBeNull();
      const reopened = await t.as('agent').patch(`/crm/opportunities/${opp.id}`, { stage: 'negotiation', version: 2 }).expect(200);
      expect(reopened.body).toMatchObject({ stage: 'negotiation', lostReason: null, closedAt: null });
    });

    it('audits stage changes with before and after', async () => {
      const opp = (await create({ customerId }).expect(201)).body;
      await t.as('agent').patch(`/crm/opportunities/${opp.id}`, { stage: 'proposal', version: 1 }).expect(200);
      const history = await t.as('reader').get(`/crm/opportunities/${opp.id}/history`).expect(200);
      expect(history.body.items[0]).toMatchObject({ action: 'stage_change', actorId: 'agent', changes: [{ field: 'stage', before: 'new', after: 'proposal' }] });
      expect(history.body.items[1]).toMatchObject({ action: 'create' });
    });

    it('keeps amounts as exact decimal strings with an ISO 4217 currency', async () => {
      const res = await create({ customerId, amount: '12500.5', currency: 'EUR', probability: 40, expectedCloseDate: '2027-03-31' }).expect(201);
      expect(res.body).toMatchObject({ amount: '12500.50', currency: 'EUR', probability: 40, expectedCloseDate: '2027-03-31' });
      const big = await create({ customerId, amount: '999999999999.99', currency: 'USD' }).expect(201);
      expect(big.body.amount).toBe('999999999999.99');
      const stored = await t.dataSource.getRepository(Opportunity).findOneByOrFail({ id: big.body.id });
      expect(stored.amount).toBe('999999999999.99');
    });

    it('refuses amounts that are not exact decimal strings, amounts without currency, and bad currencies, dates or probabilities', async () => {
      const number = await create({ customerId, amount: 12.5, currency: 'EUR' }).expect(400);
      expect(fieldErrors(number.body)).toContainEqual(['amount', 'isString']);
      const decimals = await create({ customerId, amount: '12.345', currency: 'EUR' }).expect(400);
      expect(fieldErrors(decimals.body)).toEqual([['amount', 'matches']]);
      const tooBig = await create({ customerId, amount: '1000000000000', currency: 'EUR' }).expect(400);
      expect(fieldErrors(tooBig.body)).toEqual([['amount', 'matches']]);
      const noCurrency = await create({ customerId, amount: '10.00' }).expect(400);
      expect(fieldErrors(noCurrency.body)).toEqual([['currency', 'requiredWithAmount']]);
      const currency = await create({ customerId, amount: '10.00', currency: 'EURO' }).expect(400);
      expect(fieldErrors(currency.body)).toEqual([['currency', 'isISO4217CurrencyCode']]);
      const probability = await create({ customerId, probability: 101 }).expect(400);
      expect(fieldErrors(probability.body)).toEqual([['probability', 'max']]);
      const date = await create({ customerId, expectedCloseDate: '2027-02-30' }).expect(400);
      expect(fieldErrors(date.body).map(([field]) => field)).toContain('expectedCloseDate');
      const stage = await create({ customerId, stage: 'closed' }).expect(400);
      expect(fieldErrors(stage.body)).toEqual([['stage', 'isIn']]);
    });

    it('needs an active owner, and refuses a stale version', async () => {
      const gone = await create({ customerId, ownerId: 'gone' }).expect(400);
      expect(fieldErrors(gone.body)).toEqual([['ownerId', 'activePerson']]);
      const opp = (await create({ customerId, ownerId: 'owner1' }).expect(201)).body;
      expect(opp.ownerId).toBe('owner1');
      await t.as('agent').patch(`/crm/opportunities/${opp.id}`, { title: 'Newer', version: 1 }).expect(200);
      const stale = await t.as('agent').patch(`/crm/opportunities/${opp.id}`, { title: 'Older', version: 1 }).expect(409);
      expect(stale.body.code).toBe('STALE_VERSION');
      await t.as('agent').get('/crm/opportunities/999999').expect(404);
    });
  });

  describe('list and board', () => {
    let boardCustomer: number;
    let ids: Record<string, number>;

    beforeAll(async () => {
      boardCustomer = (await createCustomer(t, { name: 'Board Customer', sourceId: f.referralId })).id;
      const make = async (title: string, body: object) => (await create({ title, customerId: boardCustomer, ...body }).expect(201)).body.id as number;
      ids = {
        a: await make('Board 10% A', { amount: '0.10', currency: 'EUR', stage: 'proposal' }),
        b: await make('Board B', { amount: '0.20', currency: 'EUR', stage: 'proposal', ownerId: 'owner1' }),
        c: await make('Board C', { amount: '100.00', currency: 'EUR', stage: 'won', sourceId: f.inboundCallId }),
        d: await make('Board D', { stage: 'new', sourceId: null }),
      };
    });

    const listIds = async (query: string) =>
      (await t.as('agent').get(`/crm/opportunities?customerId=${boardCustomer}&${query}`).expect(200)).body.items.map((o: { id: number }) => o.id);

    it('filters by stage, source, source type, owner, parent, period and title', async () => {
      await expect(listIds('stage=proposal&sort=amount&order=asc')).resolves.toEqual([ids.a, ids.b]);
      await expect(listIds(`sourceId=${f.inboundCallId}`)).resolves.toEqual([ids.c]);
      await expect(listIds('sourceType=referral&sort=title&order=asc')).resolves.toEqual([ids.a, ids.b]);
      await expect(listIds('ownerId=owner1')).resolves.toEqual([ids.b]);
      await expect(listIds('q=10%25')).resolves.toEqual([ids.a]);
      await expect(listIds('createdFrom=2999-01-01')).resolves.toEqual([]);
      await expect(listIds('createdTo=2999-01-01&sort=amount&order=desc')).resolves.toEqual([ids.c, ids.b, ids.a, ids.d]);
      const byLead = await t.as('agent').get(`/crm/opportunities?leadId=${leadId}`).expect(200);
      expect(byLead.body.items.every((o: { leadId: number }) => o.leadId === leadId)).toBe(true);
      expect(byLead.body.total).toBeGreaterThan(0);
    });

    it('pages at most 200 and validates the query', async () => {
      const page = await t.as('agent').get(`/crm/opportunities?customerId=${boardCustomer}&limit=2&page=2&sort=title&order=asc`).expect(200);
      expect(page.body).toMatchObject({ total: 4, page: 2, limit: 2, items: [{ id: ids.c }, { id: ids.d }] });
      const bad = await t.as('agent').get('/crm/opportunities?limit=201&sort=owner&stage=open&sourceType=tv&createdFrom=yesterday').expect(400);
      expect(fieldErrors(bad.body)).toEqual(
        expect.arrayContaining([['limit', 'max'], ['sort', 'isIn'], ['stage', 'isIn'], ['sourceType', 'isIn'], ['createdFrom', 'isDateString']]),
      );
    });

    it('groups the board by stage: every stage in pipeline order, with count, exact amount sum and cards', async () => {
      const res = await t.as('agent').get(`/crm/opportunities/board?groupBy=stage&customerId=${boardCustomer}&limit=1`).expect(200);
      expect(res.body.groupBy).toBe('stage');
      expect(res.body.columns.map((c: { key: string }) => c.key)).toEqual(['new', 'qualification', 'proposal', 'negotiation', 'won', 'lost']);
      const proposal = res.body.columns.find((c: { key: string }) => c.key === 'proposal');
      expect(proposal).toMatchObject({ label: 'Proposal', count: 2, amountSum: '0.30' });
      expect(proposal.cards).toHaveLength(1);
      const won = res.body.columns.find((c: { key: string }) => c.key === 'won');
      expect(won).toMatchObject({ count: 1, amountSum: '100.00', cards: [{ id: ids.c, amount: '100.00' }] });
      expect(res.body.columns.find((c: { key: string }) => c.key === 'lost')).toMatchObject({ count: 0, amountSum: '0.00', cards: [] });
    });

    it('groups the board by source, opportunities without a source last', async () => {
      const res = await t.as('agent').get(`/crm/opportunities/board?groupBy=source&customerId=${boardCustomer}`).expect(200);
      const columns = res.body.columns.map((c: { key: number | null; label: string; count: number; amountSum: string }) => [c.key, c.label, c.count, c.amountSum]);
      expect(columns).toEqual([
        [f.inboundCallId, 'Inbound Call', 1, '100.00'],
        [f.referralId, 'Referral', 2, '0.30'],
        [null, 'No source', 1, '0.00'],
      ]);
      // Every column's cards are its own, newest first, the column without a source included.
      expect(res.body.columns.map((c: { cards: { id: number }[] }) => c.cards.map((o) => o.id))).toEqual([[ids.c], [ids.b, ids.a], [ids.d]]);
      await t.as('agent').get('/crm/opportunities/board?groupBy=owner').expect(400);
    });
  });

  describe('source delete and merge', () => {
    it('refuses to delete a source an opportunity uses and moves opportunities on merge', async () => {
      const from = (await t.as('manager').post('/crm/sources', { code: 'opp_from', name: 'Opp From', type: 'referral' }).expect(201)).body.id;
      const into = (await t.as('manager').post('/crm/sources', { code: 'opp_into', name: 'Opp Into', type: 'referral' }).expect(201)).body.id;
      const opp = (await create({ customerId, sourceId: from }).expect(201)).body;
      const refused = await t.as('manager').delete(`/crm/sources/${from}`).expect(409);
      expect(refused.body).toMatchObject({ code: 'IN_USE', details: { references: { opportunities: 1 } } });
      const merged = await t.as('manager').post(`/crm/sources/${from}/merge`, { intoId: into }).expect(200);
      expect(merged.body.moved).toMatchObject({ opportunities: 1 });
      const moved = await t.as('agent').get(`/crm/opportunities/${opp.id}`).expect(200);
      expect(moved.body.source).toEqual({ id: into, code: 'opp_into', name: 'Opp Into' });
    });
  });
});
