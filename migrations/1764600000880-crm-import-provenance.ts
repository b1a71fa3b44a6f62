import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { foreignKey, idColumn, intColumn, textColumn, varcharColumn } from './support/migration-columns';

/**
 * Imports audit a page, not a record: a run keeps its uploaded file's name, and the id ranges each
 * page created with where each id came from (row number, or remote id and write_date), indexed by
 * entity type and first id so a record's history finds its run.
 */
export class CrmImportProvenance1764600000880 implements MigrationInterface {
  name = 'CrmImportProvenance1764600000880';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('crm_import_run', new TableColumn(varcharColumn('fileName', 255, { isNullable: true })));
    await queryRunner.createTable(
      new Table({
        name: 'crm_import_run_range',
        columns: [
          idColumn(),
          intColumn('runId'),
          intColumn('entryId'),
          varcharColumn('entityType', 40),
          intColumn('firstId'),
          intColumn('lastId'),
          varcharColumn('model', 120, { isNullable: true }),
          textColumn('origins', { isNullable: true }),
        ],
        indices: [new TableIndex({ name: 'IDX_crm_import_run_range_ids', columnNames: ['entityType', 'firstId'] })],
        foreignKeys: [foreignKey('FK_crm_import_run_range_run', 'runId', 'crm_import_run', 'CASCADE')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('crm_import_run_range');
    await queryRunner.dropColumn('crm_import_run', 'fileName');
  }
}
