import { MigrationInterface, QueryRunner } from 'typeorm';
import { DEFAULT_SOURCES } from '../seeds/default-sources';

/** Installs the default sources; a code that already exists (or was retired) is left alone. */
export class CrmSeedSources1763856000100 implements MigrationInterface {
  name = 'CrmSeedSources1763856000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const source of DEFAULT_SOURCES) {
      const taken = await queryRunner.query(
        'SELECT code FROM crm_source WHERE code = ? UNION SELECT code FROM crm_retired_source_code WHERE code = ?',
        [source.code, source.code],
      );
      if (taken.length > 0) continue;
      await queryRunner.query(
        'INSERT INTO crm_source (code, name, type, sequence, active, forLeads, forCustomers, protected, version) VALUES (?, ?, ?, ?, 1, ?, ?, ?, 1)',
        [source.code, source.name, source.type, source.sequence, Number(source.forLeads), Number(source.forCustomers), Number(source.protected)],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const codes = DEFAULT_SOURCES.map((s) => s.code);
    await queryRunner.query(`DELETE FROM crm_source WHERE code IN (${codes.map(() => '?').join(', ')})`, codes);
  }
}
