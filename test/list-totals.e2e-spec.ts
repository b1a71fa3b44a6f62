import { resolveCrmOptions } from '../modules/core/options/crm-module-options';
import { DEFAULT_TOTAL_CAP } from '../modules/core/http/page';
import { Company } from '../modules/directory/company.entity';
import { TestApp } from './harness/test-app';
import { leadBody, LeadFixtures, seedLeadFixtures } from './leads/lead-fixtures';

/**
 * Lists count their matches exactly up to `lists.totalCap` and report "more than that" beyond it (issue 16: a count
 * that does not read every matching row). A cap of 3 here, so a handful of records crosses it.
 */
describe('List totals: exact up to the cap, capped beyond it (e2e)', () => {
  const CAP = 3;
  let t: TestApp;
  let f: LeadFixtures;

  const list = async (path: string, role = 'manager') => (await t.as(role).get(path).expect(200)).body as { items: unknown[]; total: number; totalCapped: boolean; page: number; limit: number };

  beforeAll(async () => {
    t = await TestApp.start({ crm: { lists: { totalCap: CAP } } });
    f = await seedLeadFixtures(t);
    // Five leads: three owned by owner1 (exactly the cap), four with "vans" in the title (one over it).
    const leads: [string, string | undefined][] = [
      ['One vans', 'owner1'],
      ['Two vans', 'owner1'],
      ['Three vans', 'owner1'],
      ['Four vans', 'owner2'],
      ['Five trucks', undefined],
    ];
    for (const [name, ownerId] of leads) await t.as('agent').post('/crm/leads', leadBody(f, { name, ...(ownerId ? { ownerId } : {}) })).expect(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers an exact total with totalCapped false up to the cap, the cap itself included', async () => {
    await expect(list('/crm/leads?status=in_progress')).resolves.toMatchObject({ items: [], total: 0, totalCapped: false });
    const owned = await list('/crm/leads?ownerId=owner1');
    expect(owned).toMatchObject({ total: CAP, totalCapped: false });
    expect(owned.items).toHaveLength(CAP);
  });

  it('beyond the cap answers the cap with totalCapped true, and still pages every record', async () => {
    const all = await list('/crm/leads');
    expect(all).toMatchObject({ total: CAP, totalCapped: true, page: 1, limit: 50 });
    expect(all.items).toHaveLength(5);
    // The last page lies past what `total` alone suggests: it is still served.
    const last = await list('/crm/leads?limit=2&page=3');
    expect(last).toMatchObject({ total: CAP, totalCapped: true, page: 3, limit: 2 });
    expect(last.items).toHaveLength(1);
  });

  it('counts a search through its joins once per lead', async () => {
    await expect(list('/crm/leads?q=vans')).resolves.toMatchObject({ total: CAP, totalCapped: true });
    await expect(list('/crm/leads?q=trucks')).resolves.toMatchObject({ total: 1, totalCapped: false });
  });

  it('caps the other lists alike', async () => {
    // The migrations seed nine sources; the fixtures add three companies, and this a fourth.
    await t.dataSource.getRepository(Company).insert({ name: 'Fourth Co', nameKey: 'fourth co', isPartner: false });
    for (const path of ['/crm/sources', '/crm/companies']) {
      await expect(list(path)).resolves.toMatchObject({ total: CAP, totalCapped: true });
    }
    await expect(list('/crm/sources?q=referral')).resolves.toMatchObject({ total: 1, totalCapped: false });
  });

  it('defaults to 10,000 and refuses a cap below 1', () => {
    expect(resolveCrmOptions().lists.totalCap).toBe(DEFAULT_TOTAL_CAP);
    expect(DEFAULT_TOTAL_CAP).toBe(10_000);
    expect(() => resolveCrmOptions({ lists: { totalCap: 0 } })).toThrow(/lists\.totalCap/);
  });
});
