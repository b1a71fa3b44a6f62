import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { DEFAULT_DISTRIBUTOR_MODELS, DISTRIBUTOR_CRON_JOB, type CrmDistributorOptions } from '../modules';
import { DistributorSyncService } from '../modules/imports/distributor/distributor-sync.service';
import { SyncCursor } from '../modules/imports/distributor/sync-cursor.entity';
import request from 'supertest';
import { createApp } from '../src/bootstrap';
import { databaseOptions } from '../src/database/database-options';
import { FAKE_ODOO, OdooFake } from './fakes/odoo-fake';
import { TestApp } from './harness/test-app';
import { createTestDatabase, testDatabaseKind } from './harness/test-database';

const QUOTATION = 'cheryweb.quotation';
const TEST_DRIVE = 'cherywebsite.test.drive';
const ROOT = resolve(__dirname, '..');

interface RunBody {
  id: number;
  status: string;
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  error: string | null;
}

function distributorOptions(fake: OdooFake, overrides: CrmDistributorOptions = {}): CrmDistributorOptions {
  return {
    url: fake.url,
    database: FAKE_ODOO.database,
    login: FAKE_ODOO.login,
    password: FAKE_ODOO.password,
    batchSize: 100,
    retries: 2,
    retryDelayMs: 5,
    timeoutMs: 1000,
    cron: '',
    ...overrides,
  };
}

/**
 * What a real deployment configures once: a default sales direction on the two protected sources
 * (a lead needs one, and Odoo does not send it).
 */
async function configureSources(t: TestApp): Promise<void> {
  const direction = await t.as('manager').post('/crm/sales-directions', { name: 'Passenger cars' }).expect(201);
  const sources = await t.as('manager').get('/crm/sources?q=source_web&limit=50').expect(200);
  for (const source of sources.body.items) {
    await t.as('manager').patch(`/crm/sources/${source.id}`, { version: source.version, defaultSalesDirectionId: direction.body.id }).expect(200);
  }
}

