import type { DataSource } from 'typeorm';

/**
 * A suite's own raw SQL, written as for MySQL/SQLite (`?` placeholders, bare camelCase names), sent
 * so PostgreSQL reads it the same: there, each `?` becomes `$1`, `$2`... and each bare camelCase
 * name (`entityType`, `l.externalId`) is quoted, since PostgreSQL folds unquoted names to lower case.
 * Text in single quotes is left alone. On MySQL/MariaDB and SQLite the statement is sent as written.
 * Test-only: the plugin builds its SQL through the query builder or quotes names with `driver.escape`.
 */
export function portableSql(dataSource: DataSource, sql: string): string {
  if (dataSource.options.type !== 'postgres') return sql;
  let parameter = 0;
  // Single-quoted literals (with '' inside) are kept; everything between them is rewritten.
  return sql
    .split(/('(?:[^']|'')*')/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replace(/\?/g, () => `$${++parameter}`)
            .replace(/(?<![\w"$])([a-z][a-z0-9]*[A-Z][A-Za-z0-9]*)\b/g, (name) => dataSource.driver.escape(name)),
    )
    .join('');
}

/** `dataSource.query` of `portableSql(sql)`. */
export function portableQuery<T = any>(dataSource: DataSource, sql: string, parameters?: unknown[]): Promise<T> {
  return dataSource.query(portableSql(dataSource, sql), parameters);
}
