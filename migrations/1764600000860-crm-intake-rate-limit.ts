import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { intColumn, varcharColumn } from './support/migration-columns';

/**
 * The table `rate-limiter-flexible`'s database stores (RateLimiterMySQL, RateLimiterPostgres,
 * RateLimiterSQLite) count intake submissions in, so every instance of a host counts against one
 * allowance. Created here rather than by the library (which would issue `CREATE DATABASE`/`CREATE
 * TABLE` at boot, outside the host's migrations); the column order is the library's, as its
 * `INSERT ... VALUES (?, ?, ?)` relies on it.
 */
export class CrmIntakeRateLimit1764600000860 implements MigrationInterface {
  name = 'CrmIntakeRateLimit1764600000860';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'crm_intake_rate_limit',
        columns: [
          varcharColumn('key', 255, { isPrimary: true }),
          intColumn('points', { default: 0 }),
          { name: 'expire', type: 'bigint', isNullable: true },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('crm_intake_rate_limit');
  }
}
