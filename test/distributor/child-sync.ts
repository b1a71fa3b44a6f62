import { ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApp } from '../../src/bootstrap';
import { databaseOptions } from '../../src/database/database-options';
import { FAKE_ODOO, OdooFake } from '../fakes/odoo-fake';
import { createTestDatabase, testDatabaseKind } from '../harness/test-database';
import { configureSources } from './distributor-helpers';

const ROOT = resolve(__dirname, '../..');

/** A database a child process can open too: a SQLite file, or a fresh MariaDB or PostgreSQL database. */
export interface SharedDatabase {
  url: string;
  query: (sql: string) => Promise<any[] | null>;
  count: () => Promise<{ total: number; distinct: number } | null>;
  leaseFree: () => Promise<boolean>;
  drop: () => Promise<void>;
}

export async function sharedDatabase(dir: string): Promise<SharedDatabase> {
  if (testDatabaseKind() === 'sqlite') {
    const file = join(dir, 'crm.sqlite');
    const Database = require('better-sqlite3');
    const query = async (sql: string) => {
      let db: any;
      try {
        db = new Database(file, { readonly: true, fileMustExist: true });
        return db.prepare(sql).all();
      } catch {
        return null;
      } finally {
        db?.close();
      }
    };
    return {
      url: `sqlite:${file}`,
      query,
      count: async () => {
        const rows = await query("SELECT COUNT(*) AS total, COUNT(DISTINCT externalSource || '#' || externalId) AS perRecord FROM crm_lead WHERE externalSource IS NOT NULL");
        return rows && { total: Number(rows[0].total), distinct: Number(rows[0].perRecord) };
      },
      leaseFree: async () => {
        const rows = await query("SELECT COUNT(*) AS held FROM crm_sync_lease WHERE expiresAt > strftime('%Y-%m-%d %H:%M:%f', 'now')");
        return rows !== null && Number(rows[0].held) === 0;
      },
      drop: async () => undefined,
    };
  }
  const created = await createTestDatabase();
  const url = String((created.options as { url: string }).url);
  if (testDatabaseKind() === 'postgres') return postgresShared(url, created.drop);
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
    query,
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

/** The PostgreSQL form of the shared database: its camelCase columns quoted, the lease read on LOCALTIMESTAMP as the CRM writes it. */
function postgresShared(url: string, drop: () => Promise<void>): SharedDatabase {
  const { Client } = require('pg');
  const query = async (sql: string) => {
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      return (await client.query(sql)).rows;
    } catch {
      return null;
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  return {
    url,
    query,
    count: async () => {
      const rows = await query(
        `SELECT COUNT(*) AS total, COUNT(DISTINCT "externalSource" || '#' || "externalId") AS "perRecord" FROM crm_lead WHERE "externalSource" IS NOT NULL`,
      );
      return rows && { total: Number(rows[0].total), distinct: Number(rows[0].perRecord) };
    },
    leaseFree: async () => {
      const rows = await query('SELECT COUNT(*) AS held FROM crm_sync_lease WHERE "expiresAt" > LOCALTIMESTAMP');
      return rows !== null && Number(rows[0].held) === 0;
    },
    drop,
  };
}

/** Migrates a database the way the demo host would and configures its sources, over HTTP. */
export async function prepareDatabase(url: string): Promise<void> {
  const app = await createApp({ database: databaseOptions(url), migrate: true, tokens: [{ token: 'manager-token', user: { id: 'manager', roles: ['crm_manager'] } }] }, false);
  await app.init();
  try {
    await configureSources({ as: () => asManager(app) });
  } finally {
    await app.close();
  }
}

function asManager(app: INestApplication): any {
  const server = app.getHttpServer();
  return {
    get: (url: string) => request(server).get(url).set('Authorization', 'Bearer manager-token'),
    post: (url: string, body?: object) => request(server).post(url).set('Authorization', 'Bearer manager-token').send(body ?? {}),
    patch: (url: string, body?: object) => request(server).patch(url).set('Authorization', 'Bearer manager-token').send(body ?? {}),
  };
}

/** `npm run sync` (src/sync.ts) in a child process against `fake` and `database`. */
export function startSync(fake: OdooFake, database: SharedDatabase, env: Record<string, string> = {}): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, ['-r', './test/fakes/swc-register.js', 'src/sync.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      CRM_DB_URL: database.url,
      CRM_DISTRIBUTOR_URL: fake.url,
      CRM_DISTRIBUTOR_DATABASE: FAKE_ODOO.database,
      CRM_DISTRIBUTOR_API_KEY: FAKE_ODOO.apiKey,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return Object.assign(child, { output: () => output });
}

export function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done(child.exitCode);
    child.on('exit', (code) => done(code));
  });
}
