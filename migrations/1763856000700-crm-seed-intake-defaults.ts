import { MigrationInterface, QueryRunner } from 'typeorm';
import { DEFAULT_SALES_DIRECTION, SOURCES_WITH_DEFAULT_DIRECTION } from '../seeds/default-lists';
import { migrationSql } from './support/migration-sql';

/** Installs the default sales direction and files the distributor's sources under it where none is set. */
export class CrmSeedIntakeDefaults1763856000700 implements MigrationInterface {
  name = 'CrmSeedIntakeDefaults1763856000700';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { name: n, query } = migrationSql(queryRunner);
    const entry = { ...DEFAULT_SALES_DIRECTION, active: true };
    const same = `${n('kind')} = :kind AND (${n('code')} = :code OR ${n('name')} = :name)`;
    const existing: unknown[] = await query(`SELECT ${n('id')} FROM ${n('crm_list_entry')} WHERE ${same}`, entry);
    if (existing.length === 0) {
      const columns = ['kind', 'name', 'code', 'active', 'sequence'];
      await query(`INSERT INTO ${n('crm_list_entry')} (${columns.map(n).join(', ')}) VALUES (:kind, :name, :code, :active, :sequence)`, entry);
    }
    const [{ id }] = await query<{ id: number }[]>(`SELECT ${n('id')} FROM ${n('crm_list_entry')} WHERE ${same} ORDER BY ${n('id')}`, entry);
    await query(
      `UPDATE ${n('crm_source')} SET ${n('defaultSalesDirectionId')} = :id WHERE ${n('defaultSalesDirectionId')} IS NULL AND ${n('code')} IN (:...codes)`,
      { id, codes: [...SOURCES_WITH_DEFAULT_DIRECTION] },
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const { name: n, query } = migrationSql(queryRunner);
    const { kind, code } = DEFAULT_SALES_DIRECTION;
    const entries = await query<{ id: number }[]>(`SELECT ${n('id')} FROM ${n('crm_list_entry')} WHERE ${n('kind')} = :kind AND ${n('code')} = :code`, { kind, code });
    for (const { id } of entries) {
      await query(`UPDATE ${n('crm_source')} SET ${n('defaultSalesDirectionId')} = NULL WHERE ${n('defaultSalesDirectionId')} = :id`, { id });
      const used: unknown[] = await query(`SELECT ${n('id')} FROM ${n('crm_lead')} WHERE ${n('salesDirectionId')} = :id LIMIT 1`, { id });
      if (used.length === 0) await query(`DELETE FROM ${n('crm_list_entry')} WHERE ${n('id')} = :id`, { id });
    }
  }
}
