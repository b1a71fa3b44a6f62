import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
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

/** Lead intake: import runs and their failed rows. */
export class CrmIntake1763856000500 implements MigrationInterface {
  name = 'CrmIntake1763856000500';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'crm_import_run',
        columns: [
          idColumn(),
          varcharColumn('kind', 20),
          varcharColumn('status', 20, { default: "'queued'" }),
          booleanColumn('dryRun', false),
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
  }
}
