import type { Driver, ObjectLiteral } from 'typeorm';

/**
 * Raw SQL with `:name` / `:...names` parameters, as the query builder writes them, turned into the
 * driver's own placeholders and values (`?` on MySQL/MariaDB and SQLite, `$1` on PostgreSQL; booleans
 * as 1/0 on SQLite), for a statement the query builder cannot express.
 */
export function withDriverParameters(driver: Driver, sql: string, parameters: ObjectLiteral): [string, unknown[]] {
  // TypeORM 0.3 (Nest 11 hosts) reads a third `nativeParameters` argument and fails without it; 1.x ignores it.
  const escape = driver.escapeQueryWithParameters as (sql: string, parameters: ObjectLiteral, nativeParameters: ObjectLiteral) => [string, unknown[]];
  return escape.call(driver, sql, parameters, {});
}
