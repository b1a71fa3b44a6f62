import { FAKE_ODOO, OdooFake, type OdooRefusal } from '../../../test/fakes/odoo-fake';
import { CURSOR_ORDER, domainOf, planPage, type CursorRead } from './cursor-position';
import { OdooClient, OdooClientConfig, OdooRecord } from './odoo-client';

const MODEL = 'cheryweb.quotation';

function config(fake: OdooFake, overrides: Partial<OdooClientConfig> = {}): OdooClientConfig {
  return {
    url: fake.url,
    database: FAKE_ODOO.database,
    protocol: 'json2',
    login: FAKE_ODOO.login,
    password: FAKE_ODOO.password,
    apiKey: FAKE_ODOO.apiKey,
    timeoutMs: 300,
    retries: 1,
    retryDelayMs: 1,
    ...overrides,
  };
}

/** Every record of the model, paged as the sync pages (`planPage`), and how many calls it took. */
async function pageThrough(client: OdooClient, limit: number): Promise<{ records: OdooRecord[]; calls: number }> {
  const records: OdooRecord[] = [];
  let read: CursorRead | null = { mode: 'scan', from: null };
  let calls = 0;
  while (read) {
    const page = await client.searchRead({ model: MODEL, domain: domainOf(read), fields: ['write_date', 'name'], order: CURSOR_ORDER[read.mode], limit });
    calls += 1;
    const plan = planPage(read, page.records, limit);
    records.push(...plan.take);
    read = plan.next;
    if (calls > 1000) throw new Error('The pass does not end');
  }
  return { records, calls };
}

describe.each([
  ['json2', 19],
  ['jsonrpc', 18],
] as const)('OdooClient over %s against the Odoo %s fake', (protocol, version) => {
  let fake: OdooFake;
  beforeAll(async () => {
    fake = await OdooFake.start({ recordsPerModel: 95, tiesPerSecond: 9, version });
  });
  afterAll(() => fake.close());

  const client = (overrides: Partial<OdooClientConfig> = {}) => new OdooClient(config(fake, { protocol, ...overrides }));

  it('pages through every record exactly once, a one-transaction write filling many pages included', async () => {
    const written = fake.create(MODEL, 37);
    expect(new Set(written.map((r) => r.write_date)).size).toBe(1);
    expect(written[0].write_date).toMatch(/\.\d{6}$/);
    const { records } = await pageThrough(client(), 10);
    expect(records.map((r) => r.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 95 + 37 }, (_, i) => i + 1));
    // Odoo sends write_date cut to the second.
    expect(records.every((r) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(r.write_date))).toBe(true);
  });

  it("tells Odoo's clock from its Date header", async () => {
    const page = await client().searchRead({ model: MODEL, domain: [['id', '=', 5]], fields: ['write_date', 'name'], order: 'id asc', limit: 1 });
    expect(Math.abs(page.serverTime - Date.parse(`${fake.now().slice(0, 19).replace(' ', 'T')}Z`))).toBeLessThan(2000);
    expect(page.records).toEqual([expect.objectContaining({ id: 5, name: 'Q000005' })]);
  });

  it.each<[OdooRefusal, RegExp]>([
    ['access', protocol === 'json2' ? /refused access \(HTTP 403\): odoo\.exceptions\.AccessError/ : /refused the call: odoo\.exceptions\.AccessError/],
    ['renamed-field', protocol === 'json2' ? /failed \(HTTP 500\): builtins\.ValueError: Invalid field 'vehicle_model'/ : /builtins\.ValueError: Invalid field 'vehicle_model'/],
    ['user-error', protocol === 'json2' ? /refused the call \(HTTP 422\): odoo\.exceptions\.UserError/ : /odoo\.exceptions\.UserError/],
    ['revoked-key', protocol === 'json2' ? /refused the API key \(HTTP 401\)/ : /odoo\.exceptions\.AccessDenied: Access Denied/],
    ['unknown-model', protocol === 'json2' ? /found no such model or method \(HTTP 404\)/ : /odoo\.exceptions\.UserError: Object cheryweb\.quotation doesn't exist/],
    ['bad-arguments', protocol === 'json2' ? /refused the call \(HTTP 422\): werkzeug\.exceptions\.UnprocessableEntity/ : /builtins\.TypeError/],
  ])('reports Odoo refusing with %s once, without retrying', async (kind, reason) => {
    fake.refuse(kind);
    const before = fake.requests;
    try {
      await expect(client({ retries: 3 }).searchRead({ model: MODEL, domain: [], fields: ['write_date'], order: 'id asc', limit: 1 })).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(reason) });
    } finally {
      fake.recover();
    }
    // JSON-RPC authenticates once first.
    expect(fake.requests - before).toBe(protocol === 'json2' ? 1 : 2);
  });

  it('retries garbage, then gives up with the reason', async () => {
    const retries: number[] = [];
    fake.fail('garbage');
    try {
      await expect(
        new OdooClient(config(fake, { protocol, retries: 2 }), (_, attempt) => retries.push(attempt)).searchRead({ model: MODEL, domain: [], fields: [], order: 'id asc', limit: 1 }),
      ).rejects.toMatchObject({ retryable: true, message: expect.stringMatching(/garbage/) });
    } finally {
      fake.recover();
    }
    expect(retries).toEqual([1, 2]);
  });

  it('recovers when a retry succeeds', async () => {
    fake.fail('timeout', 1);
    const page = await client().searchRead({ model: MODEL, domain: [['id', '=', 5]], fields: ['write_date', 'name'], order: 'id asc', limit: 1 });
    expect(page.records).toEqual([expect.objectContaining({ id: 5 })]);
  });
});

