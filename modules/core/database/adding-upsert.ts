import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { withDriverParameters } from './named-parameters';
import { escapedTablePath } from './table-path';

/**
 * Adds rows' values to counters in one statement: each row is inserted, or, where a row with its `keys`
 * exists, its `added` columns are increased by the row's values (`ON DUPLICATE KEY UPDATE` on MySQL/MariaDB,
 * `ON CONFLICT ... DO UPDATE` on PostgreSQL and SQLite). Give the rows in one fixed order (by key), so two
 * writers lock the rows they share in the same order.
 */
export async function upsertAdding<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  keys: (keyof T & string)[],
  added: (keyof T & string)[],
  rows: Partial<T>[],
): Promise<void> {
  if (rows.length === 0) return;
  const { driver } = manager.connection;
  const metadata = manager.connection.getMetadata(target);
  const column = (property: string) => driver.escape(metadata.findColumnWithPropertyName(property)!.databaseName);
  const properties = [...keys, ...added];
  const parameters: Record<string, unknown> = {};
  const tuples = rows.map((row, r) => {
    const names = properties.map((property, p) => {
      parameters[`u${r}_${p}`] = row[property];
      return `:u${r}_${p}`;
    });
    return `(${names.join(', ')})`;
  });
  const table = escapedTablePath(manager.connection, target);
  const type = manager.connection.options.type;
  // PostgreSQL reads the existing row's columns through the target's alias; SQLite reads them unqualified.
  const insert = `INSERT INTO ${table}${type === 'postgres' ? ' AS target' : ''} (${properties.map(column).join(', ')}) VALUES ${tuples.join(', ')}`;
  const sql =
    type === 'mysql' || type === 'mariadb'
      ? `${insert} ON DUPLICATE KEY UPDATE ${added.map((p) => `${column(p)} = ${column(p)} + VALUES(${column(p)})`).join(', ')}`
      : `${insert} ON CONFLICT (${keys.map(column).join(', ')}) DO UPDATE SET ${added.map((p) => `${column(p)} = ${type === 'postgres' ? 'target.' : ''}${column(p)} + excluded.${column(p)}`).join(', ')}`;
  const [statement, values] = withDriverParameters(driver, sql, parameters);
  await manager.query(statement, values);
}

/** How many rows each counter is split over (see `addToShardedCounters`). */
const COUNTER_SHARDS = 8;

/**
 * Adds to counters split over shards: each writer adds to one shard picked at random (the table's `shard`
 * column, part of its key), so concurrent writers of one counter do not queue on one row, and a counter is
 * the sum of its shards. Rows go in key order, so writers sharing rows lock them in the same order.
 */
export async function addToShardedCounters<T extends ObjectLiteral & { shard: number }>(
  manager: EntityManager,
  target: EntityTarget<T>,
  keys: (keyof T & string)[],
  added: (keyof T & string)[],
  rows: Omit<Partial<T>, 'shard'>[],
): Promise<void> {
  const shard = Math.floor(Math.random() * COUNTER_SHARDS);
  const order = (a: Record<string, unknown>, b: Record<string, unknown>) => {
    for (const key of keys) if (a[key] !== b[key]) return (a[key] as number | string) < (b[key] as number | string) ? -1 : 1;
    return 0;
  };
  const sorted = [...rows].sort(order).map((row) => ({ ...row, shard }) as unknown as Partial<T>);
  await upsertAdding(manager, target, [...keys, 'shard'], added, sorted);
}
