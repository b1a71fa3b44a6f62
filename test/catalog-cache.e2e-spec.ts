import { fieldErrors } from './leads/lead-fixtures';
import { TestApp } from './harness/test-app';

/**
 * The source catalogue is served from each instance's memory (SourceCatalogCache), checked against
 * the catalogue version row on every read: two instances over one database (a SQLite file, a
 * MariaDB schema) stand for a scaled-out host, and what one writes the other's next read shows.
 */
describe('Source catalogue cache across instances (e2e)', () => {
  let first: TestApp;
  let second: TestApp;
  const picker = async (t: TestApp, query = '') => (await t.as('agent').get(`/crm/sources${query}`).expect(200)).body as { items: { id: number; code: string; name: string }[]; total: number };
  const codes = async (t: TestApp, query = '') => (await picker(t, query)).items.map((s) => s.code);

  beforeAll(async () => {
    first = await TestApp.start({ shareable: true });
    second = await TestApp.start({ sameDatabaseAs: first });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it("shows a source created, renamed and archived on one instance in the other's next picker read", async () => {
    const before = await codes(second);
    expect(before).not.toContain('cache_probe');
    const created = await first.as('manager').post('/crm/sources', { code: 'cache_probe', name: 'Cache probe', type: 'website', sequence: 1 }).expect(201);
    expect(await codes(second)).toEqual(['cache_probe', ...before]);

    await first.as('manager').patch(`/crm/sources/${created.body.id}`, { name: 'Cache probe (renamed)', version: created.body.version }).expect(200);
    expect((await picker(second)).items[0]).toMatchObject({ code: 'cache_probe', name: 'Cache probe (renamed)' });
    await expect(second.as('agent').get(`/crm/sources/${created.body.id}`).expect(200)).resolves.toMatchObject({ body: { name: 'Cache probe (renamed)', version: 2 } });

    await first.as('manager').post(`/crm/sources/${created.body.id}/archive`).expect(200);
    expect(await codes(second)).toEqual(before);
    expect(await codes(second, '?includeArchived=true')).toContain('cache_probe');
    await expect(second.as('agent').get(`/crm/sources/${created.body.id}`).expect(200)).resolves.toMatchObject({ body: { active: false } });
  });

  it("checks a record's source against what the other instance wrote (an archived source is refused, a restored one taken)", async () => {
    const source = await first.as('manager').post('/crm/sources', { code: 'cache_pick', name: 'Cache pick', type: 'website' }).expect(201);
    await second.as('agent').post('/crm/customers', { name: 'Before Co', sourceId: source.body.id }).expect(201);
    await first.as('manager').post(`/crm/sources/${source.body.id}/archive`).expect(200);
    const refused = await second.as('agent').post('/crm/customers', { name: 'Archived Co', sourceId: source.body.id }).expect(400);
    expect(fieldErrors(refused.body)).toEqual([['sourceId', 'activeSource']]);
    await first.as('manager').post(`/crm/sources/${source.body.id}/restore`).expect(200);
    await second.as('agent').post('/crm/customers', { name: 'Restored Co', sourceId: source.body.id }).expect(201);
  });

  it("matches intake submissions on the other instance's match keys as they are now", async () => {
    // Intake leads take their sales direction from the source.
    const fleet = await first.as('manager').post('/crm/sales-directions', { name: 'Fleet', code: 'fleet' }).expect(201);
    const source = await first.as('manager').post('/crm/sources', { code: 'cache_intake', name: 'Cache intake', type: 'website', matchKeys: ['old-form'], defaultSalesDirectionId: fleet.body.id }).expect(201);
    const { key } = (await first.as('manager').post('/crm/intake/keys', { name: 'Web form' }).expect(201)).body;
    const submit = (t: TestApp, body: object) => t.request().post('/crm/intake/leads').set('X-Api-Key', key).send(body);
    await expect(submit(second, { source: 'old-form', name: 'One' }).expect(200)).resolves.toMatchObject({ body: { sourceId: source.body.id } });
    await first.as('manager').patch(`/crm/sources/${source.body.id}`, { matchKeys: ['new-form'], version: source.body.version }).expect(200);
    await submit(second, { source: 'old-form', name: 'Two' }).expect(422);
    await expect(submit(second, { source: 'new-form', name: 'Three' }).expect(200)).resolves.toMatchObject({ body: { sourceId: source.body.id } });
  });

  it('serves a repeated picker read with one query (the version row), the catalogue itself from memory', async () => {
    await picker(second, '?appliesTo=lead');
    const runners = jest.spyOn(second.dataSource, 'createQueryRunner');
    try {
      await picker(second, '?appliesTo=lead');
      expect(runners).toHaveBeenCalledTimes(1);
      // A write on the other instance: the next read finds the version moved and reloads.
      await first.as('manager').post('/crm/sources', { code: 'cache_count', name: 'Cache count', type: 'website' }).expect(201);
      runners.mockClear();
      expect(await codes(second, '?appliesTo=lead')).toContain('cache_count');
      expect(runners.mock.calls.length).toBeGreaterThan(1);
    } finally {
      runners.mockRestore();
    }
  });
});
