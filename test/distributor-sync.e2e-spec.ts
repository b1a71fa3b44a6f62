import type { INestApplication } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DEFAULT_DISTRIBUTOR_MODELS, DISTRIBUTOR_CRON_JOB } from '../modules';
import { DistributorPageWriter } from '../modules/imports/distributor/distributor-page-writer.service';
import { DistributorSyncService } from '../modules/imports/distributor/distributor-sync.service';
import { SyncLeaseService } from '../modules/imports/distributor/sync-lease.service';
import { createApp } from '../src/bootstrap';
import {
  configureSources,
  cursor,
  cursorAfterAll,
  distributorOptions,
  leadCounts,
  leadOf,
  PROTOCOLS,
  QUOTATION,
  type RunBody,
  runSync,
  TEST_DRIVE,
} from './distributor/distributor-helpers';
import { FAKE_ODOO, OdooFake } from './fakes/odoo-fake';
import { TestApp } from './harness/test-app';
import { testDatabaseKind } from './harness/test-database';

/** The default late-commit window, in seconds. */
const WINDOW = 300;

/** After changing crm_source behind the API's back: raised by hand, as README (the catalogue in memory) says. */
async function bumpCatalogue(t: TestApp): Promise<void> {
  await t.dataSource.query("UPDATE crm_catalog_version SET version = version + 1 WHERE catalog = 'sources'");
}

