import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { intColumn, varcharColumn } from './support/migration-columns';

/**
 * An idempotency record is bound to the request it answered (a SHA-256 of its canonical body) and
 * keeps the HTTP status of that answer, so a rejection (422) is replayed to its retries like a success.
 * Records written before have no hash: their key still answers, whatever the body.
 */
export class CrmIntakeIdempotencyBinding1764600000050 implements MigrationInterface {
  name = 'CrmIntakeIdempotencyBinding1764600000050';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('crm_intake_idempotency', [
      new TableColumn(varcharColumn('requestHash', 64, { isNullable: true })),
      new TableColumn(intColumn('statusCode', { default: 200 })),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('crm_intake_idempotency', 'statusCode');
    await queryRunner.dropColumn('crm_intake_idempotency', 'requestHash');
  }
}
