import type { DataSourceOptions } from 'typeorm';
import { CRM_ENTITIES, CRM_MIGRATIONS } from '../../modules';

/** The default embedded database of the demo host. */
export const DEFAULT_DB_URL = 'sqlite:./data/crm.sqlite';

/**
 * TypeORM options for a `CRM_DB_URL`: `mysql://…` or `mariadb://…` (mysql2), `sqlite:<path>` or
 * `sqlite::memory:` (better-sqlite3). Migrations, never synchronize.
 */
export function databaseOptions(url: string = DEFAULT_DB_URL): DataSourceOptions {
  const common = { entities: CRM_ENTITIES, migrations: CRM_MIGRATIONS, synchronize: false } as const;
  if (url.startsWith('sqlite:')) {
    const database = url.slice('sqlite:'.length) || ':memory:';
    return { ...common, type: 'better-sqlite3', database, enableWAL: database !== ':memory:' };
  }
  const parsed = new URL(url);
  if (parsed.protocol === 'mysql:' || parsed.protocol === 'mariadb:') {
    return { ...common, type: parsed.protocol === 'mysql:' ? 'mysql' : 'mariadb', url: `mysql://${url.slice(parsed.protocol.length + 2)}`, charset: 'utf8mb4' };
  }
  throw new Error(`CRM_DB_URL must start with mysql://, mariadb:// or sqlite: (got ${parsed.protocol})`);
}

/** The database described without its password, for the start log. */
export function describeDatabase(url: string = DEFAULT_DB_URL): string {
  if (url.startsWith('sqlite:')) return `SQLite (better-sqlite3) at ${url.slice('sqlite:'.length) || ':memory:'}`;
  const parsed = new URL(url);
  parsed.password = parsed.password ? '***' : '';
  return `${parsed.protocol === 'mysql:' ? 'MySQL' : 'MariaDB'} at ${parsed.toString()}`;
}
