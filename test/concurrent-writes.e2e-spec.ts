import { TestApp } from './harness/test-app';

/**
 * Creates that write several rows (the record and its links) at once, eight at a time. On MariaDB,
 * InnoDB's gap and foreign-key locks made most of them deadlock (1213) and answer 500; the
 * transaction runner now takes such a transaction again from the start.
 */
describe('Concurrent multi-row creates (e2e)', () => {
  let t: TestApp;
  const CONCURRENCY = 8;
  const ROUNDS = 3;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(async () => {
    await t?.close();
  });

  /** `ROUNDS` waves of `CONCURRENCY` requests made by `send(n)` at once; every answer's status. */
  async function waves(send: (n: number) => Promise<{ status: number; body: unknown }>): Promise<number[]> {
    const statuses: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const answers = await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => send(round * CONCURRENCY + i)));
      statuses.push(...answers.map((a) => a.status));
    }
    return statuses;
  }

  it('people with teamIds: every create answers 201 and keeps its memberships', async () => {
    const teams = await Promise.all(['North', 'South'].map(async (name) => (await t.as('manager').post('/crm/teams', { name }).expect(201)).body.id as number));
    const statuses = await waves((n) => t.as('manager').post('/crm/people', { id: `p${n}`, displayName: `Person ${n}`, teamIds: teams }));
    expect(statuses).toEqual(statuses.map(() => 201));
    const members = await t.query('SELECT COUNT(*) AS n FROM crm_team_member');
    expect(Number(members[0].n)).toBe(CONCURRENCY * ROUNDS * teams.length);
  });

  it('teams with memberIds: every create answers 201 and keeps its members', async () => {
    for (const id of ['m1', 'm2', 'm3']) await t.as('manager').post('/crm/people', { id, displayName: id }).expect(201);
    const statuses = await waves((n) => t.as('manager').post('/crm/teams', { name: `Team ${n}`, memberIds: ['m1', 'm2', 'm3'] }));
    expect(statuses).toEqual(statuses.map(() => 201));
    const [{ n }] = await t.query("SELECT COUNT(*) AS n FROM crm_team_member WHERE personId IN ('m1', 'm2', 'm3')");
    expect(Number(n)).toBe(CONCURRENCY * ROUNDS * 3);
  });

  it('sources with matchKeys: every create answers 201, and a key taken twice at once is refused as a conflict, never a 500', async () => {
    const statuses = await waves((n) => t.as('manager').post('/crm/sources', { code: `concurrent_${n}`, type: 'website', name: `Concurrent ${n}`, matchKeys: [`key-${n}-a`, `key-${n}-b`] }));
    expect(statuses).toEqual(statuses.map(() => 201));
    const clashing = await Promise.all(
      Array.from({ length: CONCURRENCY }, (_, i) => t.as('manager').post('/crm/sources', { code: `clash_${i}`, type: 'website', name: `Clash ${i}`, matchKeys: ['the-same-key'] })),
    );
    expect(clashing.filter((r) => r.status === 201)).toHaveLength(1);
    for (const refused of clashing.filter((r) => r.status !== 201)) expect(refused.status).toBe(409);
  });
});
