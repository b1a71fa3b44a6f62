import { MigrationInterface, QueryRunner, Table, TableColumn, type TableColumnOptions, TableIndex } from 'typeorm';
import {
  booleanColumn,
  createdAtColumn,
  datetimeColumn,
  foreignKey,
  idColumn,
  intColumn,
  textColumn,
  updatedAtColumn,
  varcharColumn,
} from './support/migration-columns';

/**
 * Lead intake: the rules a source applies to incoming leads (product category, routing, defaults,
 * duplicate handling), match keys unique per product category, routing cursors, intake API keys,
 * idempotency records, the rejected-intake inbox, and import runs with their failed rows.
 */
export class CrmIntake1763856000500 implements MigrationInterface {
  name = 'CrmIntake1763856000500';

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.addSourceRules(queryRunner);
    await this.matchKeysPerCategory(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'crm_source_routing_team',
        columns: [intColumn('sourceId', { isPrimary: true }), intColumn('teamId', { isPrimary: true })],
        indices: [new TableIndex({ name: 'IDX_crm_source_routing_team_team', columnNames: ['teamId'] })],
        foreignKeys: [
          foreignKey('FK_crm_source_routing_team_source', 'sourceId', 'crm_source', 'CASCADE'),
          foreignKey('FK_crm_source_routing_team_team', 'teamId', 'crm_team', 'CASCADE'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'crm_source_routing_cursor',
        columns: [intColumn('sourceId', { isPrimary: true }), intColumn('turn', { default: 0 })],
        foreignKeys: [foreignKey('FK_crm_source_routing_cursor_source', 'sourceId', 'crm_source', 'CASCADE')],
      }),
    );
    await this.createIntakeTables(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'crm_import_run',
        columns: [
          idColumn(),
          varcharColumn('kind', 20),
          varcharColumn('status', 20, { default: "'queued'" }),
          booleanColumn(queryRunner, 'dryRun', false),
          intColumn('total', { isNullable: true }),
          intColumn('processed', { default: 0 }),
          intColumn('created', { default: 0 }),
          intColumn('updated', { default: 0 }),
          intColumn('skipped', { default: 0 }),
          intColumn('failed', { default: 0 }),
          textColumn('error', { isNullable: true }),
          varcharColumn('createdById', 64),
          datetimeColumn(queryRunner, 'startedAt', { isNullable: true }),
          datetimeColumn(queryRunner, 'finishedAt', { isNullable: true }),
          createdAtColumn(queryRunner),
          updatedAtColumn(queryRunner),
        ],
        indices: [new TableIndex({ name: 'IDX_crm_import_run_kind', columnNames: ['kind', 'id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'crm_import_run_error',
        columns: [
          idColumn(),
          intColumn('runId'),
          intColumn('rowNumber', { isNullable: true }),
          varcharColumn('reference', 120, { isNullable: true }),
          textColumn('reason'),
          textColumn('payload'),
          datetimeColumn(queryRunner, 'replayedAt', { isNullable: true }),
          createdAtColumn(queryRunner),
        ],
        indices: [new TableIndex({ name: 'IDX_crm_import_run_error_run', columnNames: ['runId', 'id'] })],
        foreignKeys: [foreignKey('FK_crm_import_run_error_run', 'runId', 'crm_import_run', 'CASCADE')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('crm_import_run_error');
    await queryRunner.dropTable('crm_import_run');
    await queryRunner.dropTable('crm_intake_rejected');
    await queryRunner.dropTable('crm_intake_idempotency');
    await queryRunner.dropTable('crm_intake_key');
    await queryRunner.dropTable('crm_source_routing_cursor');
    await queryRunner.dropTable('crm_source_routing_team');
    await queryRunner.dropIndex('crm_source_match_key', 'UQ_crm_source_match_key_category');
    await queryRunner.dropColumn('crm_source_match_key', 'productCategoryKey');
    await queryRunner.createIndex('crm_source_match_key', new TableIndex({ name: 'UQ_crm_source_match_key_key', columnNames: ['matchKey'], isUnique: true }));
    for (const fk of SOURCE_FOREIGN_KEYS) await queryRunner.dropForeignKey('crm_source', fk.name);
    for (const index of SOURCE_INDICES) await queryRunner.dropIndex('crm_source', index.name);
    for (const column of sourceRuleColumns(queryRunner)) await queryRunner.dropColumn('crm_source', column.name);
  }

  private async addSourceRules(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('crm_source', sourceRuleColumns(queryRunner).map((column) => new TableColumn(column)));
    for (const index of SOURCE_INDICES) await queryRunner.createIndex('crm_source', new TableIndex({ name: index.name, columnNames: [index.column] }));
    await queryRunner.createForeignKeys(
      'crm_source',
      SOURCE_FOREIGN_KEYS.map((fk) => foreignKey(fk.name, fk.column, fk.table, 'SET NULL')),
    );
  }

  /** A match key is unique per product category: the source's category is copied onto each key row. */
  private async matchKeysPerCategory(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('crm_source_match_key', 'UQ_crm_source_match_key_key');
    await queryRunner.addColumn('crm_source_match_key', new TableColumn(varcharColumn('productCategoryKey', 60, { default: "''" })));
    await queryRunner.createIndex(
      'crm_source_match_key',
      new TableIndex({ name: 'UQ_crm_source_match_key_category', columnNames: ['matchKey', 'productCategoryKey'], isUnique: true }),
    );
  }

  private async createIntakeTables(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'crm_intake_key',
        columns: [
          idColumn(),
          varcharColumn('name', 120),
          varcharColumn('prefix', 16),
          varcharColumn('secretHash', 64),
          intColumn('defaultSourceId', { isNullable: true }),
          datetimeColumn(queryRunner, 'revokedAt', { isNullable: true }),
          varcharColumn('createdById', 64),
          createdAtColumn(queryRunner),
          updatedAtColumn(queryRunner),
        ],
        indices: [
          new TableIndex({ name: 'UQ_crm_intake_key_hash', columnNames: ['secretHash'], isUnique: true }),
          new TableIndex({ name: 'IDX_crm_intake_key_default_source', columnNames: ['defaultSourceId'] }),
        ],
        foreignKeys: [foreignKey('FK_crm_intake_key_default_source', 'defaultSourceId', 'crm_source', 'NO ACTION')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'crm_intake_idempotency',
        columns: [idColumn(), intColumn('keyId'), varcharColumn('idempotencyKey', 120), textColumn('response'), createdAtColumn(queryRunner)],
        indices: [new TableIndex({ name: 'UQ_crm_intake_idempotency_key', columnNames: ['keyId', 'idempotencyKey'], isUnique: true })],
        foreignKeys: [foreignKey('FK_crm_intake_idempotency_key', 'keyId', 'crm_intake_key', 'CASCADE')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'crm_intake_rejected',
        columns: [
          idColumn(),
          intColumn('keyId', { isNullable: true }),
          varcharColumn('sourceText', 200, { isNullable: true }),
          textColumn('reason'),
          textColumn('payload'),
          varcharColumn('status', 20, { default: "'pending'" }),
          intColumn('leadId', { isNullable: true }),
          datetimeColumn(queryRunner, 'replayedAt', { isNullable: true }),
          createdAtColumn(queryRunner),
        ],
        indices: [
          new TableIndex({ name: 'IDX_crm_intake_rejected_status', columnNames: ['status', 'id'] }),
          new TableIndex({ name: 'IDX_crm_intake_rejected_key', columnNames: ['keyId'] }),
        ],
        foreignKeys: [foreignKey('FK_crm_intake_rejected_key', 'keyId', 'crm_intake_key', 'NO ACTION')],
      }),
    );
  }
}

const sourceRuleColumns = (queryRunner: QueryRunner): TableColumnOptions[] => [
  varcharColumn('productCategory', 60, { isNullable: true }),
  varcharColumn('routingMode', 10, { default: "'none'" }),
  varcharColumn('routingPersonId', 64, { isNullable: true }),
  varcharColumn('fallbackPersonId', 64, { isNullable: true }),
  intColumn('defaultMarketingCampaignId', { isNullable: true }),
  intColumn('defaultSalesDirectionId', { isNullable: true }),
  booleanColumn(queryRunner, 'updateLead', false),
  booleanColumn(queryRunner, 'updateContact', false),
  booleanColumn(queryRunner, 'showDoNotContact', false),
];

const SOURCE_INDICES = [
  { name: 'IDX_crm_source_routing_person', column: 'routingPersonId' },
  { name: 'IDX_crm_source_fallback_person', column: 'fallbackPersonId' },
  { name: 'IDX_crm_source_default_campaign', column: 'defaultMarketingCampaignId' },
  { name: 'IDX_crm_source_default_direction', column: 'defaultSalesDirectionId' },
];

const SOURCE_FOREIGN_KEYS = [
  { name: 'FK_crm_source_routing_person', column: 'routingPersonId', table: 'crm_person' },
  { name: 'FK_crm_source_fallback_person', column: 'fallbackPersonId', table: 'crm_person' },
  { name: 'FK_crm_source_default_campaign', column: 'defaultMarketingCampaignId', table: 'crm_list_entry' },
  { name: 'FK_crm_source_default_direction', column: 'defaultSalesDirectionId', table: 'crm_list_entry' },
];
