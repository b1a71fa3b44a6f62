import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/** The company filter of the lead and customer lists, with the lists' default newest-first order. */
const INDEXES = [
  new TableIndex({ name: 'IDX_crm_lead_company_created', columnNames: ['companyId', 'createdAt'] }),
  new TableIndex({ name: 'IDX_crm_customer_company_created', columnNames: ['companyId', 'createdAt'] }),
];
const TABLES = ['crm_lead', 'crm_customer'];

/**
 * `GET /crm/leads?companyId=` and `GET /crm/customers?companyId=` sort newest first: with `companyId` alone indexed,
 * a company with many leads has every one of them read and sorted for each page. Each other filter of these lists
 * already has its `(filter, createdAt)` index; the single-column company indexes stay (their foreign keys use them).
 */
export class CrmCompanyListIndexes1764600000800 implements MigrationInterface {
  name = 'CrmCompanyListIndexes1764600000800';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [i, table] of TABLES.entries()) await queryRunner.createIndex(table, INDEXES[i]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [i, table] of TABLES.entries()) await queryRunner.dropIndex(table, INDEXES[i].name!);
  }
}
