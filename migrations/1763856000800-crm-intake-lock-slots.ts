import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { intColumn } from './support/migration-columns';
import { migrationSql } from './support/migration-sql';

/** Rows the intake locks so two records of the same person or company are taken one after the other. */
const SLOTS = 1024;

/** The intake's lock slots (`IntakeKeyLocks`): one row per slot, locked, never changed. */
export class CrmIntakeLockSlots1763856000800 implements MigrationInterface {
  name = 'CrmIntakeLockSlots1763856000800';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(new Table({ name: 'crm_intake_lock_slot', columns: [intColumn('slot', { isPrimary: true })] }));
    const { name, query } = migrationSql(queryRunner);
    // The slots are our own integers, written as literals: the same statement on every database.
    for (let first = 0; first < SLOTS; first += 500) {
      const slots = Array.from({ length: Math.min(500, SLOTS - first) }, (_, i) => first + i);
      await query(`INSERT INTO ${name('crm_intake_lock_slot')} (${name('slot')}) VALUES ${slots.map((slot) => `(${slot})`).join(', ')}`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('crm_intake_lock_slot');
  }
}
