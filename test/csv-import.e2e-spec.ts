import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { Company } from '../modules/directory/company.entity';
import { Lead } from '../modules/leads/lead.entity';
import { finishedRun, type RunBody } from './harness/import-runs';
import { TestApp } from './harness/test-app';
import { testDatabaseKind } from './harness/test-database';

const HEADER = 'name,source,company_name,website,tin,first_name,last_name,email,phone,city,sales_direction,product,external_id';


describe('CSV lead import (e2e)', () => {
  let t: TestApp;

  const upload = (csv: string, query = '', role = 'manager') =>
    t.request()
      .post(`/crm/imports/csv${query}`)
      .set('Authorization', `Bearer ${role}-token`)
      .attach('file', Buffer.from(csv, 'utf8'), { filename: 'leads.csv', contentType: 'text/csv' });

  const finished = (id: number): Promise<RunBody> => finishedRun(t, id);

  const importCsv = async (csv: string, query = ''): Promise<RunBody> => {
    const res = await upload(csv, query).expect(202);
    expect(res.body).toMatchObject({ kind: 'csv', status: 'queued' });
    return finished(res.body.id);
  };

  const errorsCsv = async (runId: number): Promise<Record<string, string>[]> => {
    const res = await t.as('manager').get(`/crm/imports/runs/${runId}/errors.csv`).expect(200);
    expect(res.headers['content-type']).toContain('text/csv');
    return parse(res.text, { columns: true });
  };

  const leadCount = () => t.dataSource.getRepository(Lead).count();

  beforeAll(async () => {
    // Tiny batches, so a few rows already span several transactions.
    t = await TestApp.start({ crm: { intake: { csvBatchSize: 2 } } });
    await t.as('manager').post('/crm/sales-directions', { name: 'Fleet', code: 'fleet' }).expect(201);
    await t.as('manager').post('/crm/sales-directions', { name: 'Retail' }).expect(201);
    await t.as('manager').post('/crm/products', { name: 'Cargo Van', code: 'van' }).expect(201);
    await t.as('manager').post('/crm/sources', { type: 'campaign', name: 'Spreadsheet Import', code: 'sheet', matchKeys: ['xls'] }).expect(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('the upload', () => {
    it('needs imports.run', async () => {
      await upload(`${HEADER}\n`, '', 'agent').expect(403);
      await upload(`${HEADER}\n`, '', 'anonymous').expect(401);
    });

    it('must be multipart with a file field whose header names known columns', async () => {
      const json = await t.as('manager').post('/crm/imports/csv', { rows: [] }).expect(400);
      expect(json.body.errors).toEqual([expect.objectContaining({ field: 'file', rule: 'multipart' })]);
      const none = await t.request().post('/crm/imports/csv').set('Authorization', 'Bearer manager-token').field('note', 'x').expect(400);
      expect(none.body.errors).toEqual([expect.objectContaining({ field: 'file', rule: 'required' })]);
      const columns = await upload('name,shoe_size\nA,42\n').expect(400);
      expect(columns.body.errors).toEqual([expect.objectContaining({ field: 'file', rule: 'columns' })]);
      expect(columns.body.message).toContain('shoe_size');
    });
  });

  describe('a dry run', () => {
    it('validates every row, reports each failure, and writes no lead', async () => {
      const before = await leadCount();
      const csv = [
        HEADER,
        'Good one,sheet,,,,Ann,Able,ann@dry.example,,Lyon,fleet,van,',
        'Bad email,sheet,,,,Bob,Baker,not-an-email,,,fleet,,',
        'Unknown source,nowhere,,,,Cy,Cole,cy@dry.example,,,fleet,,',
        'By names,Spreadsheet Import,,,,Di,Dahl,di@dry.example,,,Retail,Cargo Van,',
      ].join('\n');
      const run = await importCsv(csv, '?dryRun=true');
      expect(run).toMatchObject({ status: 'succeeded', dryRun: true, total: 4, processed: 4, created: 2, updated: 0, skipped: 0, failed: 2 });
      await expect(leadCount()).resolves.toBe(before);
      const errors = await errorsCsv(run.id);
      expect(errors.map((e) => [e.row_number, e.name])).toEqual([
        ['2', 'Bad email'],
        ['3', 'Unknown source'],
      ]);
      expect(errors[0].error).toContain('email');
      expect(errors[1].error).toContain('nowhere');
      const errorId: number = (await t.query('SELECT id FROM crm_import_run_error WHERE runId = ? ORDER BY id', [run.id]))[0].id;
      const replay = await t.as('manager').post(`/crm/imports/runs/${run.id}/errors/${errorId}/replay`).expect(409);
      expect(replay.body.details).toEqual({ dryRun: true });
    });

    it('rejects a bad dryRun value', async () => {
      const res = await upload(`${HEADER}\n`, '?dryRun=maybe').expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'dryRun' })]);
    });
  });

  describe('an import', () => {
    const file = [
      HEADER,
      'Row with id,sheet,Acme,acme.example,7701234567,Eve,Early,eve@acme.example,+1 555 0101,Paris,fleet,van,A-1',
      'Row by email,xls,,,,Fay,Fox,fay@fox.example,,Nice,Fleet,,',
      '"Quoted, name",SHEET-NAME-MISSING,,,,Gus,Gray,gus@gray.example,,,fleet,,',
      'Row by tin,sheet,Tincorp,tincorp.example,7707654321,,,,,,fleet,,',
      'No direction,sheet,,,,Hal,Hill,hal@hill.example,,,,,',
    ].join('\n');
    let first: RunBody;

    it('creates the valid rows through the pipeline and keeps the others for errors.csv', async () => {
      const before = await leadCount();
      first = await importCsv(file);
      expect(first).toMatchObject({ status: 'succeeded', dryRun: false, total: 5, processed: 5, created: 3, updated: 0, skipped: 0, failed: 2 });
      await expect(leadCount()).resolves.toBe(before + 3);
      const withId = await t.dataSource.getRepository(Lead).findOneByOrFail({ externalSource: 'csv', externalId: 'A-1' });
      expect(withId).toMatchObject({ name: 'Row with id', city: 'Paris', companyId: expect.any(Number), contactId: expect.any(Number) });
      const errors = await errorsCsv(first.id);
      expect(errors.map((e) => e.row_number)).toEqual(['3', '5']);
      expect(errors[0]).toMatchObject({ name: 'Quoted, name', source: 'SHEET-NAME-MISSING', first_name: 'Gus', email: 'gus@gray.example' });
      expect(errors[1].error).toContain('salesDirection');
      const header = (await t.as('manager').get(`/crm/imports/runs/${first.id}/errors.csv`)).text.split('\n')[0];
      expect(header).toBe(
        'error_id,row_number,name,source,product_category,company_name,website,tin,first_name,last_name,middle_name,email,phone,job_title,city,channel,customer_requirements,sales_direction,product,marketing_campaign,external_id,error',
      );
    });

    it('audits the import per page and entity type, not per lead: each lead\'s history starts "created by import run R, row N" with the values it was created with', async () => {
      const audit = (where: string, params: unknown[]) => t.query(`SELECT entityType, entityId, action, changes FROM crm_audit_entry WHERE ${where} ORDER BY id`, params);
      const leads = await t.dataSource.getRepository(Lead).find({ where: [{ name: 'Row with id' }, { name: 'Row by email' }, { name: 'Row by tin' }], order: { id: 'ASC' } });
      expect(leads).toHaveLength(3);
      // No entry of the leads' own, neither a creation nor an intake.
      await expect(audit("entityType = 'lead' AND entityId IN (?, ?, ?)", leads.map((l) => String(l.id)))).resolves.toEqual([]);
      // Batches of two rows: pages [1, 2] (two leads, their contacts and company), [3, 4] (a lead and its company) and [5] (refused, nothing created).
      const pages: { entityType: string; entityId: string; action: string; changes: string }[] = await audit("entityType = 'import_run' AND entityId = ?", [String(first.id)]);
      const created = pages.map((p) => JSON.parse(p.changes) as [string, unknown][]).map((c) => Object.fromEntries(c));
      expect(pages.every((p) => p.action === 'import')).toBe(true);
      expect(created.filter((c) => c.entityType === 'lead')).toEqual([
        { entityType: 'lead', count: 2, ids: [`${leads[0].id}-${leads[1].id}`] },
        { entityType: 'lead', count: 1, ids: [String(leads[2].id)] },
      ]);
      expect(created.filter((c) => c.entityType === 'company').map((c) => c.count)).toEqual([1, 1]);

      const history = await t.as('manager').get(`/crm/leads/${leads[2].id}/history`).expect(200);
      expect(history.body.total).toBe(1);
      expect(history.body.items[0]).toMatchObject({
        action: 'create',
        actorId: 'manager',
        derived: true,
        importRun: { runId: first.id, kind: 'csv', fileName: 'leads.csv', rowNumber: 4, duplicate: false, duplicateOfLeadId: null, description: `Created by import run ${first.id}, row 4 of leads.csv` },
      });
      expect(history.body.items[0].changes).toEqual(expect.arrayContaining([{ field: 'name', before: null, after: 'Row by tin' }, { field: 'companyId', before: null, after: leads[2].companyId }]));
      const company = await t.as('manager').get(`/crm/companies/${leads[2].companyId}/history`).expect(200);
      expect(company.body.items).toEqual([expect.objectContaining({ action: 'create', derived: true, importRun: expect.objectContaining({ runId: first.id, kind: 'csv' }) })]);
      expect(company.body.items[0].changes).toContainEqual({ field: 'name', before: null, after: 'Tincorp' });
    });

    it('importing the same file twice creates nothing new', async () => {
      const before = await leadCount();
      const again = await importCsv(file);
      expect(again).toMatchObject({ status: 'succeeded', total: 5, created: 0, updated: 0, skipped: 3, failed: 2 });
      await expect(leadCount()).resolves.toBe(before);
    });

    it('updates the lead a row identifies (by external_id, else email or TIN) with what changed', async () => {
      const changed = [HEADER, 'Row with id,sheet,Acme,acme.example,7701234567,Eve,Early,eve@acme.example,+1 555 0101,Lyon,fleet,van,A-1', 'Row by email,xls,,,,Fay,Fox,fay@fox.example,,Cannes,Fleet,,'].join('\n');
      const before = await leadCount();
      const run = await importCsv(changed);
      expect(run).toMatchObject({ created: 0, updated: 2, skipped: 0, failed: 0 });
      await expect(leadCount()).resolves.toBe(before);
      await expect(t.dataSource.getRepository(Lead).findOneByOrFail({ externalId: 'A-1' })).resolves.toMatchObject({ city: 'Lyon' });
      // The update keeps its before/after entry; the creation's values are derived with it undone.
      const lead = await t.dataSource.getRepository(Lead).findOneByOrFail({ externalId: 'A-1' });
      const history = await t.as('manager').get(`/crm/leads/${lead.id}/history`).expect(200);
      expect(history.body.items.map((e: { action: string }) => e.action)).toEqual(['update', 'create']);
      expect(history.body.items[0].changes).toEqual([{ field: 'city', before: 'Paris', after: 'Lyon' }]);
      expect(history.body.items[1]).toMatchObject({ derived: true, importRun: { runId: first.id, rowNumber: 1 } });
      expect(history.body.items[1].changes).toContainEqual({ field: 'city', before: null, after: 'Paris' });
    });

    it('takes a row with an unknown external_id as a new lead even when its person has one, and a second import changes nothing', async () => {
      const csv = [
        HEADER,
        'First ask,sheet,Zeta,zeta.example,7709990001,Zoe,Zane,zoe@zeta.example,+1 555 0199,Nice,fleet,,Z-1',
        'Second ask,sheet,Zeta,zeta.example,7709990001,Zoe,Zane,ZOE@zeta.example,+1 555 0199,Nice,fleet,,Z-2',
      ].join('\n');
      const run = await importCsv(csv);
      expect(run).toMatchObject({ created: 2, updated: 0, failed: 0 });
      const leads = await t.dataSource.getRepository(Lead).find({ where: [{ externalId: 'Z-1' }, { externalId: 'Z-2' }], order: { externalId: 'ASC' } });
      expect(leads.map((l) => l.name)).toEqual(['First ask', 'Second ask']);
      // The second ask is a duplicate: the same contact and company, not new ones.
      expect(leads[1]).toMatchObject({ contactId: leads[0].contactId, companyId: leads[0].companyId });
      await expect(importCsv(csv)).resolves.toMatchObject({ created: 0, updated: 0, skipped: 2, failed: 0 });
    });

    it('a fixed errors.csv can be uploaded as it is', async () => {
      const rows = await errorsCsv(first.id);
      const fixed = rows.map((row) => ({ ...row, source: 'sheet', sales_direction: row.sales_direction || 'fleet' }));
      const run = await importCsv(stringify(fixed, { header: true, columns: Object.keys(rows[0]) }));
      expect(run).toMatchObject({ total: 2, created: 2, failed: 0 });
    });

    it('rolls a row that fails while writing back alone, keeping the rest of its batch', async () => {
      const archived = (await t.as('manager').post('/crm/sources', { type: 'campaign', name: 'Old sheet', code: 'old_sheet' }).expect(201)).body;
      await t.as('manager').post(`/crm/sources/${archived.id}/archive`).expect(200);
      const csv = [HEADER, 'Ok row,sheet,,,,Ida,Ink,ida@ink.example,,,fleet,,', 'Archived source,old_sheet,Ghostco,ghostco.example,7700000001,Jo,Jet,jo@jet.example,,,fleet,,'].join('\n');
      const run = await importCsv(csv);
      expect(run).toMatchObject({ created: 1, failed: 1 });
      await expect(t.dataSource.getRepository(Company).countBy({ name: 'Ghostco' })).resolves.toBe(0);
      const errors = await errorsCsv(run.id);
      expect(errors).toEqual([expect.objectContaining({ row_number: '2', name: 'Archived source' })]);
      expect(errors[0].error).toContain('archived');
    });

    it('replays a failed row once its problem is fixed; the run is recounted and errors.csv drops it', async () => {
      const run = await importCsv([HEADER, 'Late source,partner_sheet,,,,Kim,Kay,kim@kay.example,,,fleet,,'].join('\n'));
      expect(run).toMatchObject({ failed: 1 });
      // errors.csv names the error a replay takes.
      const errorId = Number((await errorsCsv(run.id))[0].error_id);
      await t.as('manager').post(`/crm/imports/runs/${run.id}/errors/${errorId}/replay`).expect(422);
      await t.as('manager').post('/crm/sources', { type: 'referral', name: 'Partner sheet', code: 'partner_sheet' }).expect(201);
      const replayed = await t.as('manager').post(`/crm/imports/runs/${run.id}/errors/${errorId}/replay`).expect(200);
      expect(replayed.body).toMatchObject({ errorId, status: 'created', leadId: expect.any(Number) });
      await t.as('manager').post(`/crm/imports/runs/${run.id}/errors/${errorId}/replay`).expect(409);
      await expect(finished(run.id)).resolves.toMatchObject({ created: 1, failed: 0 });
      await expect(errorsCsv(run.id)).resolves.toEqual([]);
    });

    it('lists runs, filtered by kind', async () => {
      const csvRuns = await t.as('manager').get('/crm/imports/runs?kind=csv').expect(200);
      expect(csvRuns.body.total).toBeGreaterThanOrEqual(6);
      expect(csvRuns.body.items.every((r: RunBody & { kind: string }) => r.kind === 'csv')).toBe(true);
      await expect(t.as('manager').get('/crm/imports/runs?kind=distributor')).resolves.toMatchObject({ status: 200, body: expect.objectContaining({ total: 0 }) });
      await t.as('manager').get('/crm/imports/runs/99999').expect(404);
      await t.as('agent').get('/crm/imports/runs').expect(403);
    });

    // SQLite prepares each distinct SQL text anew and frees it only when V8 collects it (TypeORM writes a where's numbers into the
    // text): a statement naming a batch's ids filled a 1,000,000-row import's memory with one prepared statement per batch.
    (testDatabaseKind() === 'sqlite' ? it : it.skip)('prepares fewer SQLite statements for an import than it has batches: its batches reuse theirs', async () => {
      const connection = (t.dataSource.driver as unknown as { databaseConnection: { prepare: (sql: string) => unknown } }).databaseConnection;
      const people = (tag: string, count: number) =>
        [HEADER, ...Array.from({ length: count }, (_, i) => `Lead ${tag}${i},sheet,Company ${tag}${i},,,First,Last${tag}${i},${tag}${i}@prepare.example,,,fleet,,`)].join('\n');
      const preparedBy = async (csv: string): Promise<number> => {
        const prepare = jest.spyOn(connection, 'prepare');
        try {
          await expect(importCsv(csv)).resolves.toMatchObject({ status: 'succeeded', failed: 0 });
          return prepare.mock.calls.length;
        } finally {
          prepare.mockRestore();
        }
      };
      await preparedBy(people('warm', 8));
      // 64 rows in batches of 2: a statement per batch would be 32. What may still be new is bounded by design (the run's own
      // statements, and the lead tally's upsert per shard, whose numbers TypeORM also writes into the text).
      await expect(preparedBy(people('long', 64))).resolves.toBeLessThan(32);
    });
  });
});
