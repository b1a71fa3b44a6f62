import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import {
  createdAtColumn,
  dateColumn,
  datetimeColumn,
  decimalColumn,
  foreignKey,
  idColumn,
  intColumn,
  updatedAtColumn,
  varcharColumn,
} from './support/migration-columns';

/** Customers and opportunities; both reference sources by id so reports and labels follow the catalogue. */
export class CrmCustomersOpportunities1763856000400 implements MigrationInterface {
  name = 'CrmCustomersOpportunities1763856000400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'crm_customer',
        columns: [
          idColumn(),
          varcharColumn('name', 200),
          intColumn('companyId', { isNullable: true }),
          intColumn('primaryContactId', { isNullable: true }),
          varcharColumn('ownerId', 64),
          varcharColumn('status', 20, { default: "'active'" }),
          intColumn('sourceId', { isNullable: true }),
          intColumn('leadId', { isNullable: true }),
          varcharColumn('createdById', 64),
          intColumn('version', { default: 1 }),
          createdAtColumn(queryRunner),
          updatedAtColumn(queryRunner),
        ],
        indices: [
          new TableIndex({ name: 'IDX_crm_customer_name', columnNames: ['name'] }),
          new TableIndex({ name: 'IDX_crm_customer_company', columnNames: ['companyId'] }),
          new TableIndex({ name: 'IDX_crm_customer_contact', columnNames: ['primaryContactId'] }),
          new TableIndex({ name: 'IDX_crm_customer_owner', columnNames: ['ownerId', 'createdAt'] }),
          new TableIndex({ name: 'IDX_crm_customer_status', columnNames: ['status', 'createdAt'] }),
          new TableIndex({ name: 'IDX_crm_customer_source', columnNames: ['sourceId', 'createdAt', 'leadId'] }),
          new TableIndex({ name: 'IDX_crm_customer_lead', columnNames: ['leadId'] }),
          new TableIndex({ name: 'IDX_crm_customer_created', columnNames: ['createdAt'] }),
        ],
        foreignKeys: [
          foreignKey('FK_crm_customer_company', 'companyId', 'crm_company', 'RESTRICT'),
          foreignKey('FK_crm_customer_contact', 'primaryContactId', 'crm_contact', 'RESTRICT'),
          foreignKey('FK_crm_customer_owner', 'ownerId', 'crm_person', 'RESTRICT'),
          foreignKey('FK_crm_customer_source', 'sourceId', 'crm_source', 'RESTRICT'),
          foreignKey('FK_crm_customer_lead', 'leadId', 'crm_lead', 'RESTRICT'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'crm_opportunity',
        columns: [
          idColumn(),
          varcharColumn('title', 200),
          intColumn('leadId', { isNullable: true }),
          intColumn('customerId', { isNullable: true }),
          intColumn('originLeadId', { isNullable: true }),
          intColumn('sourceId', { isNullable: true }),
          varcharColumn('stage', 20, { default: "'new'" }),
          varcharColumn('lostReason', 500, { isNullable: true }),
          decimalColumn('amount', { isNullable: true }),
          varcharColumn('currency', 3, { isNullable: true }),
          intColumn('probability', { isNullable: true }),
          dateColumn('expectedCloseDate', { isNullable: true }),
          varcharColumn('ownerId', 64),
          datetimeColumn(queryRunner, 'closedAt', { isNullable: true }),
          varcharColumn('createdById', 64),
          intColumn('version', { default: 1 }),
          createdAtColumn(queryRunner),
          updatedAtColumn(queryRunner),
        ],
        indices: [
          new TableIndex({ name: 'IDX_crm_opportunity_stage', columnNames: ['stage', 'createdAt'] }),
          new TableIndex({ name: 'IDX_crm_opportunity_source', columnNames: ['sourceId', 'stage'] }),
          new TableIndex({ name: 'IDX_crm_opportunity_owner', columnNames: ['ownerId', 'createdAt'] }),
          new TableIndex({ name: 'IDX_crm_opportunity_lead', columnNames: ['leadId', 'stage'] }),
          new TableIndex({ name: 'IDX_crm_opportunity_customer', columnNames: ['customerId', 'stage'] }),
          new TableIndex({ name: 'IDX_crm_opportunity_origin_lead', columnNames: ['originLeadId', 'stage'] }),
          new TableIndex({ name: 'IDX_crm_opportunity_created', columnNames: ['createdAt'] }),
        ],
        foreignKeys: [
          foreignKey('FK_crm_opportunity_lead', 'leadId', 'crm_lead', 'RESTRICT'),
          foreignKey('FK_crm_opportunity_customer', 'customerId', 'crm_customer', 'RESTRICT'),
          foreignKey('FK_crm_opportunity_origin_lead', 'originLeadId', 'crm_lead', 'RESTRICT'),
          foreignKey('FK_crm_opportunity_source', 'sourceId', 'crm_source', 'RESTRICT'),
          foreignKey('FK_crm_opportunity_owner', 'ownerId', 'crm_person', 'RESTRICT'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('crm_opportunity');
    await queryRunner.dropTable('crm_customer');
  }
}
