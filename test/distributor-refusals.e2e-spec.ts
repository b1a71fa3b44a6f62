import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { exitOf, prepareDatabase, sharedDatabase, startSync, type SharedDatabase } from './distributor/child-sync';
import { PROTOCOLS, QUOTATION, type RunBody } from './distributor/distributor-helpers';
import { FAKE_ODOO, OdooFake, type OdooRefusal } from './fakes/odoo-fake';

/** Each way Odoo refuses, and what the failed run must say, per protocol. */
const REFUSALS: Array<[OdooRefusal, { json2: RegExp; jsonrpc: RegExp }]> = [
  ['access', { json2: /refused access \(HTTP 403\): odoo\.exceptions\.AccessError: You are not allowed/, jsonrpc: /refused the call: odoo\.exceptions\.AccessError/ }],
  ['renamed-field', { json2: /HTTP 500\): builtins\.ValueError: Invalid field 'vehicle_model'/, jsonrpc: /builtins\.ValueError: Invalid field 'vehicle_model'/ }],
  ['user-error', { json2: /HTTP 422\): odoo\.exceptions\.UserError/, jsonrpc: /odoo\.exceptions\.UserError: The quotation module/ }],
  ['revoked-key', { json2: /refused the API key \(HTTP 401\): werkzeug\.exceptions\.Unauthorized: Invalid apikey/, jsonrpc: /odoo\.exceptions\.AccessDenied: Access Denied/ }],
  ['unknown-model', { json2: /HTTP 404\): werkzeug\.exceptions\.NotFound: the model 'cheryweb\.quotation' does not exist/, jsonrpc: /Object cheryweb\.quotation doesn't exist/ }],
  ['bad-arguments', { json2: /HTTP 422\): werkzeug\.exceptions\.UnprocessableEntity/, jsonrpc: /builtins\.TypeError/ }],
  ['server-error', { json2: /failed \(HTTP 500\): psycopg2\.errors\.UndefinedTable/, jsonrpc: /psycopg2\.errors\.UndefinedTable/ }],
];

/**
 * The demo host (src/main.ts) in a child process of its own: a crash there is a real crash, seen as
 * its exit. It is up once it logs where it listens (a port taken by another process in the meantime
 * makes it exit instead, and another port is tried).
 */
