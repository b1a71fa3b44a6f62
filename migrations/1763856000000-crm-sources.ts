import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import {
  booleanColumn,
  createdAtColumn,
  foreignKey,
  idColumn,
  intColumn,
  textColumn,
  updatedAtColumn,
  varcharColumn,
} from './support/migration-columns';

/** The shared audit log and the source catalogue. */
export class CrmSources1763856000000 implements MigrationInterface {
  name = 'CrmSources1763856000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'crm_audit_entry',
        columns: [
          idColumn(),
          varcharColumn('entityType', 40),
          varcharColumn('entityId', 64),
          varcharColumn('action', 40),
          varcharColumn('actorId', 64),
          textColumn('changes'),
          createdAtColumn(queryRunner),
        ],
        indices: [new TableIndex({ name: 'IDX_crm_audit_entity', columnNames: ['entityType', 'entityId', 'id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'crm_source',
        columns: [
          idColumn(),
          varcharColumn('code', 32),
          varcharColumn('name', 120),
          textColumn('translations', { isNullable: true }),
          varcharColumn('type', 32),
          intColumn('sequence', { default: 10 }),
          booleanColumn(queryRunner, 'active', true),
          booleanColumn(queryRunner, 'forLeads', true),
          booleanColumn(queryRunner, 'forCustomers', true),
          booleanColumn(queryRunner, 'protected', false),
          intColumn('version', { default: 1 }),
          createdAtColumn(queryRunner),
          updatedAtColumn(queryRunner),
        ],
        indices: [
          new TableIndex({ name: 'UQ_crm_source_code', columnNames: ['code'], isUnique: true }),
          new TableIndex({ name: 'IDX_crm_source_picker', columnNames: ['active', 'sequence', 'name'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'crm_source_match_key',
        columns: [idColumn(), intColumn('sourceId'), varcharColumn('matchKey', 120)],
        indices: [
          new TableIndex({ name: 'IDX_crm_source_match_key_source', columnNames: ['sourceId'] }),
          new TableIndex({ name: 'UQ_crm_source_match_key_key', columnNames: ['matchKey'], isUnique: true }),
        ],
        foreignKeys: [
          foreignKey('FK_crm_source_match_key_source', 'sourceId', 'crm_source', 'CASCADE'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'crm_retired_source_code',
        columns: [varcharColumn('code', 32, { isPrimary: true }), intColumn('sourceId'), createdAtColumn(queryRunner, 'retiredAt')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('crm_retired_source_code');
    await queryRunner.dropTable('crm_source_match_key');
    await queryRunner.dropTable('crm_source');
    await queryRunner.dropTable('crm_audit_entry');
  }
}
