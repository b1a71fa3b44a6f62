import { FAKE_ODOO, OdooFake } from '../../../test/fakes/odoo-fake';
import { afterDomain } from './cursor-position';
import { OdooClient, OdooClientConfig, OdooRecord } from './odoo-client';

const MODEL = 'cheryweb.quotation';

describe('OdooClient against the Odoo fake', () => {
  let fake: OdooFake;
  beforeAll(async () => {
    fake = await OdooFake.start({ recordsPerModel: 95, tiesPerSecond: 9 });
  });
  afterAll(() => fake.close());

  const config = (overrides: Partial<OdooClientConfig> = {}): OdooClientConfig => ({
    url: fake.url,
    database: FAKE_ODOO.database,
    protocol: 'jsonrpc',
    login: FAKE_ODOO.login,
    password: FAKE_ODOO.password,
    apiKey: '',
    timeoutMs: 300,
    retries: 1,
    retryDelayMs: 1,
    ...overrides,
  });

  async function pageThrough(client: OdooClient, limit: number): Promise<OdooRecord[]> {
    const all: OdooRecord[] = [];
    let position: { writeDate: string; lastId: number } | null = null;
    for (;;) {
      const page = await client.searchRead({ model: MODEL, domain: afterDomain(position), fields: ['write_date', 'name'], order: 'write_date asc, id asc', limit });
      all.push(...page);
      if (page.length < limit) return all;
      const last = page[page.length - 1];
      position = { writeDate: last.write_date, lastId: last.id };
    }
  }

  it.each(['jsonrpc', 'json2'] as const)('pages through every record once over %s, ties included', async (protocol) => {
    const client = new OdooClient(config({ protocol, apiKey: protocol === 'json2' ? FAKE_ODOO.apiKey : '' }));
    const records = await pageThrough(client, 10);
    expect(records.map((r) => r.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 95 }, (_, i) => i + 1));
    const keys = records.map((r) => `${r.write_date}#${String(r.id).padStart(5, '0')}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('reports a refused login without retrying', async () => {
    await expect(new OdooClient(config({ password: 'nope' })).searchRead({ model: MODEL, domain: [], fields: [], order: 'id asc', limit: 1 })).rejects.toMatchObject({
      retryable: false,
      message: expect.stringMatching(/refused the login/),
    });
  });

  it('turns a JSON-RPC error object into a refusal naming the exception', async () => {
    await expect(new OdooClient(config()).searchRead({ model: 'no.such.model', domain: [], fields: [], order: 'id asc', limit: 1 })).rejects.toMatchObject({
      retryable: false,
      message: expect.stringMatching(/KeyError/),
    });
  });

  it('retries garbage, then gives up with the reason', async () => {
    const retries: number[] = [];
    fake.fail('garbage');
    try {
      await expect(new OdooClient(config({ retries: 2 }), (_, attempt) => retries.push(attempt)).searchRead({ model: MODEL, domain: [], fields: [], order: 'id asc', limit: 1 })).rejects.toMatchObject({
        retryable: true,
        message: expect.stringMatching(/garbage/),
      });
    } finally {
      fake.recover();
    }
    expect(retries).toEqual([1, 2]);
  });

  it('recovers when a retry succeeds', async () => {
    fake.fail('timeout', 1);
    const records = await new OdooClient(config({ retries: 1 })).searchRead({ model: MODEL, domain: [['id', '=', 5]], fields: ['write_date', 'name'], order: 'id asc', limit: 1 });
    expect(records).toEqual([expect.objectContaining({ id: 5, name: 'Q000005' })]);
  });
});
