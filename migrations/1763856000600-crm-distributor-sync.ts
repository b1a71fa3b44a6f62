import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { datetimeColumn, intColumn, updatedAtColumn, varcharColumn } from './support/migration-columns';

/** The distributor sync's per-model cursor and the lease that keeps one instance running it. */
export class CrmDistributorSync1763856000600 implements MigrationInterface {
  name = 'CrmDistributorSync1763856000600';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'crm_sync_cursor',
        columns: [
          varcharColumn('model', 120, { isPrimary: true }),
          varcharColumn('writeDate', 19),
          intColumn('lastId'),
          updatedAtColumn(queryRunner),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'crm_sync_lease',
        columns: [varcharColumn('name', 64, { isPrimary: true }), varcharColumn('holder', 120), datetimeColumn(queryRunner, 'expiresAt')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('crm_sync_lease');
    await queryRunner.dropTable('crm_sync_cursor');
  }
}
