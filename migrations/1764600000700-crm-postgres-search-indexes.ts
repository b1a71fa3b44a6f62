import { MigrationInterface, QueryRunner } from 'typeorm';
import { isPostgres } from './support/migration-columns';

/**
 * The columns list searches match anywhere in (`LOWER(column) LIKE '%text%'`, or a key already
 * lower-cased), by table. Small catalogues (sources, people, teams, list entries) are left out.
 */
const SEARCHED: ReadonlyArray<{ table: string; name: string; expression: string }> = [
  { table: 'crm_customer', name: 'IDX_crm_customer_name_trgm', expression: 'LOWER("name")' },
  { table: 'crm_opportunity', name: 'IDX_crm_opportunity_title_trgm', expression: 'LOWER("title")' },
  { table: 'crm_company', name: 'IDX_crm_company_name_key_trgm', expression: '"nameKey"::text' },
  { table: 'crm_company', name: 'IDX_crm_company_website_domain_trgm', expression: '"websiteDomain"::text' },
  { table: 'crm_company', name: 'IDX_crm_company_tin_trgm', expression: '"tin"::text' },
  { table: 'crm_contact', name: 'IDX_crm_contact_first_name_trgm', expression: 'LOWER("firstName")' },
  { table: 'crm_contact', name: 'IDX_crm_contact_last_name_trgm', expression: 'LOWER("lastName")' },
  { table: 'crm_contact', name: 'IDX_crm_contact_middle_name_trgm', expression: 'LOWER("middleName")' },
  { table: 'crm_contact', name: 'IDX_crm_contact_email_key_trgm', expression: '"emailKey"::text' },
  { table: 'crm_contact', name: 'IDX_crm_contact_phone_key_trgm', expression: '"phoneKey"::text' },
];

/**
 * PostgreSQL only: trigram (pg_trgm) GIN indexes, so the lists' case-insensitive "contains"
 * searches read an index instead of every row; a B-tree serves no `LIKE '%text%'` on any database.
 * They are expression indexes (a key column as `::text`, which is how PostgreSQL compares a
 * varchar with LIKE anyway), which TypeORM's schema builder does not read, so the entities need
 * not declare them. Where the server has no pg_trgm (a build without contrib), nothing is created
 * and the searches still answer, from a scan. Nothing happens on MySQL/MariaDB or SQLite.
 */
export class CrmPostgresSearchIndexes1764600000700 implements MigrationInterface {
  name = 'CrmPostgresSearchIndexes1764600000700';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (!isPostgres(queryRunner)) return;
    const [available] = await queryRunner.query("SELECT 1 AS found FROM pg_available_extensions WHERE name = 'pg_trgm'");
    if (!available) return;
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    for (const { table, name, expression } of SEARCHED) {
      await queryRunner.query(`CREATE INDEX "${name}" ON "${table}" USING gin ((${expression}) gin_trgm_ops)`);
    }
  }

  /** The extension stays: another schema or the host may use it too. */
  async down(queryRunner: QueryRunner): Promise<void> {
    if (!isPostgres(queryRunner)) return;
    for (const { name } of [...SEARCHED].reverse()) await queryRunner.query(`DROP INDEX IF EXISTS "${name}"`);
  }
}
