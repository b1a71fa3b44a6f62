import { LeadSearchIndex } from '../modules/leads/lead-search-index.service';
import { TestApp } from './harness/test-app';
import { leadBody, LeadFixtures, seedLeadFixtures } from './leads/lead-fixtures';

/**
 * `GET /crm/leads?q=` as a word-prefix search over the token table (issue 16): what it finds, and that the
 * tokens follow every write that changes what a lead is found by, in the same transaction.
 */
describe('Leads: word-prefix search kept in step with the lead, its company and its contact (e2e)', () => {
  let t: TestApp;
  let f: LeadFixtures;

  const found = async (q: string, role = 'agent') => ((await t.as(role).get(`/crm/leads?q=${encodeURIComponent(q)}`).expect(200)).body.items as { name: string }[]).map((l) => l.name);
  const tokensOf = async (leadId: number) => (await t.query<{ token: string }[]>('SELECT token FROM crm_lead_search_token WHERE leadId = ?', [leadId])).map((r) => r.token);

  let companyId: number;
  let contactId: number;
  let leadId: number;

  beforeAll(async () => {
    t = await TestApp.start();
    f = await seedLeadFixtures(t);
    const lead = await t.as('agent').post(
      '/crm/leads',
      leadBody(f, {
        name: 'Éclair fleet of 12 vans',
        companyId: undefined,
        contactId: undefined,
        newCompany: { name: 'Zephyr Bakeries', website: 'zephyr-bakeries.example', tin: '300000001' },
        newContact: { firstName: 'Zoé', lastName: 'Quinn', email: 'zoe.quinn@zephyr.example', phone: '+33 1 42 68 53 00' },
      }),
    );
    expect(lead.status).toBe(201);
    ({ id: leadId, companyId, contactId } = lead.body);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('finds a lead by the start of any of its words, in any order, whatever the case and accents', async () => {
    for (const q of ['eclair', 'ÉCL', 'flee 12', 'vans éclair', 'zeph bake', 'zoe quinn', 'quinn', 'zoe.quinn@zeph', '42 68 53', '+33 1 42 68 53 00']) {
      await expect(found(q)).resolves.toEqual(['Éclair fleet of 12 vans']);
    }
  });

  it('matches the starts of words, not any substring: a search for the middle of a word finds nothing', async () => {
    for (const q of ['lair', 'phyr', 'eclair zzz']) await expect(found(q)).resolves.toEqual([]);
  });

  it("follows the lead's own edits: a new title is found, the old one no longer", async () => {
    await t.as('agent').patch(`/crm/leads/${leadId}`, { name: 'Croissant fleet of 12 vans' }).expect(200);
    await expect(found('croissant')).resolves.toEqual(['Croissant fleet of 12 vans']);
    await expect(found('eclair')).resolves.toEqual([]);
  });

  it('follows a company rename and a contact edit made on their own routes', async () => {
    await t.as('manager').patch(`/crm/companies/${companyId}`, { name: 'Aurora Patisserie' }).expect(200);
    await expect(found('aurora patis')).resolves.toEqual(['Croissant fleet of 12 vans']);
    await expect(found('zephyr bakeries')).resolves.toEqual([]);
    await t.as('manager').patch(`/crm/contacts/${contactId}`, { lastName: 'Moreau', email: 'zoe@aurora.example' }).expect(200);
    await expect(found('moreau')).resolves.toEqual(['Croissant fleet of 12 vans']);
    await expect(found('zoe@aurora')).resolves.toEqual(['Croissant fleet of 12 vans']);
    await expect(found('quinn')).resolves.toEqual([]);
  });

  it("hides the email and phone of a contact marked do-not-contact from callers who may not see them, at once", async () => {
    await t.as('manager').patch(`/crm/contacts/${contactId}`, { doNotContact: true }).expect(200);
    await expect(found('zoe@aurora')).resolves.toEqual([]);
    await expect(found('42 68 53')).resolves.toEqual([]);
    // The name is not masked, so it still finds the lead.
    await expect(found('zoe moreau')).resolves.toEqual(['Croissant fleet of 12 vans']);
    await expect(found('zoe@aurora', 'manager')).resolves.toEqual(['Croissant fleet of 12 vans']);
  });

  it("answers a search's total on every page: counted when the page is full or empty, told by a short last page", async () => {
    for (const name of ['Pelican one', 'Pelican two', 'Pelican three']) await t.as('agent').post('/crm/leads', leadBody(f, { name })).expect(201);
    const page = async (n: number) => (await t.as('agent').get(`/crm/leads?q=pelican&limit=2&page=${n}`).expect(200)).body;
    await expect(page(1)).resolves.toMatchObject({ total: 3, totalCapped: false, items: [{}, {}] });
    await expect(page(2)).resolves.toMatchObject({ total: 3, totalCapped: false, items: [{}] });
    await expect(page(3)).resolves.toMatchObject({ total: 3, totalCapped: false, items: [] });
    // With another filter the resolved ids are counted again under it.
    const filtered = async (status: string) => (await t.as('agent').get(`/crm/leads?q=pelican&limit=2&status=${status}`).expect(200)).body;
    await expect(filtered('new')).resolves.toMatchObject({ total: 3, totalCapped: false, items: [{}, {}] });
    const [first] = (await filtered('new')).items;
    await t.as('manager').patch(`/crm/leads/${first.id}`, { status: 'lost', lostReason: 'Bought elsewhere', version: first.version }).expect(200);
    await expect(filtered('new')).resolves.toMatchObject({ total: 2, items: [{}, {}] });
    await expect(page(1)).resolves.toMatchObject({ total: 3 });
  });

  it('answers the same when a search matches more leads than it resolves to ids, each query matching the tokens itself', async () => {
    const index = t.app.get(LeadSearchIndex);
    const resolved = await found('pelican');
    const [agentOnly, manager] = [await found('zoe moreau'), await found('zoe@aurora', 'manager')];
    index.maxResolvedIds = 1;
    try {
      await expect(found('pelican')).resolves.toEqual(resolved);
      await expect(found('zoe moreau')).resolves.toEqual(agentOnly);
      await expect(found('zoe@aurora', 'manager')).resolves.toEqual(manager);
      await expect(found('zoe@aurora')).resolves.toEqual([]);
      // Its page walks the leads newest first; its total counts only as far as a search resolves, alone or filtered.
      await expect(t.as('agent').get('/crm/leads?q=pelican&limit=2&page=2').expect(200)).resolves.toMatchObject({ body: { total: 1, totalCapped: true, items: [{}] } });
      await expect(t.as('agent').get('/crm/leads?q=pelican&limit=2&status=new').expect(200)).resolves.toMatchObject({ body: { total: 1, totalCapped: true, items: [{}, {}] } });
      await expect(t.as('agent').get('/crm/leads?q=pelican&limit=2&status=converted').expect(200)).resolves.toMatchObject({ body: { total: 0, totalCapped: false, items: [] } });
    } finally {
      index.maxResolvedIds = 1000;
    }
  });

  it('keeps nothing of a deleted lead', async () => {
    const other = await t.as('agent').post('/crm/leads', leadBody(f, { name: 'Short-lived Gondola lead' })).expect(201);
    await expect(tokensOf(other.body.id)).resolves.toEqual(expect.arrayContaining(['gondola', 'short', 'lived']));
    await t.as('manager').delete(`/crm/leads/${other.body.id}`).expect(204);
    await expect(tokensOf(other.body.id)).resolves.toEqual([]);
    await expect(found('gondola')).resolves.toEqual([]);
  });

  it('writes nothing when a write is refused: a refused lead leaves no tokens behind', async () => {
    const before = (await t.query<{ n: number | string }[]>('SELECT COUNT(*) AS n FROM crm_lead_search_token'))[0].n;
    await t.as('agent').post('/crm/leads', leadBody(f, { name: 'Refused Walrus lead', sourceId: 999_999 })).expect(400);
    await expect(found('walrus')).resolves.toEqual([]);
    expect((await t.query<{ n: number | string }[]>('SELECT COUNT(*) AS n FROM crm_lead_search_token'))[0].n).toEqual(before);
  });
});
