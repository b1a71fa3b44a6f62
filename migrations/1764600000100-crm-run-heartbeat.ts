import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { datetimeColumn, varcharColumn } from './support/migration-columns';

/**
 * Import runs name the instance running them and its last heartbeat (so a run whose process died
 * can be told apart from one another instance is still running), and the temporary file they work
 * from; the distributor cursor remembers up to where its late-commit window has passed.
 */
export class CrmRunHeartbeat1764600000100 implements MigrationInterface {
  name = 'CrmRunHeartbeat1764600000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('crm_import_run', [
      new TableColumn(varcharColumn('holder', 120, { isNullable: true })),
      new TableColumn(datetimeColumn(queryRunner, 'heartbeatAt', { isNullable: true })),
      new TableColumn(varcharColumn('tempFile', 500, { isNullable: true })),
    ]);
    await queryRunner.addColumn('crm_sync_cursor', new TableColumn(varcharColumn('settledBefore', 19, { isNullable: true })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('crm_sync_cursor', 'settledBefore');
    await queryRunner.dropColumns('crm_import_run', ['tempFile', 'heartbeatAt', 'holder']);
  }
}
