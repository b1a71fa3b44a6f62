import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { CRM_ENTITIES, CRM_MIGRATIONS } from '../../modules';

export type TestDatabaseKind = 'sqlite' | 'mysql' | 'postgres';

/** Which database this e2e run targets (set per Jest project by use-sqlite.ts / use-mysql.ts / use-postgres.ts). */
export function testDatabaseKind(): TestDatabaseKind {
  const kind = process.env.CRM_TEST_DB;
  return kind === 'mysql' || kind === 'postgres' ? kind : 'sqlite';
}

/** A database of the suite's own: in-memory SQLite, or a fresh MySQL/MariaDB or PostgreSQL database dropped afterwards. */
export interface TestDatabase {
  options: DataSourceOptions;
  drop(): Promise<void>;
}

/** `file`: on SQLite, a file of its own (removed by `drop`) that several connections can open, instead of `:memory:`. */
export async function createTestDatabase({ file = false }: { file?: boolean } = {}): Promise<TestDatabase> {
  const common = { entities: CRM_ENTITIES, migrations: CRM_MIGRATIONS, synchronize: false } as const;
  if (testDatabaseKind() === 'sqlite') {
    if (!file) return { options: { ...common, type: 'better-sqlite3', database: ':memory:' }, drop: async () => undefined };
    const directory = await mkdtemp(join(tmpdir(), 'crm-test-'));
    return { options: { ...common, type: 'better-sqlite3', database: join(directory, 'crm.sqlite') }, drop: () => rm(directory, { recursive: true, force: true }) };
  }
  const name = `crm_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  if (testDatabaseKind() === 'postgres') return createPostgresDatabase(name, common);
  const serverUrl = process.env.CRM_TEST_MYSQL_URL;
  if (!serverUrl) throw new Error('CRM_TEST_MYSQL_URL is required for the MySQL e2e run');
  const url = new URL(serverUrl);
  url.protocol = 'mysql:';
  const admin = await createConnection(url.toString());
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  // TypeORM reads column defaults differently on MariaDB, so the driver type follows the server, not the URL scheme.
  const [[{ version }]] = (await admin.query('SELECT VERSION() AS version')) as unknown as [[{ version: string }]];
  await admin.end();
  url.pathname = `/${name}`;
  const type = /mariadb/i.test(version) ? 'mariadb' : 'mysql';
  return {
    options: { ...common, type, url: url.toString(), charset: 'utf8mb4' },
    drop: async () => {
      url.pathname = '/';
      const connection = await createConnection(url.toString());
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    },
  };
}

/** A fresh PostgreSQL database (UTF-8, from template0), dropped afterwards with whatever still holds a connection to it. */
async function createPostgresDatabase(name: string, common: Pick<DataSourceOptions, 'entities' | 'migrations' | 'synchronize'>): Promise<TestDatabase> {
  const serverUrl = process.env.CRM_TEST_POSTGRES_URL;
  if (!serverUrl) throw new Error('CRM_TEST_POSTGRES_URL is required for the PostgreSQL e2e run');
  const url = new URL(serverUrl);
  url.protocol = 'postgres:';
  const admin = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    url.pathname = '/postgres';
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  await admin((client) => client.query(`CREATE DATABASE "${name}" ENCODING 'UTF8' TEMPLATE template0`));
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return {
    options: { ...common, type: 'postgres', url: databaseUrl } as DataSourceOptions,
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
