import { Lead } from '../modules/leads/lead.entity';
import { TestApp } from './harness/test-app';
import { fieldErrors, leadBody, LeadFixtures, seedLeadFixtures } from './leads/lead-fixtures';

describe('Leads: the list and the board (e2e)', () => {
  let t: TestApp;
  let f: LeadFixtures;
  const ids: Record<string, number> = {};

  const names = (body: { items: { name: string }[] }) => body.items.map((l) => l.name);
  const list = async (query: string, role = 'agent') => (await t.as(role).get(`/crm/leads?${query}`).expect(200)).body;

  beforeAll(async () => {
    t = await TestApp.start();
    f = await seedLeadFixtures(t);
    const create = async (key: string, overrides: object, createdAt: string, role = 'agent') => {
      const res = await t.as(role).post('/crm/leads', leadBody(f, { name: key, ...overrides })).expect(201);
      ids[key] = res.body.id;
      // Fixed creation times make the order and the date filters exact.
      await t.dataSource.getRepository(Lead).update({ id: res.body.id }, { createdAt: new Date(createdAt) });
    };
    await create(
      'Alpha vans',
      { ownerId: 'owner1', companyId: f.acmeId, contactId: f.acmeContactId, estimatedCloseDate: '2026-03-01', budgetIsSet: true, budget: '90000.50', estimatedAmount: '125000', customerRequirements: 'Ten vans, "electric"' },
      '2026-01-05T10:00:00Z',
    );
    // Each lead but Alpha's has a company and a contact of its own, so the company filter and the search tell them apart.
    const own = (n: number, first: string, last: string) => ({
      newCompany: { name: `${last} Holding`, website: `${last.toLowerCase()}-holding.example`, tin: `20000000${n}` },
      newContact: { firstName: first, lastName: last },
    });
    await create('Bravo trucks', { ownerId: 'owner2', sourceId: f.referralId, leadCompanyName: 'Bravo 50% Logistics', estimatedCloseDate: '2026-02-01', ...own(1, 'Bert', 'Bravo') }, '2026-01-10T10:00:00Z');
    await create(
      'Charlie buses',
      { sourceId: f.webQuotationId, ...own(2, 'Carla', 'Chase'), newContact: { firstName: 'Carla', lastName: 'Chase', email: 'Carla@Chase.example', phone: '+44 20 7946 0000' } },
      '2026-01-15T10:00:00Z',
    );
    await create('Delta cars', { ownerId: 'owner1', estimatedCloseDate: '2026-04-01', ...own(3, 'Dora', 'Delta') }, '2026-01-20T10:00:00Z');
    await create('Echo partner lead', own(4, 'Eve', 'Echo'), '2026-01-25T10:00:00Z', 'partner');
    await t.as('agent').patch(`/crm/leads/${ids['Delta cars']}`, { status: 'in_progress' }).expect(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('GET /crm/leads', () => {
    it('lists newest first by default, with the total', async () => {
      const body = await list('');
      expect(names(body)).toEqual(['Echo partner lead', 'Delta cars', 'Charlie buses', 'Bravo trucks', 'Alpha vans']);
      expect(body).toMatchObject({ total: 5, page: 1, limit: 50 });
    });

    it('shows each lead as reading it alone does: every field, of every type, converted alike', async () => {
      const { items } = await list('');
      for (const item of items) expect(item).toEqual((await t.as('agent').get(`/crm/leads/${item.id}`).expect(200)).body);
      expect(items.find((l: { name: string }) => l.name === 'Alpha vans')).toMatchObject({ budgetIsSet: true, budget: '90000.50', estimatedAmount: '125000.00', estimatedCloseDate: '2026-03-01', convertedAt: null });
    });

    it('filters by status, source, source type, owner, company, partner company and creation dates', async () => {
      expect(names(await list('status=in_progress'))).toEqual(['Delta cars']);
      expect(names(await list(`sourceId=${f.referralId}`))).toEqual(['Bravo trucks']);
      expect(names(await list('sourceType=website'))).toEqual(['Charlie buses']);
      expect(names(await list('ownerId=owner1'))).toEqual(['Delta cars', 'Alpha vans']);
      expect(names(await list(`companyId=${f.acmeId}`))).toEqual(['Alpha vans']);
      expect(names(await list(`partnerCompanyId=${f.partnerCompanyId}`))).toEqual(['Echo partner lead']);
      expect(names(await list('createdFrom=2026-01-10&createdTo=2026-01-20'))).toEqual(['Charlie buses', 'Bravo trucks']);
      expect(names(await list('ownerId=owner1&status=new'))).toEqual(['Alpha vans']);
    });

    it('searches the title, company name, contact name, email and phone', async () => {
      expect(names(await list('q=VANS'))).toEqual(['Alpha vans']);
      expect(names(await list('q=acme industries'))).toEqual(['Alpha vans']);
      expect(names(await list('q=50%25 logistics'))).toEqual(['Bravo trucks']);
      expect(names(await list('q=carla chase'))).toEqual(['Charlie buses']);
      expect(names(await list('q=chase carla'))).toEqual(['Charlie buses']);
      expect(names(await list('q=carla@chase'))).toEqual(['Charlie buses']);
      expect(names(await list('q=7946 0000'))).toEqual(['Charlie buses']);
      expect(names(await list('q=010-2000'))).toEqual(['Alpha vans']);
      expect((await list('q=_')).total).toBe(0);
    });

    it('sorts by name or close date either way, and pages', async () => {
      expect(names(await list('sort=name&order=asc'))).toEqual(['Alpha vans', 'Bravo trucks', 'Charlie buses', 'Delta cars', 'Echo partner lead']);
      const byClose = names(await list('sort=estimatedCloseDate&order=asc&ownerId=owner1'));
      expect(byClose).toEqual(['Alpha vans', 'Delta cars']);
      const page = await list('sort=createdAt&order=asc&limit=2&page=2');
      expect(names(page)).toEqual(['Charlie buses', 'Delta cars']);
      expect(page).toMatchObject({ total: 5, page: 2, limit: 2 });
    });

    it('refuses pages over 200 and unknown filters or sorts, naming the parameter', async () => {
      const big = await t.as('agent').get('/crm/leads?limit=201').expect(400);
      expect(fieldErrors(big.body)).toEqual([['limit', 'max']]);
      const sort = await t.as('agent').get('/crm/leads?sort=budget').expect(400);
      expect(fieldErrors(sort.body)).toEqual([['sort', 'isIn']]);
      const status = await t.as('agent').get('/crm/leads?status=won').expect(400);
      expect(fieldErrors(status.body)).toEqual([['status', 'isIn']]);
      const date = await t.as('agent').get('/crm/leads?createdFrom=yesterday').expect(400);
      expect(fieldErrors(date.body)).toEqual([['createdFrom', 'isDateString']]);
    });

    it('shows a partner supervisor only their partner company\'s leads', async () => {
      expect(names(await list('', 'partner'))).toEqual(['Echo partner lead']);
    });

    it('needs leads.read', async () => {
      await t.as('outsider').get('/crm/leads').expect(403);
    });
  });

  describe('GET /crm/leads/board', () => {
    it('groups by status in status order, with counts and the first cards', async () => {
      const res = await t.as('agent').get('/crm/leads/board?groupBy=status&limit=2').expect(200);
      expect(res.body.groupBy).toBe('status');
      expect(res.body.columns.map((c: { key: string; count: number }) => [c.key, c.count])).toEqual([
        ['new', 4],
        ['in_progress', 1],
        ['qualified', 0],
        ['converted', 0],
        ['lost', 0],
      ]);
      const fresh = res.body.columns[0];
      expect(fresh.label).toBe('New');
      expect(fresh.cards.map((l: { name: string }) => l.name)).toEqual(['Echo partner lead', 'Charlie buses']);
      // A card carries what a kanban card shows, each value as the lead itself shows it.
      const [card] = fresh.cards;
      const lead = (await t.as('agent').get(`/crm/leads/${card.id}`).expect(200)).body;
      const shown = ['id', 'name', 'sourceId', 'status', 'ownerId', 'leadCompanyName', 'companyId', 'companyName', 'contactId', 'contactName', 'contactEmail', 'contactPhone', 'contactMasked', 'partnerCompanyId', 'estimatedAmount', 'estimatedCloseDate', 'version', 'createdAt', 'updatedAt'];
      expect(Object.keys(card).sort()).toEqual([...shown].sort());
      expect(card).toEqual(Object.fromEntries(shown.map((key) => [key, lead[key]])));
    });

    it('groups by source in source sequence order, applying the filters', async () => {
      const res = await t.as('agent').get('/crm/leads/board?groupBy=source').expect(200);
      const columns: { key: number; label: string; count: number; cards: unknown[] }[] = res.body.columns;
      const codes = columns.map((c) => c.label);
      expect(codes.slice(0, 5)).toEqual(['Inbound Call', 'Outbound Call', 'Walk-In', 'Referral', 'Web Quotation']);
      expect(columns.find((c) => c.key === f.inboundCallId)).toMatchObject({ count: 3 });
      expect(columns.find((c) => c.key === f.referralId)).toMatchObject({ count: 1, cards: [expect.objectContaining({ name: 'Bravo trucks' })] });
      const mine = await t.as('agent').get('/crm/leads/board?groupBy=source&ownerId=owner1').expect(200);
      expect(mine.body.columns.find((c: { key: number }) => c.key === f.inboundCallId).count).toBe(2);
      const partner = await t.as('partner').get('/crm/leads/board?groupBy=source').expect(200);
      expect(partner.body.columns.reduce((n: number, c: { count: number }) => n + c.count, 0)).toBe(1);
    });

    it("fills every column with its own newest cards, under the filters and the caller's visibility", async () => {
      type Column = { key: string | number; count: number; cards: { name: string; status: string; sourceId: number }[] };
      const cards = (columns: Column[]) => Object.fromEntries(columns.map((c) => [c.key, c.cards.map((l) => l.name)]));
      const byStatus: Column[] = (await t.as('agent').get('/crm/leads/board?groupBy=status&limit=3').expect(200)).body.columns;
      expect(cards(byStatus)).toEqual({ new: ['Echo partner lead', 'Charlie buses', 'Bravo trucks'], in_progress: ['Delta cars'], qualified: [], converted: [], lost: [] });
      const mine: Column[] = (await t.as('agent').get('/crm/leads/board?groupBy=status&limit=1&ownerId=owner1').expect(200)).body.columns;
      expect(cards(mine)).toEqual({ new: ['Alpha vans'], in_progress: ['Delta cars'], qualified: [], converted: [], lost: [] });
      const bySource: Column[] = (await t.as('agent').get('/crm/leads/board?groupBy=source&limit=2').expect(200)).body.columns;
      for (const column of bySource) {
        expect(column.cards.length).toBe(Math.min(column.count, 2));
        expect(column.cards.every((l) => l.sourceId === column.key)).toBe(true);
      }
      expect(bySource.find((c) => c.key === f.inboundCallId)?.cards.map((l) => l.name)).toEqual(['Echo partner lead', 'Delta cars']);
      const partner: Column[] = (await t.as('partner').get('/crm/leads/board?groupBy=status&limit=3').expect(200)).body.columns;
      expect(cards(partner)).toEqual({ new: ['Echo partner lead'], in_progress: [], qualified: [], converted: [], lost: [] });
    });

    it('keeps a column for an archived source that still has leads', async () => {
      const source = await t.as('manager').post('/crm/sources', { code: 'old_fair', name: 'Old Fair', type: 'event_exhibition', sequence: 1 }).expect(201);
      await t.as('agent').post('/crm/leads', leadBody(f, { name: 'Fair lead', sourceId: source.body.id })).expect(201);
      await t.as('manager').post(`/crm/sources/${source.body.id}/archive`).expect(200);
      const res = await t.as('agent').get('/crm/leads/board?groupBy=source').expect(200);
      expect(res.body.columns[0]).toMatchObject({ key: source.body.id, label: 'Old Fair', count: 1 });
    });

    it('refuses an unknown grouping and too many cards per column', async () => {
      const group = await t.as('agent').get('/crm/leads/board?groupBy=owner').expect(400);
      expect(fieldErrors(group.body)).toEqual([['groupBy', 'isIn']]);
      const limit = await t.as('agent').get('/crm/leads/board?limit=101').expect(400);
      expect(fieldErrors(limit.body)).toEqual([['limit', 'max']]);
    });
  });
});
