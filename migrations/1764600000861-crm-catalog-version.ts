import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { intColumn, varcharColumn } from './support/migration-columns';

/**
 * One version row per cached catalogue (`CatalogVersions`): raised with every write to the
 * catalogue, read by each instance before it serves the catalogue from memory.
 */
export class CrmCatalogVersion1764600000861 implements MigrationInterface {
  name = 'CrmCatalogVersion1764600000861';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({ name: 'crm_catalog_version', columns: [varcharColumn('catalog', 40, { isPrimary: true }), intColumn('version', { default: 1 })] }),
    );
    await queryRunner.manager.createQueryBuilder().insert().into('crm_catalog_version', ['catalog', 'version']).values([{ catalog: 'sources', version: 1 }]).execute();
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('crm_catalog_version');
  }
}
