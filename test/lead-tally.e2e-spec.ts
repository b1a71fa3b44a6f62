import type { EntityManager } from 'typeorm';
import { finishedRun } from './harness/import-runs';
import { Lead } from '../modules/leads/lead.entity';
import { LeadTally } from '../modules/leads/lead-tally.service';
import { Opportunity } from '../modules/opportunities/opportunity.entity';
import { WonTally } from '../modules/opportunities/won-tally.service';
import { TestApp } from './harness/test-app';
import { testDatabaseKind } from './harness/test-database';
import { leadBody, LeadFixtures, seedLeadFixtures } from './leads/lead-fixtures';

type Column = { key: string | number; count: number };

/**
 * The unfiltered board and attribution report read the lead tally (issue 16); these hold it to the leads
 * table after every kind of write that adds, removes or moves a lead, including many at once.
 */
describe('Lead tally: the unfiltered board and report stay exact through every write (e2e)', () => {
  let t: TestApp;
  let f: LeadFixtures;

  /** What the leads table itself says, per source and status. */
  const truth = async () => {
    const rows = await t.query<{ sourceId: number | string; status: string; n: number | string }[]>('SELECT sourceId, status, COUNT(*) AS n FROM crm_lead GROUP BY sourceId, status');
    return rows.map((r) => ({ sourceId: Number(r.sourceId), status: r.status, n: Number(r.n) }));
  };
  const board = async (groupBy: 'status' | 'source', query = '') =>
    Object.fromEntries(((await t.as('manager').get(`/crm/leads/board?groupBy=${groupBy}&limit=1${query}`).expect(200)).body.columns as Column[]).filter((c) => c.count > 0).map((c) => [String(c.key), c.count]));
  const report = async () =>
    Object.fromEntries(
      (
        (await t.as('manager').get('/crm/reports/attribution?entity=lead&groupBy=source').expect(200)).body.rows as {
          sourceId: number;
          count: number;
          converted: number;
          opportunitiesWon: number;
          wonAmount: string;
        }[]
      ).map((r) => [String(r.sourceId), [r.count, r.converted, r.opportunitiesWon, r.wonAmount]]),
    );
  const sum = (rows: { n: number }[]) => rows.reduce((n, r) => n + r.n, 0);
  /** A lead list's `total` for these filters. */
  const listTotal = async (query: string) => (await t.as('manager').get(`/crm/leads?limit=1&${query}`).expect(200)).body.total as number;

  /** Every tallied view against the leads table. */
  const expectExact = async () => {
    const rows = await truth();
    const wonRows = await t.query<{ sourceId: number | string; n: number | string; cents: number | string | null }[]>(
      "SELECT l.sourceId AS sourceId, COUNT(*) AS n, SUM(ROUND(o.amount * 100)) AS cents FROM crm_opportunity o JOIN crm_lead l ON l.id = o.originLeadId WHERE o.stage = 'won' GROUP BY l.sourceId",
    );
    const won = Object.fromEntries(wonRows.map((r) => [String(r.sourceId), [Number(r.n), (Number(r.cents ?? 0) / 100).toFixed(2)]]));
    const bySource: Record<string, number> = {};
    const byStatus: Record<string, number> = {};
    const converted: Record<string, number> = {};
    for (const r of rows) {
      bySource[r.sourceId] = (bySource[r.sourceId] ?? 0) + r.n;
      byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
      if (r.status === 'converted') converted[r.sourceId] = (converted[r.sourceId] ?? 0) + r.n;
    }
    await expect(board('status')).resolves.toEqual(byStatus);
    await expect(board('source')).resolves.toEqual(bySource);
    await expect(board('source', '&status=new')).resolves.toEqual(Object.fromEntries(rows.filter((r) => r.status === 'new').map((r) => [String(r.sourceId), r.n])));
    await expect(report()).resolves.toEqual(Object.fromEntries(Object.entries(bySource).map(([id, n]) => [id, [n, converted[id] ?? 0, ...(won[id] ?? [0, '0.00'])]])));
    // Lists filtered by status and source take their totals from the tally too.
    await expect(listTotal('')).resolves.toBe(sum(rows));
    await expect(listTotal(`sourceId=${f.inboundCallId}`)).resolves.toBe(bySource[f.inboundCallId] ?? 0);
    await expect(listTotal('status=new')).resolves.toBe(byStatus.new ?? 0);
    await expect(listTotal(`status=converted&sourceId=${f.referralId}`)).resolves.toBe(sum(rows.filter((r) => r.status === 'converted' && r.sourceId === f.referralId)));
    return sum(rows);
  };

  beforeAll(async () => {
    t = await TestApp.start();
    f = await seedLeadFixtures(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts leads created one by one and many at once (a CSV import), concurrently too', async () => {
    await Promise.all(Array.from({ length: 12 }, (_, i) => t.as('agent').post('/crm/leads', leadBody(f, { name: `Tally ${i}`, sourceId: i % 3 === 0 ? f.referralId : f.inboundCallId })).expect(201)));
    await t.as('manager').post('/crm/sales-directions', { name: 'Tally fleet', code: 'tally_fleet' }).expect(201);
    const csv = ['name,source,sales_direction', ...Array.from({ length: 7 }, (_, i) => `Imported ${i},inbound_call,tally_fleet`)].join('\n');
    const upload = await t
      .request()
      .post('/crm/imports/csv')
      .set('Authorization', 'Bearer manager-token')
      .attach('file', Buffer.from(csv, 'utf8'), { filename: 'leads.csv', contentType: 'text/csv' })
      .expect(202);
    await expect(finishedRun(t, upload.body.id)).resolves.toMatchObject({ status: 'succeeded' });
    await expect(expectExact()).resolves.toBe(19);
  });

  it('moves a lead between columns when its status or source changes, and on conversion', async () => {
    const lead = (await t.as('agent').post('/crm/leads', leadBody(f, { name: 'Mover' })).expect(201)).body;
    await t.as('agent').patch(`/crm/leads/${lead.id}`, { status: 'in_progress', sourceId: f.referralId }).expect(200);
    await expectExact();
    await t.as('agent').patch(`/crm/leads/${lead.id}`, { status: 'qualified' }).expect(200);
    await t.as('manager').post(`/crm/leads/${lead.id}/convert`, { customer: { mode: 'create' } }).expect(200);
    await expectExact();
    // A refused change moves nothing.
    await t.as('agent').patch(`/crm/leads/${lead.id}`, { status: 'new' }).expect((res) => expect(res.status).toBeGreaterThanOrEqual(400));
    await expectExact();
  });

  it('uncounts a deleted lead, and counts both sources again after a merge', async () => {
    const doomed = (await t.as('agent').post('/crm/leads', leadBody(f, { name: 'Doomed' })).expect(201)).body;
    await t.as('manager').delete(`/crm/leads/${doomed.id}`).expect(204);
    await expectExact();
    const from = (await t.as('manager').post('/crm/sources', { code: 'tally_fair', name: 'Tally Fair', type: 'event_exhibition' }).expect(201)).body;
    for (const name of ['Fair one', 'Fair two']) await t.as('agent').post('/crm/leads', leadBody(f, { name, sourceId: from.id })).expect(201);
    await t.as('manager').post(`/crm/sources/${from.id}/merge`, { intoId: f.referralId }).expect(200);
    await expectExact();
  });

  /**
   * Runs `write` in a transaction of its own, as a writer beside a merge does, and merges a new source with a lead of
   * its own into the referral source while that transaction is still open; commits it while the merge waits.
   */
  const mergeBeside = async (code: string, write: (manager: EntityManager) => Promise<void>) => {
    const from = (await t.as('manager').post('/crm/sources', { code, name: code, type: 'event_exhibition' }).expect(201)).body;
    await t.as('agent').post('/crm/leads', leadBody(f, { name: `Lead of ${code}`, sourceId: from.id })).expect(201);
    const writer = t.dataSource.createQueryRunner();
    await writer.connect();
    await writer.startTransaction('READ COMMITTED');
    let merged: Promise<{ status: number }> | undefined;
    try {
      await write(writer.manager);
      merged = t.as('manager').post(`/crm/sources/${from.id}/merge`, { intoId: f.referralId }).then((res) => res);
      // Long enough for the merge to read and wait; its count must then see this commit.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await writer.commitTransaction();
    } finally {
      if (writer.isTransactionActive) await writer.rollbackTransaction();
      await writer.release();
    }
    expect((await merged)?.status).toBe(200);
  };

  // SQLite runs one writing transaction at a time: nothing can write beside a merge there.
  (testDatabaseKind() === 'sqlite' ? it.skip : it)('counts a merge exactly while a lead of the source merged into changes status beside it', async () => {
    const target = (await t.as('agent').post('/crm/leads', leadBody(f, { name: 'Racing referral', sourceId: f.referralId })).expect(201)).body;
    // As the lead writer moves a lead: the row, then the tally.
    await mergeBeside('tally_race', async (manager) => {
      await manager.update(Lead, { id: target.id }, { status: 'in_progress' });
      await t.app.get(LeadTally).moved(manager, { sourceId: f.referralId, status: 'new' }, { sourceId: f.referralId, status: 'in_progress' });
    });
    await expectExact();
  });

  (testDatabaseKind() === 'sqlite' ? it.skip : it)("counts a merge's won figures exactly while an opportunity of the source merged into is won beside it", async () => {
    const lead = (await t.as('agent').post('/crm/leads', leadBody(f, { name: 'Racing win', sourceId: f.referralId })).expect(201)).body;
    const opportunity = (await t.as('agent').post('/crm/opportunities', { title: 'Race', leadId: lead.id, amount: '250.25', currency: 'EUR' }).expect(201)).body;
    // As the opportunity writer wins one: the row, then the credit (which locks the lead).
    await mergeBeside('won_race', async (manager) => {
      await manager.update(Opportunity, { id: opportunity.id }, { stage: 'won' });
      await t.app.get(WonTally).changed(manager, lead.id, { stage: 'new', amount: '250.25' }, { stage: 'won', amount: '250.25' });
    });
    await expectExact();
  });

  it("credits won opportunities to their lead's source through wins, re-pricing, losing again and the lead's move", async () => {
    const lead = (await t.as('agent').post('/crm/leads', leadBody(f, { name: 'Won twice', sourceId: f.inboundCallId })).expect(201)).body;
    const opportunity = (await t.as('agent').post('/crm/opportunities', { title: 'Vans', leadId: lead.id, amount: '1200.50', currency: 'EUR', stage: 'won' }).expect(201)).body;
    await expectExact();
    const second = (await t.as('agent').post('/crm/opportunities', { title: 'Trucks', leadId: lead.id, amount: '99.99', currency: 'EUR' }).expect(201)).body;
    await t.as('agent').patch(`/crm/opportunities/${second.id}`, { stage: 'won', version: second.version }).expect(200);
    await expectExact();
    const read = (await t.as('agent').get(`/crm/opportunities/${opportunity.id}`).expect(200)).body;
    await t.as('manager').patch(`/crm/opportunities/${opportunity.id}`, { amount: '1000.00', version: read.version }).expect(200);
    await expectExact();
    await t.as('agent').patch(`/crm/leads/${lead.id}`, { sourceId: f.referralId }).expect(200);
    await expectExact();
    const again = (await t.as('agent').get(`/crm/opportunities/${second.id}`).expect(200)).body;
    await t.as('manager').patch(`/crm/opportunities/${second.id}`, { stage: 'lost', lostReason: 'Budget cut', version: again.version }).expect(200);
    await expectExact();
  });

  it('answers a partner supervisor and a filtered board from their own leads, not the tally', async () => {
    const partner = await t.as('partner').get('/crm/leads/board?groupBy=status').expect(200);
    const visible = await t.query<{ n: number | string }[]>('SELECT COUNT(*) AS n FROM crm_lead WHERE partnerCompanyId = ?', [f.partnerCompanyId]);
    expect((partner.body.columns as Column[]).reduce((n, c) => n + c.count, 0)).toBe(Number(visible[0].n));
    await expect(t.as('partner').get('/crm/leads?limit=1').expect(200)).resolves.toMatchObject({ body: { total: Number(visible[0].n) } });
    const owned = await t.query<{ n: number | string }[]>("SELECT COUNT(*) AS n FROM crm_lead WHERE ownerId = 'owner1'");
    const mine = await board('status', '&ownerId=owner1');
    expect(Object.values(mine).reduce((n, c) => n + c, 0)).toBe(Number(owned[0].n));
  });
});
