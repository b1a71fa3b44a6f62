import type { ObjectLiteral, QueryRunner } from 'typeorm';
import { withDriverParameters } from '../../modules/core/database/named-parameters';

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
      const [statement, values] = withDriverParameters(driver, sql, parameters);
      return queryRunner.query(statement, values);
    },
  };
}
