import type { DataSourceOptions } from 'typeorm';
import { CRM_ENTITIES, CRM_MIGRATIONS } from '../../modules';

/** The default embedded database of the demo host. */
export const DEFAULT_DB_URL = 'sqlite:./data/crm.sqlite';

/** The forms `CRM_DB_URL` takes, for the error that names them. */
const ACCEPTED = 'sqlite:<path>, sqlite::memory:, mysql://…, mariadb://…, postgres://… or postgresql://…';

/** A server database: its TypeORM driver type, and the name the start log gives it. */
const SERVERS: Record<string, { type: 'mysql' | 'mariadb' | 'postgres'; label: string }> = {
  'mysql:': { type: 'mysql', label: 'MySQL' },
  'mariadb:': { type: 'mariadb', label: 'MariaDB' },
  'postgres:': { type: 'postgres', label: 'PostgreSQL' },
  'postgresql:': { type: 'postgres', label: 'PostgreSQL' },
};

/**
 * TypeORM options for a `CRM_DB_URL`: `mysql://…` or `mariadb://…` (mysql2), `postgres://…` or
 * `postgresql://…` (pg), `sqlite:<path>` or `sqlite::memory:` (better-sqlite3). Migrations, never synchronize.
 * Throws, naming the accepted forms, for any other URL.
 */
export function databaseOptions(url: string = DEFAULT_DB_URL): DataSourceOptions {
  const common = { entities: CRM_ENTITIES, migrations: CRM_MIGRATIONS, synchronize: false } as const;
  if (url.startsWith('sqlite:')) {
    const database = url.slice('sqlite:'.length) || ':memory:';
    return { ...common, type: 'better-sqlite3', database, enableWAL: database !== ':memory:' };
  }
  const { parsed, server } = serverOf(url);
  if (server.type === 'postgres') return { ...common, type: 'postgres', url: `postgres://${url.slice(parsed.protocol.length + 2)}` };
  return { ...common, type: server.type, url: `mysql://${url.slice(parsed.protocol.length + 2)}`, charset: 'utf8mb4' };
}

/** The database described without its password, for the start log. */
export function describeDatabase(url: string = DEFAULT_DB_URL): string {
  if (url.startsWith('sqlite:')) return `SQLite (better-sqlite3) at ${url.slice('sqlite:'.length) || ':memory:'}`;
  const { parsed, server } = serverOf(url);
  parsed.password = parsed.password ? '***' : '';
  return `${server.label} at ${parsed.toString()}`;
}

function serverOf(url: string): { parsed: URL; server: (typeof SERVERS)[string] } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The value is not echoed: it may hold a password.
    throw new Error(`CRM_DB_URL is not a URL; it must be ${ACCEPTED}`);
  }
  const server = SERVERS[parsed.protocol];
  if (!server || !url.startsWith(`${parsed.protocol}//`)) throw new Error(`CRM_DB_URL must be ${ACCEPTED} (got ${parsed.protocol}…)`);
  return { parsed, server };
}
