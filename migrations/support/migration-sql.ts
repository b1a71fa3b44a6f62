import type { ObjectLiteral, QueryRunner } from 'typeorm';

/**
 * Raw SQL a migration sends the same way on every database: identifiers quoted by the driver
 * (PostgreSQL folds unquoted ones to lower case, so `forLeads` would not be found), parameters
 * written `:name` / `:...names` as in TypeORM's query builder and turned into the driver's own
 * placeholders (`?` on MySQL/MariaDB and SQLite, `$1` on PostgreSQL) and values (booleans as 1/0 on SQLite).
 */
export function migrationSql(queryRunner: QueryRunner): {
  name: (identifier: string) => string;
  query: <T = any>(sql: string, parameters?: ObjectLiteral) => Promise<T>;
} {
  const { driver } = queryRunner.connection;
  return {
    name: (identifier) => driver.escape(identifier),
    query: (sql, parameters = {}) => {
      // TypeORM 0.3 (Nest 11 hosts) reads a third `nativeParameters` argument and fails without it; 1.x ignores it.
      const escape = driver.escapeQueryWithParameters as (sql: string, parameters: ObjectLiteral, nativeParameters: ObjectLiteral) => [string, any[]];
      const [statement, values] = escape.call(driver, sql, parameters, {});
      return queryRunner.query(statement, values);
    },
  };
}
