import { MigrationInterface, QueryRunner } from 'typeorm';
import { DEFAULT_SALES_DIRECTION, SOURCES_WITH_DEFAULT_DIRECTION } from '../seeds/default-lists';

/** Installs the default sales direction and files the distributor's sources under it where none is set. */
export class CrmSeedIntakeDefaults1763856000700 implements MigrationInterface {
  name = 'CrmSeedIntakeDefaults1763856000700';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { kind, code, name, sequence } = DEFAULT_SALES_DIRECTION;
    const existing = await queryRunner.query('SELECT id FROM crm_list_entry WHERE kind = ? AND (code = ? OR name = ?)', [kind, code, name]);
    if (existing.length === 0) {
      await queryRunner.query('INSERT INTO crm_list_entry (kind, name, code, active, sequence) VALUES (?, ?, ?, 1, ?)', [kind, name, code, sequence]);
    }
    const [entry] = await queryRunner.query('SELECT id FROM crm_list_entry WHERE kind = ? AND (code = ? OR name = ?) ORDER BY id', [kind, code, name]);
    const codes = [...SOURCES_WITH_DEFAULT_DIRECTION];
    await queryRunner.query(
      `UPDATE crm_source SET defaultSalesDirectionId = ? WHERE defaultSalesDirectionId IS NULL AND code IN (${codes.map(() => '?').join(', ')})`,
      [entry.id, ...codes],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const { kind, code } = DEFAULT_SALES_DIRECTION;
    const entries: { id: number }[] = await queryRunner.query('SELECT id FROM crm_list_entry WHERE kind = ? AND code = ?', [kind, code]);
    for (const { id } of entries) {
      await queryRunner.query('UPDATE crm_source SET defaultSalesDirectionId = NULL WHERE defaultSalesDirectionId = ?', [id]);
      const used = await queryRunner.query('SELECT id FROM crm_lead WHERE salesDirectionId = ? LIMIT 1', [id]);
      if (used.length === 0) await queryRunner.query('DELETE FROM crm_list_entry WHERE id = ?', [id]);
    }
  }
}
