import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** The host's own table, migrated in the same run as CRM_MIGRATIONS. */
export class CreateHostNotes1764600000200 implements MigrationInterface {
  name = 'CreateHostNotes1764600000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'host_note',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'text', type: 'varchar', length: '200' },
          { name: 'author_id', type: 'varchar', length: '64' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('host_note');
  }
}
