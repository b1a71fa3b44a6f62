import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { intColumn, varcharColumn } from './support/migration-columns';
import { migrationSql } from './support/migration-sql';

/**
 * The leads' counts per source and status (issue 16: the board and the attribution report at a million
 * leads), filled from the leads already there, all in shard 0.
 */
export class CrmLeadTally1764600000900 implements MigrationInterface {
  name = 'CrmLeadTally1764600000900';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'crm_lead_tally',
        columns: [intColumn('sourceId', { isPrimary: true }), varcharColumn('status', 20, { isPrimary: true }), intColumn('shard', { isPrimary: true }), intColumn('n', { default: 0 })],
      }),
    );
    const { name: n, query } = migrationSql(queryRunner);
    await query(
      `INSERT INTO ${n('crm_lead_tally')} (${n('sourceId')}, ${n('status')}, ${n('shard')}, ${n('n')})
       SELECT ${n('sourceId')}, ${n('status')}, 0, COUNT(*) FROM ${n('crm_lead')} GROUP BY ${n('sourceId')}, ${n('status')}`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('crm_lead_tally');
  }
}
