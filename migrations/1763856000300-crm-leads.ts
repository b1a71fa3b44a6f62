import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import {
  booleanColumn,
  createdAtColumn,
  datetimeColumn,
  dateColumn,
  decimalColumn,
  foreignKey,
  idColumn,
  intColumn,
  textColumn,
  updatedAtColumn,
  varcharColumn,
} from './support/migration-columns';

/** Leads, with an index for every filter and sort the lead list offers. */
export class CrmLeads1763856000300 implements MigrationInterface {
  name = 'CrmLeads1763856000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    const nullable = { isNullable: true };
    await queryRunner.createTable(
      new Table({
        name: 'crm_lead',
        columns: [
          idColumn(),
          varcharColumn('name', 200),
          intColumn('sourceId'),
          varcharColumn('leadCompanyName', 200, nullable),
          intColumn('companyId', nullable),
          intColumn('contactId', nullable),
          varcharColumn('jobTitle', 120, nullable),
          intColumn('marketingCampaignId', nullable),
          intColumn('salesDirectionId'),
          intColumn('productId', nullable),
          intColumn('contentDistributionChannelId', nullable),
          textColumn('customerRequirements', nullable),
          varcharColumn('ownerId', 64, nullable),
          varcharColumn('city', 120, nullable),
          intColumn('partnerCompanyId', nullable),
          intColumn('partnerRepresentativeId', nullable),
          varcharColumn('channel', 200, nullable),
          textColumn('goal', nullable),
          varcharColumn('implementationOptions', 32, nullable),
          booleanColumn(queryRunner, 'budgetIsSet', false),
          decimalColumn('estimatedAmount', nullable),
          decimalColumn('budget', nullable),
          varcharColumn('procurementProcedure', 32, nullable),
          varcharColumn('decisionLevel', 32, nullable),
          varcharColumn('terms', 32, nullable),
          dateColumn('estimatedCloseDate', nullable),
          textColumn('termsComment', nullable),
          varcharColumn('contactPersonLevel', 32, nullable),
          varcharColumn('decisionMaker', 200, nullable),
          varcharColumn('influenceOnDecision', 32, nullable),
          textColumn('competitors', nullable),
          textColumn('selectionCriteria', nullable),
          varcharColumn('complianceWithCriteria', 32, nullable),
          varcharColumn('status', 20, { default: "'new'" }),
          varcharColumn('lostReason', 500, nullable),
          intColumn('customerId', nullable),
          intColumn('opportunityId', nullable),
          datetimeColumn(queryRunner, 'convertedAt', nullable),
          varcharColumn('externalSource', 64, nullable),
          varcharColumn('externalId', 64, nullable),
          varcharColumn('createdById', 64),
          intColumn('version', { default: 1 }),
          createdAtColumn(queryRunner),
          updatedAtColumn(queryRunner),
        ],
        indices: [
          new TableIndex({ name: 'IDX_crm_lead_status_created', columnNames: ['status', 'createdAt'] }),
          new TableIndex({ name: 'IDX_crm_lead_source_created', columnNames: ['sourceId', 'createdAt'] }),
          new TableIndex({ name: 'IDX_crm_lead_owner_created', columnNames: ['ownerId', 'createdAt'] }),
          new TableIndex({ name: 'IDX_crm_lead_partner_created', columnNames: ['partnerCompanyId', 'createdAt'] }),
          new TableIndex({ name: 'UQ_crm_lead_external', columnNames: ['externalSource', 'externalId'], isUnique: true }),
          new TableIndex({ name: 'IDX_crm_lead_name', columnNames: ['name'] }),
          new TableIndex({ name: 'IDX_crm_lead_company', columnNames: ['companyId'] }),
          new TableIndex({ name: 'IDX_crm_lead_contact', columnNames: ['contactId'] }),
          new TableIndex({ name: 'IDX_crm_lead_marketing_campaign', columnNames: ['marketingCampaignId'] }),
          new TableIndex({ name: 'IDX_crm_lead_sales_direction', columnNames: ['salesDirectionId'] }),
          new TableIndex({ name: 'IDX_crm_lead_product', columnNames: ['productId'] }),
          new TableIndex({ name: 'IDX_crm_lead_content_channel', columnNames: ['contentDistributionChannelId'] }),
          new TableIndex({ name: 'IDX_crm_lead_partner_representative', columnNames: ['partnerRepresentativeId'] }),
          new TableIndex({ name: 'IDX_crm_lead_close_date', columnNames: ['estimatedCloseDate'] }),
          new TableIndex({ name: 'IDX_crm_lead_customer', columnNames: ['customerId'] }),
          new TableIndex({ name: 'IDX_crm_lead_opportunity', columnNames: ['opportunityId'] }),
          new TableIndex({ name: 'IDX_crm_lead_created', columnNames: ['createdAt'] }),
        ],
        foreignKeys: [
          foreignKey('FK_crm_lead_source', 'sourceId', 'crm_source', 'RESTRICT'),
          foreignKey('FK_crm_lead_company', 'companyId', 'crm_company', 'RESTRICT'),
          foreignKey('FK_crm_lead_contact', 'contactId', 'crm_contact', 'RESTRICT'),
          foreignKey('FK_crm_lead_marketing_campaign', 'marketingCampaignId', 'crm_list_entry', 'RESTRICT'),
          foreignKey('FK_crm_lead_sales_direction', 'salesDirectionId', 'crm_list_entry', 'RESTRICT'),
          foreignKey('FK_crm_lead_product', 'productId', 'crm_list_entry', 'RESTRICT'),
          foreignKey('FK_crm_lead_content_channel', 'contentDistributionChannelId', 'crm_list_entry', 'RESTRICT'),
          foreignKey('FK_crm_lead_owner', 'ownerId', 'crm_person', 'RESTRICT'),
          foreignKey('FK_crm_lead_partner_company', 'partnerCompanyId', 'crm_company', 'RESTRICT'),
          foreignKey('FK_crm_lead_partner_representative', 'partnerRepresentativeId', 'crm_contact', 'RESTRICT'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('crm_lead');
  }
}