async function startHost(fake: OdooFake, database: SharedDatabase, protocol: 'json2' | 'jsonrpc'): Promise<{ child: ChildProcess & { output: () => string }; url: string }> {
  const credentials = protocol === 'json2' ? { CRM_DISTRIBUTOR_API_KEY: FAKE_ODOO.apiKey } : { CRM_DISTRIBUTOR_LOGIN: FAKE_ODOO.login, CRM_DISTRIBUTOR_PASSWORD: FAKE_ODOO.password };
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(process.execPath, ['-r', './test/fakes/swc-register.js', 'src/main.ts'], {
      cwd: resolve(__dirname, '..'),
      env: {
        ...process.env,
        PORT: String(port),
        CRM_DB_URL: database.url,
        CRM_API_TOKENS: 'manager-token:manager:crm_manager,agent-token:agent:crm_sales',
        CRM_DISTRIBUTOR_URL: fake.url,
        CRM_DISTRIBUTOR_DATABASE: FAKE_ODOO.database,
        CRM_DISTRIBUTOR_PROTOCOL: protocol,
        CRM_DISTRIBUTOR_CRON: '',
        CRM_DISTRIBUTOR_BATCH_SIZE: '50',
        ...credentials,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const listening = new RegExp(`CRM API under http://localhost:${port}/crm`);
    while (child.exitCode === null && !listening.test(output)) await new Promise((r) => setTimeout(r, 100));
    if (child.exitCode === null) return { child: Object.assign(child, { output: () => output }), url: `http://127.0.0.1:${port}` };
    if (attempt === 5) throw new Error(`The host did not start: ${output}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

describe.each(PROTOCOLS)('Odoo refusing the sync over $protocol (Odoo $version): the host keeps serving (e2e)', ({ protocol, version }) => {
  let fake: OdooFake;
  let dir: string;
  let database: SharedDatabase;
  let host: Awaited<ReturnType<typeof startHost>>;

  const call = async (method: 'GET' | 'POST', path: string, role = 'manager') => {
    const response = await fetch(`${host.url}${path}`, { method, headers: { Authorization: `Bearer ${role}-token` } });
    return { status: response.status, body: (await response.json()) as any };
  };
  const syncRun = async (): Promise<RunBody> => {
    const started = await call('POST', '/crm/imports/distributor/run');
    expect(started.status).toBe(202);
    for (;;) {
      const { body } = await call('GET', `/crm/imports/runs/${started.body.id}`);
      if (!['queued', 'running'].includes(body.status)) return body;
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  beforeAll(async () => {
    fake = await OdooFake.start({ recordsPerModel: 0, version });
    dir = mkdtempSync(join(tmpdir(), 'crm-sync-host-'));
    database = await sharedDatabase(dir);
    await prepareDatabase(database.url);
    host = await startHost(fake, database, protocol);
  }, 120_000);
  afterAll(async () => {
    host?.child.kill('SIGTERM');
    if (host) await exitOf(host.child);
    await fake?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(REFUSALS)(
    'Odoo refusing the page read ahead (%s) fails the run with the reason, releases the lease, and the host answers throughout',
    async (kind, reasons) => {
      // Earlier records out of the late-commit window, so the run reads only the new ones.
      fake.advance(301);
      await syncRun();
      // Four transactions a second apart: the first page holds a whole second and is written while the next is read.
      for (let i = 0; i < 4; i++) {
        fake.create(QUOTATION, 30);
        fake.advance(1);
      }
      fake.refuse(kind, { after: 1 });
      let run: RunBody;
      try {
        const started = call('POST', '/crm/imports/distributor/run');
        // The CRM API keeps answering while the run fails...
        const during = await Promise.all([call('GET', '/crm/sources', 'agent'), call('GET', '/crm/leads?limit=1', 'agent')]);
        expect(during.map((r) => r.status)).toEqual([200, 200]);
        const { body } = await started;
        for (;;) {
          run = (await call('GET', `/crm/imports/runs/${body.id}`)).body;
          if (!['queued', 'running'].includes(run.status)) break;
          await new Promise((r) => setTimeout(r, 20));
        }
      } finally {
        fake.recover();
      }
      expect(run!).toMatchObject({ status: 'failed', processed: 30, created: 30 });
      expect(run!.error).toMatch(reasons[protocol]);
      // ...and after it: the process is alive and serving.
      expect(host.child.exitCode).toBeNull();
      await expect(call('GET', '/crm/leads?limit=1', 'agent')).resolves.toMatchObject({ status: 200 });
      expect(host.child.output()).not.toMatch(/UnhandledPromiseRejection|triggerUncaughtException/);
      // The lease was released: the next run starts at once and takes the rest, nothing twice.
      await expect(syncRun()).resolves.toMatchObject({ status: 'succeeded', created: 90, failed: 0 });
      await expect(database.count()).resolves.toMatchObject({ total: expect.any(Number) });
      const counts = (await database.count())!;
      expect(counts.total).toBe(counts.distinct);
    },
    60_000,
  );
});

describe('npm run sync when Odoo refuses the page read ahead (a child process)', () => {
  let fake: OdooFake;
  let dir: string;
  let database: SharedDatabase;

  beforeAll(async () => {
    fake = await OdooFake.start({ recordsPerModel: 0, version: 19 });
    for (let i = 0; i < 3; i++) {
      fake.create(QUOTATION, 30);
      fake.advance(1);
    }
    dir = mkdtempSync(join(tmpdir(), 'crm-sync-refused-'));
    database = await sharedDatabase(dir);
    await prepareDatabase(database.url);
  });
  afterAll(async () => {
    await fake?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the run and its reason, and exits 1 (no stack trace, no crash); the next run goes on', async () => {
    fake.refuse('access', { after: 1 });
    const child = startSync(fake, database, { CRM_DISTRIBUTOR_BATCH_SIZE: '50' });
    const code = await exitOf(child);
    fake.recover();
    expect({ code, output: child.output() }).toMatchObject({ code: 1, output: expect.stringMatching(/Run 1 failed: 30 read, 30 created.*Odoo refused access \(HTTP 403\)/) });
    expect(child.output()).not.toMatch(/UnhandledPromiseRejection|at async /);
    const [run] = (await database.query('SELECT status, error FROM crm_import_run WHERE id = 1'))!;
    expect(run).toMatchObject({ status: 'failed', error: expect.stringMatching(/AccessError/) });
    const again = startSync(fake, database, { CRM_DISTRIBUTOR_BATCH_SIZE: '50' });
    expect({ code: await exitOf(again), output: again.output() }).toMatchObject({ code: 0, output: expect.stringMatching(/Run 2 succeeded: .* 60 created/) });
  }, 120_000);
});
