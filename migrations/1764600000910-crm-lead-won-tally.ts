import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { intColumn } from './support/migration-columns';
import { migrationSql } from './support/migration-sql';

/**
 * Won opportunities by their origin lead's source, counted and summed in cents (issue 16: the lead
 * attribution report at a million leads), filled from the opportunities already won, all in shard 0.
 */
export class CrmLeadWonTally1764600000910 implements MigrationInterface {
  name = 'CrmLeadWonTally1764600000910';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'crm_lead_won_tally',
        columns: [intColumn('sourceId', { isPrimary: true }), intColumn('shard', { isPrimary: true }), intColumn('n', { default: 0 }), { name: 'cents', type: 'bigint', default: 0 }],
      }),
    );
    const { name: n, query } = migrationSql(queryRunner);
    await query(
      `INSERT INTO ${n('crm_lead_won_tally')} (${n('sourceId')}, ${n('shard')}, ${n('n')}, ${n('cents')})
       SELECT l.${n('sourceId')}, 0, COUNT(*), COALESCE(SUM(ROUND(o.${n('amount')} * 100)), 0)
       FROM ${n('crm_opportunity')} o INNER JOIN ${n('crm_lead')} l ON l.${n('id')} = o.${n('originLeadId')}
       WHERE o.${n('stage')} = :won GROUP BY l.${n('sourceId')}`,
      { won: 'won' },
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('crm_lead_won_tally');
  }
}
