import { MigrationInterface, QueryRunner } from 'typeorm';
import { DEFAULT_SOURCES } from '../seeds/default-sources';
import { migrationSql } from './support/migration-sql';

/** Installs the default sources; a code that already exists (or was retired) is left alone. */
export class CrmSeedSources1763856000100 implements MigrationInterface {
  name = 'CrmSeedSources1763856000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { name, query } = migrationSql(queryRunner);
    const columns = ['code', 'name', 'type', 'sequence', 'active', 'forLeads', 'forCustomers', 'protected', 'version'];
    for (const source of DEFAULT_SOURCES) {
      const taken: unknown[] = await query(
        `SELECT ${name('code')} FROM ${name('crm_source')} WHERE ${name('code')} = :code UNION SELECT ${name('code')} FROM ${name('crm_retired_source_code')} WHERE ${name('code')} = :code`,
        { code: source.code },
      );
      if (taken.length > 0) continue;
      await query(
        `INSERT INTO ${name('crm_source')} (${columns.map(name).join(', ')}) VALUES (:code, :name, :type, :sequence, :active, :forLeads, :forCustomers, :protected, :version)`,
        { ...source, active: true, version: 1 },
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const { name, query } = migrationSql(queryRunner);
    await query(`DELETE FROM ${name('crm_source')} WHERE ${name('code')} IN (:...codes)`, { codes: DEFAULT_SOURCES.map((s) => s.code) });
  }
}
