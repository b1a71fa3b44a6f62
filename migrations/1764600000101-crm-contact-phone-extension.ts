import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { varcharColumn } from './support/migration-columns';

/** A contact's phone extension, kept apart from the phone (which stays a number to match on). */
export class CrmContactPhoneExtension1764600000101 implements MigrationInterface {
  name = 'CrmContactPhoneExtension1764600000101';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('crm_contact', new TableColumn(varcharColumn('phoneExtension', 10, { isNullable: true })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('crm_contact', 'phoneExtension');
  }
}