describe.each(PROTOCOLS)('Distributor sync over $protocol from an Odoo $version (e2e)', ({ protocol, version }) => {
  describe('importing, re-reading and updating', () => {
    let fake: OdooFake;
    let t: TestApp;
    const perModel = 450;

    beforeAll(async () => {
      fake = await OdooFake.start({ recordsPerModel: perModel, tiesPerSecond: 7, version });
      t = await TestApp.start({ crm: { distributor: distributorOptions(fake, protocol) } });
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
      const [sources] = await t.query(
        `SELECT SUM(CASE WHEN s.code = 'source_web_quotation' THEN 1 ELSE 0 END) AS quotation, SUM(CASE WHEN s.code = 'source_web_test_drive' THEN 1 ELSE 0 END) AS testDrive
           FROM crm_lead l JOIN crm_source s ON s.id = l.sourceId WHERE l.externalSource IS NOT NULL`,
      );
      expect({ quotation: Number(sources.quotation), testDrive: Number(sources.testDrive) }).toEqual({ quotation: perModel, testDrive: perModel });
      await expect(cursor(t.dataSource, QUOTATION)).resolves.toEqual(cursorAfterAll(fake.records(QUOTATION)));
      await expect(cursor(t.dataSource, TEST_DRIVE)).resolves.toEqual(cursorAfterAll(fake.records(TEST_DRIVE)));
      const listed = await t.as('manager').get('/crm/imports/runs?kind=distributor').expect(200);
      expect(listed.body.items.map((r: RunBody) => r.id)).toContain(run.id);
    });

    it('reads nothing on a second run (the history is older than the late-commit window)', async () => {
      const before = fake.searchReads;
      const run = await runSync(t);
      expect(run).toMatchObject({ status: 'succeeded', processed: 0, created: 0, updated: 0, skipped: 0 });
      // One scan per model from its cursor, both empty.
      expect(fake.searchReads - before).toBe(2);
      await expect(leadCounts(t.dataSource)).resolves.toEqual({ total: 2 * perModel, distinct: 2 * perModel });
    });

    it('updates the lead of an edited record; runs inside the window re-read it and skip it; then nothing', async () => {
      fake.edit(QUOTATION, 17, { city: 'Vladivostok', vehicle_model: [9, 'Tiggo 9 Hybrid'] });
      await expect(runSync(t)).resolves.toMatchObject({ status: 'succeeded', processed: 1, updated: 1, created: 0, failed: 0 });
      const lead = await leadOf(t.dataSource, QUOTATION, 17);
      expect(lead).toMatchObject({ city: 'Vladivostok', customerRequirements: 'Tiggo 9 Hybrid' });
      // Within the late-commit window the edit is read again, and skipped: nothing differs.
      await expect(runSync(t)).resolves.toMatchObject({ status: 'succeeded', processed: 1, skipped: 1, updated: 0, created: 0 });
      fake.advance(WINDOW + 1);
      await expect(runSync(t)).resolves.toMatchObject({ status: 'succeeded', processed: 1, skipped: 1 });
      await expect(runSync(t)).resolves.toMatchObject({ status: 'succeeded', processed: 0 });
      await expect(leadCounts(t.dataSource)).resolves.toEqual({ total: 2 * perModel, distinct: 2 * perModel });
      await expect(cursor(t.dataSource, QUOTATION)).resolves.toEqual(cursorAfterAll(fake.records(QUOTATION)));
    });

    it('imports a record Odoo committed late, behind a cursor that already moved past its write_date', async () => {
      // A long transaction starts first (its records get its start as write_date)...
      const slow = fake.begin();
      const late = fake.create(TEST_DRIVE, 3, {}, slow);
      fake.advance(2);
      // ...a quick one starts and commits after it, and the sync reads it.
      const quick = fake.create(TEST_DRIVE, 2);
      await expect(runSync(t)).resolves.toMatchObject({ status: 'succeeded', created: 2 });
      expect((await cursor(t.dataSource, TEST_DRIVE))!.writeDate > late[0].write_date.slice(0, 19)).toBe(true);
      // The slow one commits: its records sit behind the cursor, inside the late-commit window.
      slow.commit();
      const run = await runSync(t);
      expect(run).toMatchObject({ status: 'succeeded', created: 3, failed: 0 });
      for (const record of [...late, ...quick]) await expect(leadOf(t.dataSource, TEST_DRIVE, record.id)).resolves.toBeDefined();
      await expect(leadCounts(t.dataSource)).resolves.toEqual({ total: 2 * perModel + 5, distinct: 2 * perModel + 5 });
      fake.advance(WINDOW + 1);
      await runSync(t);
    });

    it.each([
      ['down', /unreachable/],
      ['unavailable', /HTTP 503/],
      ['garbage', /garbage/],
      ['wrong-shape', /garbage/],
      ['timeout', /did not answer within 1000 ms/],
    ] as const)('retries when Odoo is %s, then fails with the reason and keeps the cursor', async (mode, reason) => {
      fake.create(QUOTATION, 3);
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
      fake.advance(WINDOW + 1);
      await runSync(t);
      fake.create(QUOTATION, 4);
      fake.create(TEST_DRIVE, 4);
      const before = await leadCounts(t.dataSource);
      const cursors = [await cursor(t.dataSource, QUOTATION), await cursor(t.dataSource, TEST_DRIVE)];
      await t.query("UPDATE crm_source SET active = ? WHERE code = 'source_web_test_drive'", [false]);
      await bumpCatalogue(t);
      try {
        const run = await runSync(t);
        expect(run).toMatchObject({ status: 'failed', processed: 0, created: 0 });
        expect(run.error).toMatch(/source_web_test_drive.*archived/);
      } finally {
        await t.query("UPDATE crm_source SET active = ? WHERE code = 'source_web_test_drive'", [true]);
        await bumpCatalogue(t);
      }
      await expect(leadCounts(t.dataSource)).resolves.toEqual(before);
      expect([await cursor(t.dataSource, QUOTATION), await cursor(t.dataSource, TEST_DRIVE)]).toEqual(cursors);
      await expect(runSync(t)).resolves.toMatchObject({ status: 'succeeded', created: 8 });
    });

    it('keeps a refused record with its payload and reason, and replays it once the CRM is fixed', async () => {
      fake.advance(WINDOW + 1);
      await runSync(t);
      const [source] = await t.query("SELECT id, defaultSalesDirectionId FROM crm_source WHERE code = 'source_web_test_drive'");
      await t.query('UPDATE crm_source SET defaultSalesDirectionId = NULL WHERE id = ?', [source.id]);
      await bumpCatalogue(t);
      const [record] = fake.create(TEST_DRIVE, 1);
      let run: RunBody;
      try {
        run = await runSync(t);
      } finally {
        await t.query('UPDATE crm_source SET defaultSalesDirectionId = ? WHERE id = ?', [source.defaultSalesDirectionId, source.id]);
        await bumpCatalogue(t);
      }
      expect(run).toMatchObject({ status: 'succeeded', processed: 1, created: 0, failed: 1 });
      const csv = await t.as('manager').get(`/crm/imports/runs/${run.id}/errors.csv`).expect(200);
      expect(csv.text).toContain(`${TEST_DRIVE}#${record.id}`);
      expect(csv.text).toMatch(/salesDirection is required/);
      const [error] = await t.query('SELECT id FROM crm_import_run_error WHERE runId = ?', [run.id]);
      const replayed = await t.as('manager').post(`/crm/imports/runs/${run.id}/errors/${error.id}/replay`).expect(200);
      expect(replayed.body).toMatchObject({ status: 'created' });
      const [lead] = await t.query('SELECT id, externalSource, externalId FROM crm_lead WHERE id = ?', [replayed.body.leadId]);
      expect(lead).toMatchObject({ externalSource: TEST_DRIVE, externalId: String(record.id) });
      const after = await t.as('manager').get(`/crm/imports/runs/${run.id}`).expect(200);
      expect(after.body).toMatchObject({ failed: 0, created: 1 });
      // Re-read inside the window: the replayed lead is found by its record, nothing is created twice.
      await expect(runSync(t)).resolves.toMatchObject({ status: 'succeeded', created: 0 });
    });

    it('registers no cron job when the cron expression is empty', () => {
      expect(t.app.get(SchedulerRegistry).doesExist('cron', DISTRIBUTOR_CRON_JOB)).toBe(false);
    });

    it('refuses a second run while one is going', async () => {
      fake.create(QUOTATION, 1);
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

    /** The lead of a record and its contact. */
    const leadAndContact = async (id: number) => {
      const lead = await leadOf(t.dataSource, QUOTATION, id);
      const [contact] = await t.query('SELECT * FROM crm_contact WHERE id = ?', [lead.contactId]);
      return { lead, contact };
    };
    /** Past the late-commit window, and a run, so the next run reads only what comes next. */
    const settled = async () => {
      fake.advance(WINDOW + 1);
      await runSync(t);
    };

    it('takes a mailbox-form email and a phone with an extension apart instead of refusing the record', async () => {
      await settled();
      const [record] = fake.create(QUOTATION, 1, { contact_name: 'Anna Smirnova', email_from: '"Anna Smirnova" <Anna.Smirnova@mail.example>', phone: '+7 495 123-45-67 доб. 12' });
      await expect(runSync(t)).resolves.toMatchObject({ status: 'succeeded', created: 1, failed: 0 });
      const { contact } = await leadAndContact(record.id);
      expect(contact).toMatchObject({ firstName: 'Anna', lastName: 'Smirnova', email: 'Anna.Smirnova@mail.example', emailKey: 'anna.smirnova@mail.example', phone: '+7 495 123-45-67', phoneExtension: '12' });
      const shown = await t.as('agent').get(`/crm/contacts/${contact.id}`).expect(200);
      expect(shown.body).toMatchObject({ phone: '+7 495 123-45-67', phoneExtension: '12' });
    });

    it('lets a manager correct a refused record and replay it', async () => {
      await settled();
      const [record] = fake.create(QUOTATION, 1, { contact_name: 'Cher' });
      const run = await runSync(t);
      expect(run).toMatchObject({ status: 'succeeded', processed: 1, failed: 1 });
      const [error] = await t.query('SELECT id FROM crm_import_run_error WHERE runId = ?', [run.id]);
      const replay = (body: object) => t.as('manager').post(`/crm/imports/runs/${run.id}/errors/${error.id}/replay`, body);
      // As it was, it is still refused: the reason, nothing written.
      const again = await replay({}).expect(400);
      expect(JSON.stringify(again.body)).toMatch(/lastName/);
      const unknown = await replay({ corrections: { budget: '100' } }).expect(400);
      expect(JSON.stringify(unknown.body)).toMatch(/corrections\.budget/);
      const replayed = await replay({ corrections: { lastName: 'Sarkisian', phone: '+1 555 010 9999 ext. 7' } }).expect(200);
      expect(replayed.body).toMatchObject({ status: 'created' });
      const { lead, contact } = await leadAndContact(record.id);
      expect(lead.id).toBe(replayed.body.leadId);
      expect(contact).toMatchObject({ firstName: 'Cher', lastName: 'Sarkisian', phone: '+1 555 010 9999', phoneExtension: '7' });
      await expect(t.as('manager').get(`/crm/imports/runs/${run.id}`).expect(200)).resolves.toMatchObject({ body: { failed: 0, created: 1 } });
      await replay({}).expect(409);
      // Re-read inside the window: found by its record, nothing created twice.
      await expect(runSync(t)).resolves.toMatchObject({ status: 'succeeded', created: 0 });
    });

    it("carries an email or phone changed in Odoo over to the lead's contact under the source's updateContact", async () => {
      await settled();
      const [source] = (await t.as('manager').get('/crm/sources?q=source_web_quotation').expect(200)).body.items;
      await t.as('manager').patch(`/crm/sources/${source.id}`, { version: source.version, updateContact: true }).expect(200);
      const [record] = fake.create(QUOTATION, 1, { contact_name: 'Olga Petrova', email_from: 'olga@old.example', phone: '+7 901 000 00 01' });
      await runSync(t);
      await settled();
      fake.edit(QUOTATION, record.id, { email_from: '"Olga Petrova" <olga@new.example>', phone: '+7 901 000 00 02 ext. 3' });
      const run = await runSync(t);
      expect(run).toMatchObject({ status: 'succeeded', processed: 1, updated: 1, skipped: 0 });
      const { contact } = await leadAndContact(record.id);
      expect(contact).toMatchObject({ email: 'olga@new.example', phone: '+7 901 000 00 02', phoneExtension: '3' });
      const history = await t.as('manager').get(`/crm/contacts/${contact.id}/history`).expect(200);
      expect(JSON.stringify(history.body.items[0])).toMatch(/olga@new\.example/);
    });

    it('clears on the lead (and, under updateContact, its contact) a field Odoo emptied (false)', async () => {
      await settled();
      const [record] = fake.create(QUOTATION, 1, { contact_name: 'Ivan Orlov', partner_name: 'Orlov Logistics', city: 'Kazan', vehicle_model: [2, 'Tiggo 7 Pro Max'], phone: '+7 902 000 00 01 доб. 5' });
      await runSync(t);
      const before = await leadAndContact(record.id);
      expect(before.lead).toMatchObject({ city: 'Kazan', customerRequirements: 'Tiggo 7 Pro Max', leadCompanyName: 'Orlov Logistics' });
      expect(before.contact).toMatchObject({ phone: '+7 902 000 00 01', phoneExtension: '5' });
      await settled();
      fake.edit(QUOTATION, record.id, { city: false, vehicle_model: false, partner_name: false, phone: false });
      await expect(runSync(t)).resolves.toMatchObject({ status: 'succeeded', processed: 1, updated: 1 });
      const after = await leadAndContact(record.id);
      expect(after.lead).toMatchObject({ city: null, customerRequirements: null, leadCompanyName: null, name: record.name });
      expect(after.contact).toMatchObject({ firstName: 'Ivan', lastName: 'Orlov', phone: null, phoneExtension: null, email: record.email_from });
    });
  });

  describe('one Odoo write of 10,000 records (one transaction, one write_date)', () => {
    let fake: OdooFake;
    let t: TestApp;

    beforeAll(async () => {
      fake = await OdooFake.start({ recordsPerModel: 0, version, models: [QUOTATION] });
      t = await TestApp.start({ crm: { distributor: distributorOptions(fake, protocol, { batchSize: 200, timeoutMs: 30_000, models: [DEFAULT_DISTRIBUTOR_MODELS[0]] }) } });
      await configureSources(t);
    });
    afterAll(async () => {
      await t?.close();
      await fake?.close();
    });

    it('imports every record exactly once and the run ends; the next run reads nothing', async () => {
      const written = fake.create(QUOTATION, 10_000);
      expect(new Set(written.map((r) => r.write_date)).size).toBe(1);
      // The import committed a while before the sync runs: outside the late-commit window.
      fake.advance(WINDOW + 1);
      const before = fake.searchReads;
      const run = await runSync(t);
      expect(run).toMatchObject({ status: 'succeeded', processed: 10_000, created: 10_000, failed: 0 });
      // A scan page finds the full second, 50 pages read it by id, one finds it ended, one scans on.
      expect(fake.searchReads - before).toBe(53);
      await expect(leadCounts(t.dataSource)).resolves.toEqual({ total: 10_000, distinct: 10_000 });
      await expect(cursor(t.dataSource, QUOTATION)).resolves.toEqual(cursorAfterAll(written));
      await expect(runSync(t)).resolves.toMatchObject({ status: 'succeeded', processed: 0 });
    }, 240_000);
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
    t = await TestApp.start({ crm: { distributor: distributorOptions(fake, 'json2', { models: [{ ...DEFAULT_DISTRIBUTOR_MODELS[0], fields }] }) } });
    await configureSources(t);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('links every lead to the contact and company of its own record, one contact and one company per person', async () => {
    const run = await runSync(t);
    expect(run).toMatchObject({ status: 'succeeded', processed: perModel, created: perModel, failed: 0 });
    const rows: Array<{ externalId: string; emailKey: string | null; tin: string | null; companyName: string | null }> = await t.query(
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
    const [withoutCompany] = await t.query('SELECT COUNT(*) AS n FROM crm_lead WHERE externalSource = ? AND companyId IS NULL', [QUOTATION]);
    const privatePersons = fake.records(QUOTATION).filter((r) => r.vat === false).length;
    expect(privatePersons).toBeGreaterThan(0);
    expect(Number(withoutCompany.n)).toBe(privatePersons);
    const people = new Set(fake.records(QUOTATION).map((r) => r.email_from));
    const companies = new Set(fake.records(QUOTATION).filter((r) => r.vat !== false).map((r) => r.vat));
    const [counts] = await t.query('SELECT (SELECT COUNT(*) FROM crm_contact) AS contacts, (SELECT COUNT(*) FROM crm_company) AS companies');
    expect({ contacts: Number(counts.contacts), companies: Number(counts.companies) }).toEqual({ contacts: people.size, companies: companies.size });
  });

  it('records the second request of a person, in sync order, as a duplicate of the lead of the first', async () => {
    const inSyncOrder = [...fake.records(QUOTATION)].sort((a, b) => (a.write_date === b.write_date ? a.id - b.id : a.write_date < b.write_date ? -1 : 1));
    const intakeOf = async (record: { id: number }) => {
      const [lead] = await t.query('SELECT id FROM crm_lead WHERE externalSource = ? AND externalId = ?', [QUOTATION, String(record.id)]);
      const history = await t.as('manager').get(`/crm/leads/${lead.id}/history`).expect(200);
      // The run keeps what the intake matched; the lead's history shows it on its creation, the last line.
      const creation = history.body.items[history.body.items.length - 1];
      expect(history.body.items.some((entry: { action: string }) => entry.action === 'intake')).toBe(false);
      expect(creation).toMatchObject({ action: 'create', importRun: { kind: 'distributor', model: QUOTATION, remoteId: record.id, writeDate: expect.any(String) } });
      return { leadId: Number(lead.id), intake: { status: 'created', duplicate: creation.importRun.duplicate, duplicateOfLeadId: creation.importRun.duplicateOfLeadId } };
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

describe('Distributor sync scheduling and credentials (e2e)', () => {
  let fake: OdooFake;
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    fake = await OdooFake.start({ recordsPerModel: 10, version: 19, deprecatedRpc: true });
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await fake?.close();
  });

  it("is scheduled in the host's SchedulerRegistry from the cron option, and speaks JSON-2 by default", async () => {
    const t = await TestApp.start({ crm: { distributor: { url: fake.url, database: FAKE_ODOO.database, apiKey: FAKE_ODOO.apiKey, cron: '*/5 * * * *' } } });
    try {
      expect(t.app.get(SchedulerRegistry).getCronJob(DISTRIBUTOR_CRON_JOB).cronTime.source).toBe('*/5 * * * *');
      await configureSources(t);
      await expect(runSync(t)).resolves.toMatchObject({ status: 'succeeded', created: 20 });
    } finally {
      await t.close();
    }
  });

  it('fails at once, without retrying, naming the refused login (JSON-RPC) or key (JSON-2)', async () => {
    const t = await TestApp.start({ crm: { distributor: distributorOptions(fake, 'jsonrpc', { password: 'wrong' }) } });
    try {
      const before = fake.requests;
      const run = await runSync(t);
      expect(run).toMatchObject({ status: 'failed', created: 0 });
      expect(run.error).toMatch(/refused the login/);
      expect(fake.requests - before).toBe(1);

      const json2 = await createApp(
        { database: t.dataSource.options, migrate: true, tokens: [], crm: { distributor: distributorOptions(fake, 'json2', { apiKey: 'stolen' }) } },
        false,
      );
      apps.push(json2);
      await json2.init();
      const refused = await json2.get(DistributorSyncService).runNow();
      expect(refused).toMatchObject({ status: 'failed', created: 0 });
      expect(refused.error).toMatch(/HTTP 401.*Invalid apikey/);
    } finally {
      await t.close();
    }
  });
});

(testDatabaseKind() === 'mysql' ? describe : describe.skip)('two instances on one MariaDB database', () => {
  let fake: OdooFake;
  let t: TestApp;
  let other: INestApplication;

  beforeAll(async () => {
    fake = await OdooFake.start({ recordsPerModel: 300 });
    t = await TestApp.start({ crm: { distributor: distributorOptions(fake, 'json2') } });
    await configureSources(t);
    other = await createApp({ database: t.dataSource.options, migrate: true, tokens: [], crm: { distributor: distributorOptions(fake, 'json2') } }, false);
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

describe('a page commits only after the page before it (MySQL/MariaDB and PostgreSQL start it while that one writes)', () => {
  let fake: OdooFake;
  let t: TestApp;
  const perModel = 250;

  beforeAll(async () => {
    fake = await OdooFake.start({ recordsPerModel: perModel, tiesPerSecond: 7, models: [QUOTATION] });
    t = await TestApp.start({ crm: { distributor: distributorOptions(fake, 'json2', { models: [DEFAULT_DISTRIBUTOR_MODELS[0]] }) } });
    await configureSources(t);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t?.close();
    await fake?.close();
  });

  it('writes nothing of the next page, and keeps the cursor after the first, when the lease is lost after the first page', async () => {
    const write = jest.spyOn(t.app.get(DistributorPageWriter), 'write');
    jest.spyOn(t.app.get(SyncLeaseService), 'renew').mockResolvedValueOnce(false);
    const run = await runSync(t);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/lease expired/);
    const [, , , firstPage, firstAdvance] = write.mock.calls[0];
    expect(firstPage.length).toBeGreaterThan(0);
    expect(firstPage.length).toBeLessThan(perModel);
    expect(run).toMatchObject({ processed: firstPage.length, created: firstPage.length });
    await expect(leadCounts(t.dataSource)).resolves.toEqual({ total: firstPage.length, distinct: firstPage.length });
    await expect(cursor(t.dataSource, QUOTATION)).resolves.toEqual({ writeDate: firstAdvance.writeDate, lastId: firstAdvance.lastId });
    // The next run resumes from there and takes the rest, nothing twice.
    await expect(runSync(t)).resolves.toMatchObject({ status: 'succeeded', created: perModel - firstPage.length, failed: 0 });
    await expect(leadCounts(t.dataSource)).resolves.toEqual({ total: perModel, distinct: perModel });
  });
});
