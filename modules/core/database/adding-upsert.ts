import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { withDriverParameters } from './named-parameters';

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
  const table = driver.escape(metadata.tableName);
  const insert = `INSERT INTO ${table} (${properties.map(column).join(', ')}) VALUES ${tuples.join(', ')}`;
  const type = manager.connection.options.type;
  const sql =
    type === 'mysql' || type === 'mariadb'
      ? `${insert} ON DUPLICATE KEY UPDATE ${added.map((p) => `${column(p)} = ${column(p)} + VALUES(${column(p)})`).join(', ')}`
      : // PostgreSQL needs the existing row's column qualified by the table; SQLite reads it unqualified.
        `${insert} ON CONFLICT (${keys.map(column).join(', ')}) DO UPDATE SET ${added.map((p) => `${column(p)} = ${type === 'postgres' ? `${table}.` : ''}${column(p)} + excluded.${column(p)}`).join(', ')}`;
  const [statement, values] = withDriverParameters(driver, sql, parameters);
  await manager.query(statement, values);
}
