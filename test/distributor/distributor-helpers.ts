import { DataSource } from 'typeorm';
import type { CrmDistributorOptions } from '../../modules';
import { SyncCursor } from '../../modules/imports/distributor/sync-cursor.entity';
import { FAKE_ODOO, OdooFake, type FakeOdooRecord } from '../fakes/odoo-fake';
import type { TestApp } from '../harness/test-app';
import { portableQuery } from '../harness/portable-sql';

export const QUOTATION = 'cheryweb.quotation';
export const TEST_DRIVE = 'cherywebsite.test.drive';

/** The two protocols, each against the Odoo versions it serves. */
export const PROTOCOLS = [
  { protocol: 'json2', version: 19 },
  { protocol: 'jsonrpc', version: 18 },
] as const;
export type ProtocolCase = (typeof PROTOCOLS)[number];

import type { RunBody } from '../harness/import-runs';

export type { RunBody };

/** Options pointing at the fake over `protocol`, with quick retries. */
export function distributorOptions(fake: OdooFake, protocol: ProtocolCase['protocol'], overrides: CrmDistributorOptions = {}): CrmDistributorOptions {
  const credentials = protocol === 'json2' ? { apiKey: FAKE_ODOO.apiKey } : { login: FAKE_ODOO.login, password: FAKE_ODOO.password };
  return { url: fake.url, database: FAKE_ODOO.database, protocol, ...credentials, batchSize: 100, retries: 2, retryDelayMs: 5, timeoutMs: 1000, cron: '', ...overrides };
}

/**
 * What a real deployment configures once: a default sales direction on the two protected sources
 * (a lead needs one, and Odoo does not send it).
 */
export async function configureSources(t: Pick<TestApp, 'as'>): Promise<void> {
  const direction = await t.as('manager').post('/crm/sales-directions', { name: 'Passenger cars' }).expect(201);
  const sources = await t.as('manager').get('/crm/sources?q=source_web&limit=50').expect(200);
  for (const source of sources.body.items) {
    await t.as('manager').patch(`/crm/sources/${source.id}`, { version: source.version, defaultSalesDirectionId: direction.body.id }).expect(200);
  }
}

/** Starts a run over HTTP and follows it to its end through the run history endpoints. */
export async function runSync(t: TestApp): Promise<RunBody> {
  const started = await t.as('manager').post('/crm/imports/distributor/run').expect(202);
  expect(started.body).toMatchObject({ kind: 'distributor' });
  return finished(t, started.body.id);
}

export async function finished(t: TestApp, runId: number): Promise<RunBody> {
  for (;;) {
    const res = await t.as('manager').get(`/crm/imports/runs/${runId}`).expect(200);
    if (!['queued', 'running'].includes(res.body.status)) return res.body;
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function leadCounts(dataSource: DataSource): Promise<{ total: number; distinct: number }> {
  const [row] = await portableQuery(dataSource, 
    "SELECT COUNT(*) AS total, COUNT(DISTINCT CONCAT(externalSource, '#', externalId)) AS perRecord FROM crm_lead WHERE externalSource IS NOT NULL",
  );
  return { total: Number(row.total), distinct: Number(row.perRecord) };
}

export async function cursor(dataSource: DataSource, model: string): Promise<Pick<SyncCursor, 'writeDate' | 'lastId'> | null> {
  const found = await dataSource.getRepository(SyncCursor).findOne({ where: { model } });
  return found && { writeDate: found.writeDate, lastId: found.lastId };
}

/** The cursor once everything is read: the second after the newest record's, none of it read yet. */
export function cursorAfterAll(records: FakeOdooRecord[]): { writeDate: string; lastId: number } {
  const newest = records.map((r) => r.write_date).sort().pop()!;
  const next = new Date(Date.parse(`${newest.slice(0, 19).replace(' ', 'T')}Z`) + 1000);
  return { writeDate: next.toISOString().slice(0, 19).replace('T', ' '), lastId: 0 };
}

export async function leadOf(dataSource: DataSource, model: string, id: number): Promise<Record<string, any>> {
  const [lead] = await portableQuery(dataSource, 'SELECT * FROM crm_lead WHERE externalSource = ? AND externalId = ?', [model, String(id)]);
  return lead;
}