/** Starts a run over HTTP and waits for its end through the run history endpoints. */
async function runSync(t: TestApp): Promise<RunBody> {
  const started = await t.as('manager').post('/crm/imports/distributor/run').expect(202);
  expect(started.body).toMatchObject({ kind: 'distributor' });
  for (;;) {
    const res = await t.as('manager').get(`/crm/imports/runs/${started.body.id}`).expect(200);
    if (res.body.status === 'succeeded' || res.body.status === 'failed') return res.body;
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function leadCounts(dataSource: DataSource): Promise<{ total: number; distinct: number }> {
  const [row] = await dataSource.query(
    "SELECT COUNT(*) AS total, COUNT(DISTINCT CONCAT(externalSource, '#', externalId)) AS perRecord FROM crm_lead WHERE externalSource IS NOT NULL",
  );
  return { total: Number(row.total), distinct: Number(row.perRecord) };
}

async function cursor(dataSource: DataSource, model: string): Promise<Pick<SyncCursor, 'writeDate' | 'lastId'> | null> {
  const found = await dataSource.getRepository(SyncCursor).findOne({ where: { model } });
  return found && { writeDate: found.writeDate, lastId: found.lastId };
}

function lastByCursorOrder(fake: OdooFake, model: string): { writeDate: string; lastId: number } {
  const last = [...fake.records(model)].sort((a, b) => (a.write_date === b.write_date ? a.id - b.id : a.write_date < b.write_date ? -1 : 1)).pop()!;
  return { writeDate: last.write_date, lastId: last.id };
}

describe('Distributor sync from Odoo (e2e)', () => {
  describe('over JSON-RPC', () => {
    let fake: OdooFake;
    let t: TestApp;
    const perModel = 450;

    beforeAll(async () => {
      fake = await OdooFake.start({ recordsPerModel: perModel, tiesPerSecond: 7 });
      t = await TestApp.start({ crm: { distributor: distributorOptions(fake) } });
      await configureSources(t);
    });
    afterAll(async () => {
      await t?.close();
      await fake?.close();
    });

    it('is for managers only', async () => {
      await t.as('agent').post('/crm/imports/distributor/run').expect(403);
      await t.as('anonymous').post('/crm/imports/distributor/run').expect(401);
    });

    it('imports every record of both models on the first run, each as one lead with its protected source', async () => {
      const run = await runSync(t);
      expect(run).toMatchObject({ status: 'succeeded', processed: 2 * perModel, created: 2 * perModel, failed: 0, error: null });
      await expect(leadCounts(t.dataSource)).resolves.toEqual({ total: 2 * perModel, distinct: 2 * perModel });
      const [sources] = await t.dataSource.query(
        `SELECT SUM(CASE WHEN s.code = 'source_web_quotation' THEN 1 ELSE 0 END) AS quotation, SUM(CASE WHEN s.code = 'source_web_test_drive' THEN 1 ELSE 0 END) AS testDrive
           FROM crm_lead l JOIN crm_source s ON s.id = l.sourceId WHERE l.externalSource IS NOT NULL`,
      );
      expect({ quotation: Number(sources.quotation), testDrive: Number(sources.testDrive) }).toEqual({ quotation: perModel, testDrive: perModel });
      await expect(cursor(t.dataSource, QUOTATION)).resolves.toEqual(lastByCursorOrder(fake, QUOTATION));
      await expect(cursor(t.dataSource, TEST_DRIVE)).resolves.toEqual(lastByCursorOrder(fake, TEST_DRIVE));
      const listed = await t.as('manager').get('/crm/imports/runs?kind=distributor').expect(200);
      expect(listed.body.items.map((r: RunBody) => r.id)).toContain(run.id);
    });

    it('imports nothing on a second run', async () => {
      const run = await runSync(t);
      expect(run).toMatchObject({ status: 'succeeded', processed: 0, created: 0, updated: 0 });
      await expect(leadCounts(t.dataSource)).resolves.toEqual({ total: 2 * perModel, distinct: 2 * perModel });
    });

    it('updates the lead of an edited record instead of creating another', async () => {
      fake.edit(QUOTATION, 17, { city: 'Vladivostok', vehicle_model: [9, 'Tiggo 9 Hybrid'] });
      const run = await runSync(t);
      expect(run).toMatchObject({ status: 'succeeded', processed: 1, created: 0, failed: 0 });
      expect(run.updated + run.skipped).toBe(1);
      await expect(leadCounts(t.dataSource)).resolves.toEqual({ total: 2 * perModel, distinct: 2 * perModel });
      const [lead] = await t.dataSource.query('SELECT city FROM crm_lead WHERE externalSource = ? AND externalId = ?', [QUOTATION, '17']);
      if (run.updated === 1) expect(lead.city).toBe('Vladivostok');
      await expect(cursor(t.dataSource, QUOTATION)).resolves.toEqual(lastByCursorOrder(fake, QUOTATION));
    });

    it('loses no record when many share one write_date across page boundaries', async () => {
      const added = fake.addTied(TEST_DRIVE, 250);
      const run = await runSync(t);
      expect(run).toMatchObject({ status: 'succeeded', processed: 250, created: 250 });
      const ids = await t.dataSource.query('SELECT externalId FROM crm_lead WHERE externalSource = ?', [TEST_DRIVE]);
      const imported = new Set(ids.map((r: { externalId: string }) => r.externalId));
      expect(added.filter((r) => !imported.has(String(r.id)))).toEqual([]);
      await expect(cursor(t.dataSource, TEST_DRIVE)).resolves.toEqual({ writeDate: added[0].write_date, lastId: added[added.length - 1].id });
    });

    it.each([
      ['down', /unreachable/],
      ['unavailable', /HTTP 503/],
      ['garbage', /garbage/],
      ['wrong-shape', /garbage/],
      ['timeout', /did not answer within 1000 ms/],
    ] as const)('retries when Odoo is %s, then fails with the reason and keeps the cursor', async (mode, reason) => {
      fake.addTied(QUOTATION, 3);
      const before = await cursor(t.dataSource, QUOTATION);
      const leadsBefore = await leadCounts(t.dataSource);
      const requestsBefore = fake.requests;
      fake.fail(mode);
      try {
        const run = await runSync(t);
        expect(run.status).toBe('failed');
        expect(run.error).toMatch(reason);
      } finally {
        fake.recover();
      }
      // The first call and its two retries (JSON-RPC authenticates first, so that is the call retried).
      expect(fake.requests - requestsBefore).toBe(3);
      await expect(cursor(t.dataSource, QUOTATION)).resolves.toEqual(before);
      await expect(leadCounts(t.dataSource)).resolves.toEqual(leadsBefore);
    });

    it('resumes from the cursor once Odoo is back', async () => {
      const leadsBefore = await leadCounts(t.dataSource);
      const run = await runSync(t);
      expect(run).toMatchObject({ status: 'succeeded', created: 15 });
      await expect(leadCounts(t.dataSource)).resolves.toEqual({ total: leadsBefore.total + 15, distinct: leadsBefore.total + 15 });
    });

    it('fails loudly, importing nothing, when a protected source was archived behind its back', async () => {
      fake.addTied(QUOTATION, 4);
      fake.addTied(TEST_DRIVE, 4);
      const before = await leadCounts(t.dataSource);
      const cursors = [await cursor(t.dataSource, QUOTATION), await cursor(t.dataSource, TEST_DRIVE)];
      await t.dataSource.query("UPDATE crm_source SET active = 0 WHERE code = 'source_web_test_drive'");
      try {
        const run = await runSync(t);
        expect(run).toMatchObject({ status: 'failed', processed: 0, created: 0 });
        expect(run.error).toMatch(/source_web_test_drive.*archived/);
      } finally {
        await t.dataSource.query("UPDATE crm_source SET active = 1 WHERE code = 'source_web_test_drive'");
      }
      await expect(leadCounts(t.dataSource)).resolves.toEqual(before);
      expect([await cursor(t.dataSource, QUOTATION), await cursor(t.dataSource, TEST_DRIVE)]).toEqual(cursors);
      const again = await runSync(t);
      expect(again).toMatchObject({ status: 'succeeded', created: 8 });
    });

    it('keeps a refused record with its payload and reason, and replays it once the CRM is fixed', async () => {
      const [source] = await t.dataSource.query("SELECT id, defaultSalesDirectionId FROM crm_source WHERE code = 'source_web_test_drive'");
      await t.dataSource.query('UPDATE crm_source SET defaultSalesDirectionId = NULL WHERE id = ?', [source.id]);
      const [record] = fake.addTied(TEST_DRIVE, 1);
      let run: RunBody;
      try {
        run = await runSync(t);
      } finally {
        await t.dataSource.query('UPDATE crm_source SET defaultSalesDirectionId = ? WHERE id = ?', [source.defaultSalesDirectionId, source.id]);
      }
      expect(run).toMatchObject({ status: 'succeeded', processed: 1, created: 0, failed: 1 });
      const csv = await t.as('manager').get(`/crm/imports/runs/${run.id}/errors.csv`).expect(200);
      expect(csv.text).toContain(`${TEST_DRIVE}#${record.id}`);
      expect(csv.text).toMatch(/salesDirection is required/);
      const [error] = await t.dataSource.query('SELECT id FROM crm_import_run_error WHERE runId = ?', [run.id]);
      const replayed = await t.as('manager').post(`/crm/imports/runs/${run.id}/errors/${error.id}/replay`).expect(200);
      expect(replayed.body).toMatchObject({ status: 'created' });
      const [lead] = await t.dataSource.query('SELECT id, externalSource, externalId FROM crm_lead WHERE id = ?', [replayed.body.leadId]);
      expect(lead).toMatchObject({ externalSource: TEST_DRIVE, externalId: String(record.id) });
      const after = await t.as('manager').get(`/crm/imports/runs/${run.id}`).expect(200);
      expect(after.body).toMatchObject({ failed: 0, created: 1 });
      await expect(runSync(t)).resolves.toMatchObject({ status: 'succeeded', processed: 0 });
    });

    it('registers no cron job when the cron expression is empty', () => {
      expect(t.app.get(SchedulerRegistry).doesExist('cron', DISTRIBUTOR_CRON_JOB)).toBe(false);
    });

    it('refuses a second run while one is going', async () => {
      fake.addTied(QUOTATION, 1);
      fake.fail('timeout', 1);
      const first = await t.as('manager').post('/crm/imports/distributor/run').expect(202);
      const second = await t.as('manager').post('/crm/imports/distributor/run').expect(409);
      expect(second.body.code).toBe('CONFLICT');
      for (;;) {
        const res = await t.as('manager').get(`/crm/imports/runs/${first.body.id}`).expect(200);
        if (res.body.status !== 'running' && res.body.status !== 'queued') break;
        await new Promise((r) => setTimeout(r, 25));
      }
      fake.recover();
    });
  });

  describe('over JSON-2 (Odoo 19+)', () => {
    let fake: OdooFake;
    let t: TestApp;

    beforeAll(async () => {
      fake = await OdooFake.start({ recordsPerModel: 230, tiesPerSecond: 11 });
      t = await TestApp.start({ crm: { distributor: distributorOptions(fake, { protocol: 'json2', apiKey: FAKE_ODOO.apiKey, login: undefined, password: undefined, cron: '*/5 * * * *', overlapSeconds: 5 }) } });
      await configureSources(t);
    });
    afterAll(async () => {
      await t?.close();
      await fake?.close();
    });

    it('is scheduled in the host\'s SchedulerRegistry from the cron option', () => {
      const job = t.app.get(SchedulerRegistry).getCronJob(DISTRIBUTOR_CRON_JOB);
      expect(job.cronTime.source).toBe('*/5 * * * *');
    });

    it('imports every record, then re-reads only the overlap window, skipping what it already has', async () => {
      const run = await runSync(t);
      expect(run).toMatchObject({ status: 'succeeded', processed: 460, created: 460 });
      const cursors = [await cursor(t.dataSource, QUOTATION), await cursor(t.dataSource, TEST_DRIVE)];
      const overlap = (model: string, from: { writeDate: string }) => {
        const start = new Date(Date.parse(`${from.writeDate.replace(' ', 'T')}Z`) - 5000).toISOString().slice(0, 19).replace('T', ' ');
        return fake.records(model).filter((r) => r.write_date >= start).length;
      };
      const again = await runSync(t);
      const reread = overlap(QUOTATION, cursors[0]!) + overlap(TEST_DRIVE, cursors[1]!);
      expect(reread).toBeGreaterThan(0);
      expect(again).toMatchObject({ status: 'succeeded', processed: reread, skipped: reread, created: 0, updated: 0 });
      expect([await cursor(t.dataSource, QUOTATION), await cursor(t.dataSource, TEST_DRIVE)]).toEqual(cursors);
      await expect(leadCounts(t.dataSource)).resolves.toEqual({ total: 460, distinct: 460 });
    });
  });

  describe('pages in which a person asks twice (new rows drafted, then inserted together)', () => {
    let fake: OdooFake;
    let t: TestApp;
    const perModel = 260;

    beforeAll(async () => {
      // Every fourth record repeats the person (email, phone, company) of the record before it.
      fake = await OdooFake.start({ recordsPerModel: perModel, tiesPerSecond: 7, duplicateEvery: 4, models: [QUOTATION] });
      const fields = { ...DEFAULT_DISTRIBUTOR_MODELS[0].fields, website: 'website', vat: 'tin' };
      t = await TestApp.start({ crm: { distributor: distributorOptions(fake, { models: [{ ...DEFAULT_DISTRIBUTOR_MODELS[0], fields }] }) } });
      await configureSources(t);
    });
    afterAll(async () => {
      await t?.close();
      await fake?.close();
    });

    it('links every lead to the contact and company of its own record, one contact and one company per person', async () => {
      const run = await runSync(t);
      expect(run).toMatchObject({ status: 'succeeded', processed: perModel, created: perModel, failed: 0 });
      const rows: Array<{ externalId: string; emailKey: string | null; tin: string | null; companyName: string | null }> = await t.dataSource.query(
        `SELECT l.externalId, c.emailKey, k.tin, k.name AS companyName
           FROM crm_lead l LEFT JOIN crm_contact c ON c.id = l.contactId LEFT JOIN crm_company k ON k.id = l.companyId
          WHERE l.externalSource = ?`,
        [QUOTATION],
      );
      const byId = new Map(rows.map((row) => [Number(row.externalId), row]));
      for (const record of fake.records(QUOTATION)) {
        expect({ id: record.id, ...byId.get(record.id) }).toEqual({
          id: record.id,
          externalId: String(record.id),
          emailKey: String(record.email_from).toLowerCase(),
          tin: record.vat === false ? null : record.vat,
          companyName: record.partner_name === false ? null : record.partner_name,
        });
      }
      // A request from a private person (no company in Odoo) is a lead without a company: only the lead form needs one.
      const [withoutCompany] = await t.dataSource.query('SELECT COUNT(*) AS n FROM crm_lead WHERE externalSource = ? AND companyId IS NULL', [QUOTATION]);
      const privatePersons = fake.records(QUOTATION).filter((r) => r.vat === false).length;
      expect(privatePersons).toBeGreaterThan(0);
      expect(Number(withoutCompany.n)).toBe(privatePersons);
      const people = new Set(fake.records(QUOTATION).map((r) => r.email_from));
      const companies = new Set(fake.records(QUOTATION).filter((r) => r.vat !== false).map((r) => r.vat));
      const [counts] = await t.dataSource.query('SELECT (SELECT COUNT(*) FROM crm_contact) AS contacts, (SELECT COUNT(*) FROM crm_company) AS companies');
      expect({ contacts: Number(counts.contacts), companies: Number(counts.companies) }).toEqual({ contacts: people.size, companies: companies.size });
    });

    it('records the second request of a person, in sync order, as a duplicate of the lead of the first', async () => {
      const inSyncOrder = [...fake.records(QUOTATION)].sort((a, b) => (a.write_date === b.write_date ? a.id - b.id : a.write_date < b.write_date ? -1 : 1));
      const intakeOf = async (record: { id: number }) => {
        const [lead] = await t.dataSource.query('SELECT id FROM crm_lead WHERE externalSource = ? AND externalId = ?', [QUOTATION, String(record.id)]);
        const history = await t.as('manager').get(`/crm/leads/${lead.id}/history`).expect(200);
        return { leadId: Number(lead.id), intake: history.body.items.find((entry: { action: string }) => entry.action === 'intake').changes[0].after };
      };
      const repeated = inSyncOrder.filter((r) => inSyncOrder.filter((o) => o.email_from === r.email_from).length === 2);
      expect(repeated.length).toBeGreaterThan(20);
      for (const email of new Set(repeated.slice(0, 10).map((r) => r.email_from))) {
        const [first, second] = repeated.filter((r) => r.email_from === email);
        const earlier = await intakeOf(first);
        expect(earlier.intake).toMatchObject({ status: 'created', duplicate: false, duplicateOfLeadId: null });
        await expect(intakeOf(second)).resolves.toMatchObject({ intake: { status: 'created', duplicate: true, duplicateOfLeadId: earlier.leadId } });
      }
    });
  });

  describe('with credentials Odoo refuses', () => {
    let fake: OdooFake;
    const apps: INestApplication[] = [];
    let t: TestApp;

    beforeAll(async () => {
      fake = await OdooFake.start({ recordsPerModel: 10 });
      t = await TestApp.start({ crm: { distributor: distributorOptions(fake, { password: 'wrong' }) } });
    });
    afterAll(async () => {
      for (const app of apps) await app.close();
      await t?.close();
      await fake?.close();
    });

    it('fails at once, without retrying, naming the refused login (JSON-RPC) or key (JSON-2)', async () => {
      const before = fake.requests;
      const run = await runSync(t);
      expect(run).toMatchObject({ status: 'failed', created: 0 });
      expect(run.error).toMatch(/refused the login/);
      expect(fake.requests - before).toBe(1);

      const json2 = await createApp(
        { database: t.dataSource.options, migrate: true, tokens: [], crm: { distributor: distributorOptions(fake, { protocol: 'json2', apiKey: 'stolen' }) } },
        false,
      );
      apps.push(json2);
      await json2.init();
      const refused = await json2.get(DistributorSyncService).runNow();
      expect(refused).toMatchObject({ status: 'failed', created: 0 });
      expect(refused.error).toMatch(/HTTP 401.*Invalid apikey/);
    });
  });

  describe('crashing in the middle (a child process killed with SIGKILL)', () => {
    const perModel = 1200;
    let fake: OdooFake;
    let child: ChildProcess | null = null;
    let dir: string;
    let database: { url: string; count: () => Promise<{ total: number; distinct: number } | null>; leaseFree: () => Promise<boolean>; drop: () => Promise<void> };

    beforeAll(async () => {
      fake = await OdooFake.start({ recordsPerModel: perModel, tiesPerSecond: 5 });
      dir = mkdtempSync(join(tmpdir(), 'crm-sync-crash-'));
      database = await crashDatabase(dir);
      await prepareDatabase(database.url);
    });
    afterAll(async () => {
      child?.kill('SIGKILL');
      await fake?.close();
      await database?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    const env = () => ({
      ...process.env,
      CRM_DB_URL: database.url,
      CRM_DISTRIBUTOR_URL: fake.url,
      CRM_DISTRIBUTOR_DATABASE: FAKE_ODOO.database,
      CRM_DISTRIBUTOR_LOGIN: FAKE_ODOO.login,
      CRM_DISTRIBUTOR_PASSWORD: FAKE_ODOO.password,
      CRM_DISTRIBUTOR_BATCH_SIZE: '40',
      CRM_DISTRIBUTOR_LEASE_SECONDS: '2',
    });
    const startSync = () => spawn(process.execPath, ['-r', './test/fakes/swc-register.js', 'src/sync.ts'], { cwd: ROOT, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    const exitOf = (proc: ChildProcess) => new Promise<number | null>((done) => proc.on('exit', (code) => done(code)));

    it('leaves exactly one lead per remote record after the next run', async () => {
      child = startSync();
      const killed = exitOf(child);
      let atKill: { total: number; distinct: number } | null = null;
      while (!atKill || atKill.total < 200) {
        atKill = await database.count();
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill('SIGKILL');
      await killed;
      child = null;
      const afterKill = await database.count();
      expect(afterKill!.total).toBeLessThan(2 * perModel);
      expect(afterKill!.total % 40).toBe(0);

      while (!(await database.leaseFree())) await new Promise((r) => setTimeout(r, 200));
      child = startSync();
      let output = '';
      child.stdout!.on('data', (chunk) => (output += chunk));
      child.stderr!.on('data', (chunk) => (output += chunk));
      const code = await exitOf(child);
      child = null;
      expect({ code, output }).toMatchObject({ code: 0 });
      await expect(database.count()).resolves.toEqual({ total: 2 * perModel, distinct: 2 * perModel });
      expect(output).toMatch(new RegExp(`${2 * perModel - afterKill!.total} created`));
    }, 180_000);
  });

  (testDatabaseKind() === 'mysql' ? describe : describe.skip)('two instances on one MariaDB database', () => {
    let fake: OdooFake;
    let t: TestApp;
    let other: INestApplication;

    beforeAll(async () => {
      fake = await OdooFake.start({ recordsPerModel: 300 });
      t = await TestApp.start({ crm: { distributor: distributorOptions(fake) } });
      await configureSources(t);
      other = await createApp({ database: t.dataSource.options, migrate: true, tokens: [], crm: { distributor: distributorOptions(fake) } }, false);
      await other.init();
    });
    afterAll(async () => {
      await other?.close();
      await t?.close();
      await fake?.close();
    });

    it('import each record once when both start a run at the same moment', async () => {
      const results = await Promise.allSettled([t.app.get(DistributorSyncService).runNow(), other.get(DistributorSyncService).runNow()]);
      const runs = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<RunBody>).value);
      const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
      expect(runs.every((run) => run.status === 'succeeded')).toBe(true);
      expect(refused.every((error) => error.code === 'CONFLICT')).toBe(true);
      expect(runs.reduce((sum, run) => sum + run.created, 0)).toBe(600);
      await expect(leadCounts(t.dataSource)).resolves.toEqual({ total: 600, distinct: 600 });
    });
  });
});

/** Migrates a database the way the demo host would and configures its sources, over HTTP. */
async function prepareDatabase(url: string): Promise<void> {
  const app = await createApp({ database: databaseOptions(url), migrate: true, tokens: [{ token: 'manager-token', user: { id: 'manager', roles: ['crm_manager'] } }] }, false);
  await app.init();
  try {
    await configureSources({ as: () => asManager(app) } as unknown as TestApp);
  } finally {
    await app.close();
  }
}

function asManager(app: INestApplication) {
  const server = app.getHttpServer();
  return {
    get: (url: string) => request(server).get(url).set('Authorization', 'Bearer manager-token'),
    post: (url: string, body?: object) => request(server).post(url).set('Authorization', 'Bearer manager-token').send(body ?? {}),
    patch: (url: string, body?: object) => request(server).patch(url).set('Authorization', 'Bearer manager-token').send(body ?? {}),
  };
}

/** A database a child process can open: a SQLite file, or a fresh MariaDB schema. */
async function crashDatabase(dir: string) {
  if (testDatabaseKind() === 'sqlite') {
    const file = join(dir, 'crm.sqlite');
    const Database = require('better-sqlite3');
    const read = <T>(work: (db: any) => T): T | null => {
      let db: any;
      try {
        db = new Database(file, { readonly: true, fileMustExist: true });
        return work(db);
      } catch {
        return null;
      } finally {
        db?.close();
      }
    };
    return {
      url: `sqlite:${file}`,
      count: async () =>
        read((db) => {
          const row = db.prepare("SELECT COUNT(*) AS total, COUNT(DISTINCT externalSource || '#' || externalId) AS perRecord FROM crm_lead WHERE externalSource IS NOT NULL").get();
          return { total: Number(row.total), distinct: Number(row.perRecord) };
        }),
      leaseFree: async () => true,
      drop: async () => undefined,
    };
  }
  const created = await createTestDatabase();
  const url = String((created.options as { url: string }).url);
  const { createConnection } = require('mysql2/promise');
  const query = async (sql: string) => {
    const connection = await createConnection(url);
    try {
      const [rows] = await connection.query(sql);
      return rows;
    } catch {
      return null;
    } finally {
      await connection.end();
    }
  };
  return {
    url,
    count: async () => {
      const rows = await query("SELECT COUNT(*) AS total, COUNT(DISTINCT CONCAT(externalSource, '#', externalId)) AS perRecord FROM crm_lead WHERE externalSource IS NOT NULL");
      return rows && { total: Number(rows[0].total), distinct: Number(rows[0].perRecord) };
    },
    leaseFree: async () => {
      const rows = await query('SELECT COUNT(*) AS held FROM crm_sync_lease WHERE expiresAt > NOW(6)');
      return rows !== null && Number(rows[0].held) === 0;
    },
    drop: created.drop,
  };
}
