import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { TcpProxy } from './harness/tcp-proxy';
import { TestApp } from './harness/test-app';
import { testDatabaseKind } from './harness/test-database';

/**
 * The database going away under writers: the host reaches MariaDB (or PostgreSQL) through a TCP proxy of this
 * suite's own, which is cut for a while (the shared server is never touched). Every request in
 * the outage is a 503 `UNAVAILABLE` with `Retry-After`, never a 500; once the proxy lets traffic
 * through again the same host serves again by itself, and no request of the outage left a row.
 * SQLite is a file of the process, so there is nothing to cut (the mapping is unit-tested).
 */
const kind = testDatabaseKind();
const onServerDatabase = kind === 'mysql' || kind === 'postgres' ? describe : describe.skip;

/** A connection of the suite's own, straight to the server, to count what the host's requests left. */
interface DirectConnection {
  count(table: string): Promise<number>;
  end(): Promise<void>;
}

async function connectDirectly(url: string): Promise<DirectConnection> {
  if (kind === 'postgres') {
    const client = new Client({ connectionString: url });
    await client.connect();
    return { count: async (table) => Number((await client.query(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0].n), end: () => client.end() };
  }
  const connection = await createConnection(url);
  return {
    count: async (table) => Number(((await connection.query(`SELECT COUNT(*) AS n FROM ${table}`)) as unknown as [{ n: number }[]])[0][0].n),
    end: () => connection.end(),
  };
}

onServerDatabase(`The database unreachable (e2e, ${kind === 'postgres' ? 'PostgreSQL' : 'MariaDB'} behind a TCP proxy)`, () => {
  let t: TestApp;
  let proxy: TcpProxy;
  let direct: DirectConnection;
  const RETRY_AFTER = 7;

  beforeAll(async () => {
    const server = new URL((kind === 'postgres' ? process.env.CRM_TEST_POSTGRES_URL : process.env.CRM_TEST_MYSQL_URL)!);
    const defaultPort = kind === 'postgres' ? 5432 : 3306;
    // Ports of their own per database, so the MariaDB and PostgreSQL runs of this suite may run at once.
    const ports = Array.from({ length: 10 }, (_, i) => (kind === 'postgres' ? 3550 : 3540) + i);
    proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port || defaultPort) }, ports);
    let databaseUrl = '';
    t = await TestApp.start({
      crm: { database: { unavailableRetryAfterSeconds: RETRY_AFTER } },
      database: (options) => {
        const url = new URL((options as { url: string }).url);
        databaseUrl = url.toString();
        url.hostname = '127.0.0.1';
        url.port = String(proxy.port);
        // A short connect timeout: a refused connection is noticed at once anyway.
        const timeout = kind === 'postgres' ? { connectTimeoutMS: 2000 } : { connectTimeout: 2000 };
        return { ...options, url: url.toString(), ...timeout } as DataSourceOptions;
      },
    });
    direct = await connectDirectly(databaseUrl);
  });
  afterAll(async () => {
    proxy?.restore();
    await direct?.end();
    await t?.close();
    await proxy?.close();
  });

  const teamCount = () => direct.count('crm_team');

  it('answers 503 UNAVAILABLE with Retry-After to every writer and reader while it is cut, then serves again by itself', async () => {
    await t.as('manager').post('/crm/teams', { name: 'Before the outage', memberIds: [] }).expect(201);
    const before = await teamCount();

    proxy.cut();
    const writers = Array.from({ length: 20 }, (_, i) => t.as('manager').post('/crm/teams', { name: `During the outage ${i}` }));
    const readers = [t.as('manager').get('/crm/leads'), t.as('manager').get('/crm/sources'), t.as('admin').get('/crm/imports/runs')];
    const answers = await Promise.all([...writers, ...readers]);
    for (const answer of answers) {
      expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 503, code: 'UNAVAILABLE' });
      expect(answer.headers['retry-after']).toBe(String(RETRY_AFTER));
      expect(answer.body.message).toMatch(/database cannot be reached/);
      // Nothing of the driver's own words reaches the caller.
      expect(JSON.stringify(answer.body)).not.toMatch(/ECONN|PROTOCOL_|closed state|Connection terminated|127\.0\.0\.1/);
    }

    proxy.restore();
    let after = await t.as('manager').post('/crm/teams', { name: 'After the outage' });
    for (let tries = 0; after.status !== 201 && tries < 20; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = await t.as('manager').post('/crm/teams', { name: 'After the outage' });
    }
    expect(after.status).toBe(201);
    await t.as('manager').get('/crm/leads').expect(200);
    // Only the team made after the outage was added: nothing of the refused requests stayed behind.
    await expect(teamCount()).resolves.toBe(before + 1);
  });
});
