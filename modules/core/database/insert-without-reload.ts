import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { escapedTablePath } from './table-path';

/** Rows per INSERT: 500 (a page of imports), fewer for wide tables, under SQLite's 32,766 bound parameters. */
const ROWS_PER_INSERT = 500;
const PARAMETERS_PER_INSERT = 30_000;

/**
 * Inserts rows with multi-row INSERTs and answers their generated ids in the rows' order, with no
 * read-back. PostgreSQL answers them itself (`RETURNING`, in the order of the VALUES, which
 * TypeORM's own multi-row insert relies on too). Elsewhere the ids of one statement's rows are
 * consecutive: SQLite has one writer at a time, and InnoDB hands a multi-row `INSERT ... VALUES`
 * one block of ids unless `innodb_autoinc_lock_mode` is 2 (interleaved), where rows are inserted
 * one by one instead. Galera's `auto_increment_increment` is taken into account.
 */
export async function insertManyWithoutReload<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, rows: Partial<T>[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const allocation = await idAllocation(manager);
  const perInsert = allocation.consecutive ? rowsPerInsert(manager, target) : 1;
  const ids: number[] = [];
  for (let start = 0; start < rows.length; start += perInsert) {
    const chunk = rows.slice(start, start + perInsert);
    ids.push(...allocation.idsOf(await insertStatement(manager, target, chunk, allocation.returning), chunk.length));
  }
  return ids;
}

/** Inserts rows with multi-row INSERTs when nobody needs their ids (log entries). */
export async function insertMany<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, rows: Partial<T>[]): Promise<void> {
  const perInsert = rowsPerInsert(manager, target);
  for (let start = 0; start < rows.length; start += perInsert) await insertStatement(manager, target, rows.slice(start, start + perInsert));
}

function rowsPerInsert(manager: EntityManager, target: EntityTarget<ObjectLiteral>): number {
  return Math.min(ROWS_PER_INSERT, Math.floor(PARAMETERS_PER_INSERT / manager.connection.getMetadata(target).columns.length));
}

/**
 * One `INSERT ... VALUES (...), (...)` of the columns the rows give (the others take their database
 * defaults; a column every row leaves null is left out when its default is null anyway), each
 * value converted as TypeORM persists it (transformers, JSON, booleans, dates).
 * TypeORM's own insert builder names a parameter per value and looks each up again, which costs
 * more than the database itself on a page of leads.
 */
async function insertStatement<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, rows: Partial<T>[], returning = false): Promise<unknown> {
  const { driver } = manager.connection;
  const metadata = manager.connection.getMetadata(target);
  // Rows are plain objects keyed by property name (no embedded entities in the CRM's tables).
  const value = (row: Partial<T>, column: ColumnMetadata): unknown => (row as Record<string, unknown>)[column.propertyName];
  const columns = metadata.columns.filter((column) => {
    const nullByDefault = column.isNullable && (column.default === undefined || column.default === null);
    return rows.some((row) => {
      const given = value(row, column);
      return given !== undefined && !(given === null && nullByDefault);
    });
  });
  const table = escapedTablePath(manager.connection, target);
  // The driver's placeholders: `?` on MySQL/MariaDB and SQLite, `$1`, `$2`... on PostgreSQL.
  const tuples = rows.map((_, r) => `(${columns.map((_, c) => driver.createParameter('value', r * columns.length + c)).join(', ')})`);
  const names = columns.map((column) => driver.escape(column.databaseName)).join(', ');
  const sql = `INSERT INTO ${table} (${names}) VALUES ${tuples.join(', ')}${returning ? ` RETURNING ${driver.escape(metadata.primaryColumns[0].databaseName)}` : ''}`;
  const parameters = rows.flatMap((row) => columns.map((column) => driver.preparePersistentValue(value(row, column) ?? null, column) as unknown));
  return manager.query(sql, parameters);
}

interface IdAllocation {
  consecutive: boolean;
  /** True where the INSERT answers the generated keys itself (`RETURNING`). */
  returning?: boolean;
  idsOf(raw: unknown, count: number): number[];
}

const allocations = new WeakMap<DataSource, Promise<IdAllocation>>();

function idAllocation(manager: EntityManager): Promise<IdAllocation> {
  let allocation = allocations.get(manager.connection);
  if (!allocation) {
    allocation = readIdAllocation(manager);
    allocations.set(manager.connection, allocation);
    allocation.catch(() => allocations.delete(manager.connection));
  }
  return allocation;
}

async function readIdAllocation(manager: EntityManager): Promise<IdAllocation> {
  if (manager.connection.options.type === 'postgres') {
    // One row per inserted row, holding its key alone (a `serial`: node-postgres answers it as a number).
    return { consecutive: true, returning: true, idsOf: (raw) => (raw as Array<Record<string, number | string>>).map((row) => Number(Object.values(row)[0])) };
  }
  if (manager.connection.options.type === 'better-sqlite3') {
    // better-sqlite3 answers the last row's id.
    return { consecutive: true, idsOf: (raw, count) => range(Number(raw as number | bigint) - count + 1, count, 1) };
  }
  const [settings] = (await manager.query('SELECT @@innodb_autoinc_lock_mode AS lockMode, @@auto_increment_increment AS step')) as Array<{ lockMode: unknown; step: unknown }>;
  const step = Number(settings.step);
  // MySQL/MariaDB answer the first row's id in the result header.
  return { consecutive: Number(settings.lockMode) !== 2, idsOf: (raw, count) => range(Number((raw as { insertId: number | bigint }).insertId), count, step) };
}

function range(first: number, count: number, step: number): number[] {
  return Array.from({ length: count }, (_, i) => first + i * step);
}