describe('OdooClient and the versions of Odoo', () => {
  it('reports a refused JSON-RPC login (common.authenticate answers false) without retrying', async () => {
    const fake = await OdooFake.start({ recordsPerModel: 3, version: 17 });
    try {
      await expect(new OdooClient(config(fake, { protocol: 'jsonrpc', password: 'nope', apiKey: '' })).searchRead({ model: MODEL, domain: [], fields: [], order: 'id asc', limit: 1 })).rejects.toMatchObject({
        retryable: false,
        message: expect.stringMatching(/refused the login/),
      });
    } finally {
      await fake.close();
    }
  });

  it('says to use JSON-2 when Odoo 19 answers 404 to the deprecated /jsonrpc', async () => {
    const fake = await OdooFake.start({ recordsPerModel: 3, version: 19 });
    try {
      await expect(new OdooClient(config(fake, { protocol: 'jsonrpc', apiKey: '' })).searchRead({ model: MODEL, domain: [], fields: [], order: 'id asc', limit: 1 })).rejects.toMatchObject({
        retryable: false,
        message: expect.stringMatching(/rpc\.use_deprecated_services; use protocol 'json2'/),
      });
    } finally {
      await fake.close();
    }
  });

  it('still speaks JSON-RPC to an Odoo 19 with rpc.use_deprecated_services', async () => {
    const fake = await OdooFake.start({ recordsPerModel: 3, version: 19, deprecatedRpc: true });
    try {
      const page = await new OdooClient(config(fake, { protocol: 'jsonrpc', apiKey: '' })).searchRead({ model: MODEL, domain: [], fields: ['write_date'], order: 'id asc', limit: 5 });
      expect(page.records).toHaveLength(3);
    } finally {
      await fake.close();
    }
  });

  it('says to use JSON-RPC when an Odoo before 19 has no /json/2', async () => {
    const fake = await OdooFake.start({ recordsPerModel: 3, version: 18 });
    try {
      await expect(new OdooClient(config(fake)).searchRead({ model: MODEL, domain: [], fields: [], order: 'id asc', limit: 1 })).rejects.toMatchObject({
        retryable: false,
        message: expect.stringMatching(/no \/json\/2 .*use protocol 'jsonrpc'/),
      });
    } finally {
      await fake.close();
    }
  });
});

describe('The Odoo fake answers as Odoo does', () => {
  let fake: OdooFake;
  beforeAll(async () => {
    fake = await OdooFake.start({ recordsPerModel: 5, version: 19 });
  });
  afterAll(() => fake.close());
  const json2 = (headers: Record<string, string>, body: object) =>
    fetch(`${fake.url}/json/2/${MODEL}/search_read`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('JSON-2: 401 with WWW-Authenticate for a missing or wrong key, serialize_exception bodies', async () => {
    for (const headers of [{}, { Authorization: 'bearer wrong' }] as Record<string, string>[]) {
      const response = await json2(headers, { domain: [] });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      await expect(response.json()).resolves.toMatchObject({ name: 'werkzeug.exceptions.Unauthorized', arguments: [expect.any(String), 401], context: {}, debug: expect.any(String) });
    }
  });

  it('JSON-2: the bare list, write_date cut to the second; a domain value means .000000', async () => {
    const tx = fake.begin();
    const [record] = fake.create(MODEL, 1, {}, tx);
    tx.commit();
    const second = record.write_date.slice(0, 19);
    const ask = async (domain: unknown[]) => (await (await json2({ Authorization: `bearer ${FAKE_ODOO.apiKey}` }, { domain, fields: ['write_date'] })).json()) as Array<{ id: number; write_date: string }>;
    await expect(ask([['id', '=', record.id]])).resolves.toEqual([{ id: record.id, write_date: second }]);
    const micros = Number(record.write_date.slice(20));
    if (micros > 0) {
      await expect(ask([['id', '=', record.id], ['write_date', '=', second]])).resolves.toEqual([]);
      await expect(ask([['id', '=', record.id], ['write_date', '>', second]])).resolves.toHaveLength(1);
    }
    await expect(ask([['id', '=', record.id], ['write_date', '>=', second]])).resolves.toHaveLength(1);
  });

  it('JSON-RPC: HTTP 200 with an error object, code 0 from Odoo 18', async () => {
    const old = await OdooFake.start({ recordsPerModel: 1, version: 18 });
    try {
      const response = await fetch(`${old.url}/jsonrpc`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 3, params: { service: 'object', method: 'execute_kw', args: [FAKE_ODOO.database, FAKE_ODOO.uid, 'bad', MODEL, 'search_read', [[]], {}] } }),
      });
      expect(response.status).toBe(200);
      await expect(response.json()).resolves.toMatchObject({
        jsonrpc: '2.0',
        id: 3,
        error: { code: 0, message: 'Odoo Server Error', data: { name: 'odoo.exceptions.AccessDenied', message: 'Access Denied', arguments: ['Access Denied'], context: {} } },
      });
    } finally {
      await old.close();
    }
  });
});
