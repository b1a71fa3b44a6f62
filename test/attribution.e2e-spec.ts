import { parse } from 'csv-parse/sync';
import { TestApp } from './harness/test-app';
import { createCustomer, createLead, fieldErrors, SalesFixtures, seedSalesFixtures } from './sales/sales-fixtures';

interface Row {
  sourceId: number | null;
  sourceCode: string | null;
  sourceName: string | null;
  sourceType: string | null;
  count: number;
  converted: number;
  conversionRate: number;
  opportunitiesWon: number;
  wonAmount: string;
}

describe('Attribution report (e2e)', () => {
  let t: TestApp;
  let f: SalesFixtures;
  let fair: { id: number; version: number };

  beforeAll(async () => {
    t = await TestApp.start();
    f = await seedSalesFixtures(t);
    fair = (await t.as('manager').post('/crm/sources', { code: 'big_fairs', name: 'Fairs, "Big" ones', type: 'event_exhibition' }).expect(201)).body;

    const converted = async (sourceId: number, opportunity: object) => {
      const lead = await createLead(t, f, { sourceId, name: `Lead ${sourceId}` });
      await t.as('agent').post(`/crm/leads/${lead.id}/convert`, { customer: { mode: 'create', createAnyway: true }, opportunity }).expect(200);
    };
    // Web quotation (lead-only): three leads, two converted with won deals of 0.10 and 0.20.
    await converted(f.webQuotationId, { title: 'Won A', stage: 'won', amount: '0.10', currency: 'EUR' });
    await converted(f.webQuotationId, { title: 'Won B', stage: 'won', amount: '0.20', currency: 'EUR' });
    await createLead(t, f, { sourceId: f.webQuotationId }, { status: 'new' });
    // Fairs: two leads, one converted with a deal still open.
    await converted(fair.id, { title: 'Open deal', stage: 'proposal', amount: '99.99', currency: 'EUR' });
    await createLead(t, f, { sourceId: fair.id }, { status: 'in_progress' });
    // Inbound call: one lead with a lost deal.
    const inbound = await createLead(t, f, { sourceId: f.inboundCallId }, { status: 'in_progress' });
    await t.as('agent').post('/crm/opportunities', { title: 'Lost deal', leadId: inbound.id, stage: 'lost', lostReason: 'Price' }).expect(201);
    // A customer that never was a lead.
    await createCustomer(t, { name: 'Walk-in customer', sourceId: f.referralId });
  });
  afterAll(async () => {
    await t?.close();
  });

  const report = async (query: string): Promise<{ rows: Row[]; totals: Omit<Row, 'sourceId' | 'sourceCode' | 'sourceName' | 'sourceType'> }> =>
    (await t.as('agent').get(`/crm/reports/attribution?${query}`).expect(200)).body;
  const figures = (row: Row) => [row.sourceCode ?? row.sourceType, row.count, row.converted, row.conversionRate, row.opportunitiesWon, row.wonAmount];

  it('counts leads per source: converted, conversion rate, won opportunities and their exact amount', async () => {
    const res = await report('entity=lead&groupBy=source');
    expect(res.rows.map(figures)).toEqual([
      ['source_web_quotation', 3, 2, 0.6667, 2, '0.30'],
      ['big_fairs', 2, 1, 0.5, 0, '0.00'],
      ['inbound_call', 1, 0, 0, 0, '0.00'],
    ]);
    expect(res.rows[0]).toMatchObject({ sourceId: f.webQuotationId, sourceName: 'Web Quotation', sourceType: 'website' });
    expect(res.totals).toEqual({ count: 6, converted: 3, conversionRate: 0.5, opportunitiesWon: 2, wonAmount: '0.30' });
  });

  it('counts customers per source (converted = came from a lead) and their won opportunities', async () => {
    const res = await report('entity=customer');
    expect(res.rows.map(figures)).toEqual([
      ['source_web_quotation', 2, 2, 1, 2, '0.30'],
      ['big_fairs', 1, 1, 1, 0, '0.00'],
      ['referral', 1, 0, 0, 0, '0.00'],
    ]);
  });

  it('counts opportunities per their own source (converted = their lead was converted)', async () => {
    const res = await report('entity=opportunity&groupBy=source');
    expect(res.rows.map(figures)).toEqual([
      ['source_web_quotation', 2, 2, 1, 2, '0.30'],
      ['big_fairs', 1, 1, 1, 0, '0.00'],
      ['inbound_call', 1, 0, 0, 0, '0.00'],
    ]);
  });

  it('groups by source type', async () => {
    const res = await report('entity=lead&groupBy=sourceType');
    expect(res.rows.map(figures)).toEqual([
      ['website', 3, 2, 0.6667, 2, '0.30'],
      ['event_exhibition', 2, 1, 0.5, 0, '0.00'],
      ['inbound_call', 1, 0, 0, 0, '0.00'],
    ]);
    expect(res.rows[0]).toMatchObject({ sourceId: null, sourceName: null });
  });

  it('limits the period to records created in [from, to)', async () => {
    const future = await report('entity=lead&from=2999-01-01');
    expect(future).toMatchObject({ rows: [], totals: { count: 0, converted: 0, conversionRate: 0, opportunitiesWon: 0, wonAmount: '0.00' } });
    await expect(report('entity=customer&to=2000-01-01')).resolves.toMatchObject({ rows: [] });
    const now = await report('entity=lead&from=2000-01-01&to=2999-01-01');
    expect(now.totals.count).toBe(6);
  });

  it('answers CSV for Accept: text/csv, with a header row and proper quoting', async () => {
    const res = await t.as('agent').get('/crm/reports/attribution?entity=lead').set('Accept', 'text/csv').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = parse(res.text) as string[][];
    expect(lines[0]).toEqual(['sourceId', 'sourceCode', 'sourceName', 'sourceType', 'count', 'converted', 'conversionRate', 'opportunitiesWon', 'wonAmount']);
    expect(lines.slice(1)).toEqual([
      [String(f.webQuotationId), 'source_web_quotation', 'Web Quotation', 'website', '3', '2', '0.6667', '2', '0.30'],
      [String(fair.id), 'big_fairs', 'Fairs, "Big" ones', 'event_exhibition', '2', '1', '0.5', '0', '0.00'],
      [String(f.inboundCallId), 'inbound_call', 'Inbound Call', 'inbound_call', '1', '0', '0', '0', '0.00'],
    ]);
    expect(res.text).toContain('"Fairs, ""Big"" ones"');
  });

  it('follows a rename or a re-typing of a source in every report at once', async () => {
    const renamed = await t.as('manager').patch(`/crm/sources/${fair.id}`, { name: 'Trade Fairs', type: 'website', version: fair.version }).expect(200);
    const bySource = await report('entity=lead');
    expect(bySource.rows.find((r) => r.sourceId === fair.id)).toMatchObject({ sourceName: 'Trade Fairs', sourceType: 'website', count: 2 });
    const byType = await report('entity=lead&groupBy=sourceType');
    expect(byType.rows.map(figures)).toEqual([
      ['website', 5, 3, 0.6, 2, '0.30'],
      ['inbound_call', 1, 0, 0, 0, '0.00'],
    ]);
    await t.as('manager').patch(`/crm/sources/${fair.id}`, { name: 'Fairs, "Big" ones', type: 'event_exhibition', version: renamed.body.version }).expect(200);
  });

  it('needs reports.read and validates the query', async () => {
    const denied = await t.as('outsider').get('/crm/reports/attribution').expect(403);
    expect(denied.body.details).toEqual({ permission: 'reports.read' });
    await t.as('anonymous').get('/crm/reports/attribution').expect(401);
    const bad = await t.as('agent').get('/crm/reports/attribution?entity=contact&groupBy=owner&from=soon').expect(400);
    expect(fieldErrors(bad.body)).toEqual(expect.arrayContaining([['entity', 'isIn'], ['groupBy', 'isIn'], ['from', 'isDateString']]));
  });
});
