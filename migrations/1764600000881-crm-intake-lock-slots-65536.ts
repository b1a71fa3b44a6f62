import { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationSql } from './support/migration-sql';

/** The slots migration 1763856000800 created. */
const BEFORE = 1024;
/** Rows the intake locks so two records of the same person or company are taken one after the other. */
const SLOTS = 65_536;
/** Literal rows per INSERT: 16 statements, each well under every server's packet and statement limits. */
const ROWS_PER_INSERT = 4096;

/**
 * 65,536 intake lock slots instead of 1,024 (`IntakeKeyLocks`). A page of 500 records hashes up to
 * 3,000 keys (six a record) onto the slots: on 1,024 it locked nine slots in ten or more, so any other intake (an HTTP
 * record, a CSV page) waited for the whole page whatever keys it had; on 65,536 it locks one in
 * twenty or fewer. Instances must agree on the count (a key hashes to a different slot on each), so
 * every instance runs the code of this migration's release.
 */
export class CrmWiderIntakeLockSlots1764600000881 implements MigrationInterface {
  name = 'CrmWiderIntakeLockSlots1764600000881';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { name, query } = migrationSql(queryRunner);
    // The slots are our own integers, written as literals: the same statement on every database.
    for (let first = BEFORE; first < SLOTS; first += ROWS_PER_INSERT) {
      const slots = Array.from({ length: Math.min(ROWS_PER_INSERT, SLOTS - first) }, (_, i) => first + i);
      await query(`INSERT INTO ${name('crm_intake_lock_slot')} (${name('slot')}) VALUES ${slots.map((slot) => `(${slot})`).join(', ')}`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const { name, query } = migrationSql(queryRunner);
    await query(`DELETE FROM ${name('crm_intake_lock_slot')} WHERE ${name('slot')} >= :before`, { before: BEFORE });
  }
}
