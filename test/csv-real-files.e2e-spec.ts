import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import request from 'supertest';
import { Lead } from '../modules/leads/lead.entity';
import { finishedRun, type RunBody } from './harness/import-runs';
import { TestApp } from './harness/test-app';

/**
 * CSV files as people really have them: saved by Excel in a Cyrillic or Western locale
 * (Windows-1251/1252, semicolons), exported as UTF-16 or with a BOM, with headers spelled their
 * way, and with the odd broken row. Each file is imported, or refused with a 400 that says why,
 * and a broken row fails alone, in our words.
 */
describe('CSV files people really have (e2e)', () => {
  let t: TestApp;


  const upload = (file: Buffer, query = '') =>
    request(t.app.getHttpServer())
      .post(`/crm/imports/csv${query}`)
      .set('Authorization', 'Bearer manager-token')
      .attach('file', file, { filename: 'leads.csv', contentType: 'text/csv' });

  const finished = (id: number): Promise<RunBody> => finishedRun(t, id);

  const importFile = async (file: Buffer, query = ''): Promise<RunBody> => {
    const res = await upload(file, query);
    expect([res.status, res.body.message]).toEqual([202, undefined]);
    return finished(res.body.id);
  };

  const errorsCsv = async (runId: number): Promise<Record<string, string>[]> =>
    parse((await t.as('manager').get(`/crm/imports/runs/${runId}/errors.csv`).expect(200)).text, { columns: true });

  const leadNamed = (name: string) => t.dataSource.getRepository(Lead).findOneBy({ name });

  const utf8 = (text: string) => Buffer.from(text, 'utf8');

  beforeAll(async () => {
    t = await TestApp.start({ crm: { intake: { csvBatchSize: 3 } } });
    await t.as('manager').post('/crm/sales-directions', { name: 'Fleet', code: 'fleet' }).expect(201);
    await t.as('manager').post('/crm/sources', { type: 'campaign', name: 'Sheet', code: 'sheet' }).expect(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('encodings', () => {
    const cyrillic = 'name,source,sales_direction,first_name,last_name,city\nЗаявка Иванова,sheet,fleet,Иван,Иванов,Москва\nЗаявка Петровой,sheet,fleet,Мария,Петрова,Санкт-Петербург\n';

    it('detects Windows-1251 (what Excel saves in a Russian locale) and keeps the letters', async () => {
      const run = await importFile(iconv.encode(cyrillic, 'windows-1251'));
      expect(run).toMatchObject({ status: 'succeeded', created: 2, failed: 0 });
      await expect(leadNamed('Заявка Иванова')).resolves.toMatchObject({ city: 'Москва' });
    });

    it('detects Windows-1252, and takes UTF-8 with a BOM, UTF-16 with a BOM and UTF-16 without one', async () => {
      const western = 'name,source,sales_direction,first_name,last_name,city\nDemande de François,sheet,fleet,François,Müller,Besançon\n';
      await expect(importFile(iconv.encode(western, 'windows-1252'))).resolves.toMatchObject({ created: 1, failed: 0 });
      await expect(leadNamed('Demande de François')).resolves.toMatchObject({ city: 'Besançon' });
      const line = (name: string) => `name,source,sales_direction,city\n${name},sheet,fleet,Zürich\n`;
      await expect(importFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(line('With a UTF-8 BOM'))]))).resolves.toMatchObject({ created: 1 });
      await expect(importFile(iconv.encode(line('UTF-16 with a BOM'), 'utf-16le', { addBOM: true }))).resolves.toMatchObject({ created: 1 });
      await expect(importFile(iconv.encode(line('UTF-16 big-endian'), 'utf-16be', { addBOM: true }))).resolves.toMatchObject({ created: 1 });
      await expect(importFile(iconv.encode(line('UTF-16 without a BOM'), 'utf-16le'))).resolves.toMatchObject({ created: 1 });
      for (const name of ['With a UTF-8 BOM', 'UTF-16 with a BOM', 'UTF-16 big-endian', 'UTF-16 without a BOM']) await expect(leadNamed(name)).resolves.toMatchObject({ city: 'Zürich' });
    });

    it('takes the encoding it is told', async () => {
      const file = iconv.encode('name,source,sales_direction,city\nСказано явно,sheet,fleet,Киев\n', 'koi8-r');
      await expect(importFile(file, '?encoding=KOI8-R')).resolves.toMatchObject({ created: 1 });
      await expect(leadNamed('Сказано явно')).resolves.toMatchObject({ city: 'Киев' });
    });

    it('refuses a file that is not valid in the encoding it is told, saying so, and starts no run', async () => {
      const runsBefore = (await t.as('manager').get('/crm/imports/runs?kind=csv').expect(200)).body.total;
      const notUtf8 = await upload(iconv.encode(cyrillic, 'windows-1251'), '?encoding=utf-8').expect(400);
      expect(notUtf8.body.errors).toEqual([expect.objectContaining({ field: 'file', rule: 'encoding' })]);
      expect(notUtf8.body.message).toMatch(/not valid UTF-8 \(line 2 .*encoding/);
      const utf16 = await upload(Buffer.from([0x6e, 0x00, 0x61, 0x00, 0x00, 0xd8, 0x0a, 0x00]), '?encoding=utf-16le').expect(400);
      expect(utf16.body.message).toMatch(/not valid utf-16le \(line 1/);
      const unknown = await upload(utf8('name\nx\n'), '?encoding=klingon').expect(400);
      expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'encoding', rule: 'isIn' })]);
      await expect(t.as('manager').get('/crm/imports/runs?kind=csv').expect(200)).resolves.toMatchObject({ body: expect.objectContaining({ total: runsBefore }) });
    });
  });

  describe('delimiters and headers', () => {
    it('detects semicolons (Excel in many locales) and tabs', async () => {
      await expect(importFile(utf8('name;source;sales_direction;city\nSemicolon row;sheet;fleet;Lille\n'))).resolves.toMatchObject({ created: 1, failed: 0 });
      await expect(leadNamed('Semicolon row')).resolves.toMatchObject({ city: 'Lille' });
      await expect(importFile(utf8('name\tsource\tsales_direction\tcity\nTab row\tsheet\tfleet\tGent\n'))).resolves.toMatchObject({ created: 1 });
      await expect(leadNamed('Tab row')).resolves.toMatchObject({ city: 'Gent' });
    });

    it('takes the delimiter it is told, and a wrong one is refused naming the delimiter it read with', async () => {
      await expect(importFile(utf8('name;source;sales_direction\nTold semicolon;sheet;fleet\n'), '?delimiter=semicolon')).resolves.toMatchObject({ created: 1 });
      const wrong = await upload(utf8('name;source;sales_direction\nx;sheet;fleet\n'), '?delimiter=comma').expect(400);
      expect(wrong.body.message).toMatch(/read with delimiter comma.*unknown columns: name;source;sales_direction/);
      const bad = await upload(utf8('name\nx\n'), '?delimiter=pipe').expect(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'delimiter' })]);
    });

    it('maps the common spellings of the columns (E-mail, e_mail, Phone number, First Name)', async () => {
      const run = await importFile(utf8('Name,Source,Sales Direction,First Name,Last Name,E-mail,Phone number\nSpelled row,sheet,fleet,Ann,Able,ann@spelled.example,+33 1 23 45 67 89\n'));
      expect(run).toMatchObject({ created: 1, failed: 0 });
      const lead = await leadNamed('Spelled row');
      const [contact] = await t.query('SELECT email, phone FROM crm_contact WHERE id = ?', [lead!.contactId]);
      expect(contact).toMatchObject({ email: 'ann@spelled.example', phone: expect.stringContaining('23') });
      const underscored = await importFile(utf8('name,source,sales_direction,first_name,last_name,e_mail\nUnderscored,sheet,fleet,Bo,Berg,bo@spelled.example\n'));
      expect([underscored.created, await errorsCsv(underscored.id)]).toEqual([1, []]);
    });
  });

  describe('broken rows fail alone, in our words', () => {
    it('a row with too many fields (an unquoted comma) or too few fails; the rows around it are imported', async () => {
      const file = ['name,source,sales_direction,city', 'Before,sheet,fleet,Paris', 'Acme, Inc,sheet,fleet,Paris', 'Short,sheet', 'Trailing comma,sheet,fleet,Nice,', 'After,sheet,fleet,Lyon'].join('\n');
      const run = await importFile(utf8(file));
      expect(run).toMatchObject({ status: 'succeeded', total: 5, processed: 5, created: 3, failed: 2 });
      const errors = await errorsCsv(run.id);
      expect(errors.map((e) => [e.row_number, e.name, e.error])).toEqual([
        ['2', 'Acme', expect.stringMatching(/5 fields but the header has 4: a value holding the delimiter \(comma\) must be put in double quotes/)],
        ['3', 'Short', expect.stringMatching(/2 fields but the header has 4/)],
      ]);
    });

    it('a malformed quote fails its row and the next rows are read again from the next line', async () => {
      const file = ['name,source,sales_direction,city', 'First,sheet,fleet,Paris', '"Bad" quote,sheet,fleet,Paris', 'Third,sheet,fleet,Lyon', 'Stray "quote,sheet,fleet,Nice', 'Fifth,sheet,fleet,Metz', '"Never closed,sheet,fleet,Brest'].join('\n');
      const run = await importFile(utf8(file));
      expect(run).toMatchObject({ status: 'succeeded', total: 6, created: 3, failed: 3 });
      for (const name of ['First', 'Third', 'Fifth']) await expect(leadNamed(name)).resolves.not.toBeNull();
      const errors = await errorsCsv(run.id);
      expect(errors.map((e) => [e.row_number, e.error])).toEqual([
        ['2', expect.stringMatching(/malformed quote/)],
        ['4', expect.stringMatching(/malformed quote/)],
        ['6', expect.stringMatching(/malformed quote: a value opened with a double quote is never closed/)],
      ]);
    });

    it('a 1 MB cell fails its row, never the run, and never with the database\'s own words', async () => {
      const huge = 'x'.repeat(1024 * 1024);
      const file = ['name,source,sales_direction,customer_requirements', 'Small,sheet,fleet,Vans', `Huge,sheet,fleet,${huge}`, `Quoted huge,sheet,fleet,"${huge}"`, `Long but under the row limit,sheet,fleet,${'y'.repeat(20_000)}`, 'Last,sheet,fleet,Cars'].join('\n');
      const run = await importFile(utf8(file));
      expect(run).toMatchObject({ status: 'succeeded', error: null, total: 5, created: 2, failed: 3 });
      const errors = await errorsCsv(run.id);
      expect(errors.map((e) => [e.row_number, e.error])).toEqual([
        ['2', expect.stringMatching(/row is longer than 65536 bytes/)],
        ['3', expect.stringMatching(/row is longer than 65536 bytes/)],
        ['4', expect.stringMatching(/customerRequirements must be at most 10000 characters/)],
      ]);
      expect(errors[2].customer_requirements).toHaveLength(10_001);
      expect(JSON.stringify(errors)).not.toMatch(/Data too long|payload'|SQLITE|ER_/);
    });
  });

  it('errors.csv gives the error id that replay takes, and a corrected row is replayed by it', async () => {
    const run = await importFile(utf8('name,source,sales_direction,first_name,last_name,email\nTo fix,sheet,fleet,Cy,Cole,not-an-email\n'));
    const [error] = await errorsCsv(run.id);
    expect(error).toMatchObject({ error_id: expect.stringMatching(/^\d+$/), row_number: '1', email: 'not-an-email' });
    const replayed = await t.as('manager').post(`/crm/imports/runs/${run.id}/errors/${error.error_id}/replay`, { corrections: { email: 'fixed@example.com' } });
    expect([replayed.status, replayed.body.message]).toEqual([200, undefined]);
    expect(replayed.body).toMatchObject({ errorId: Number(error.error_id), status: 'created' });
  });
});
