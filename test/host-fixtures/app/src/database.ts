import { CRM_ENTITIES, CRM_MIGRATIONS } from 'nest-crm';
import type { DataSourceOptions } from 'typeorm';
import { CreateHostNotes1764600000200 } from './migrations/1764600000200-create-host-notes';
import { Note } from './notes/note.entity';

/** The host's connection: its own entity and migration next to the CRM's, never synchronize. */
export function databaseOptions(url: string): DataSourceOptions {
  const common = {
    entities: [...CRM_ENTITIES, Note],
    migrations: [...CRM_MIGRATIONS, CreateHostNotes1764600000200],
    migrationsRun: true,
    synchronize: false,
  };
  if (url.startsWith('sqlite:')) return { ...common, type: 'better-sqlite3', database: url.slice('sqlite:'.length) };
  if (url.startsWith('mariadb://')) return { ...common, type: 'mariadb', url: `mysql://${url.slice('mariadb://'.length)}`, charset: 'utf8mb4' };
  if (url.startsWith('postgres://')) return { ...common, type: 'postgres', url };
  throw new Error(`DB_URL must be sqlite:<path>, mariadb://… or postgres://… (got ${url})`);
}
