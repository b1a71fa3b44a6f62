import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { foreignKey, intColumn } from './support/migration-columns';

/** The tables that get a partner company of their own, and the names of its index and foreign key. */
const TABLES = [
  { table: 'crm_customer', index: 'IDX_crm_customer_partner', fk: 'FK_crm_customer_partner_company' },
  { table: 'crm_company', index: 'IDX_crm_company_partner_company', fk: 'FK_crm_company_partner_company' },
  { table: 'crm_contact', index: 'IDX_crm_contact_partner_company', fk: 'FK_crm_contact_partner_company' },
];

/**
 * The partner company a customer, company or contact belongs to, for record visibility: a customer
 * gets its lead's (backfilled here from the lead it was converted from), a company or contact the
 * partner whose supervisor created it. Indexed: partner-scoped lists filter on it.
 */
export class CrmRecordPartners1764600000000 implements MigrationInterface {
  name = 'CrmRecordPartners1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const { table, index, fk } of TABLES) {
      await queryRunner.addColumn(table, new TableColumn(intColumn('partnerCompanyId', { isNullable: true })));
      await queryRunner.createIndex(table, new TableIndex({ name: index, columnNames: ['partnerCompanyId'] }));
      await queryRunner.createForeignKey(table, foreignKey(fk, 'partnerCompanyId', 'crm_company', 'RESTRICT'));
    }
    const e = (name: string) => queryRunner.connection.driver.escape(name);
    await queryRunner.query(
      `UPDATE ${e('crm_customer')} SET ${e('partnerCompanyId')} = (SELECT l.${e('partnerCompanyId')} FROM ${e('crm_lead')} l WHERE l.${e('id')} = ${e('crm_customer')}.${e('leadId')}) WHERE ${e('leadId')} IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const { table, index, fk } of [...TABLES].reverse()) {
      await queryRunner.dropForeignKey(table, fk);
      await queryRunner.dropIndex(table, index);
      await queryRunner.dropColumn(table, 'partnerCompanyId');
    }
  }
}
