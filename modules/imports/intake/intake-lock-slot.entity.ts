import { Entity, PrimaryColumn } from 'typeorm';

/**
 * The slots `IntakeKeyLocks` hashes keys onto: exactly the rows migrations 1763856000800 and 1764600000881 create.
 * A lock on a missing row locks nothing (READ COMMITTED takes no gap locks), so a larger number
 * needs a migration that adds the rows first.
 */
export const INTAKE_LOCK_SLOTS = 65_536;

/** One of the rows `IntakeKeyLocks` locks; the migration creates them all. */
@Entity('crm_intake_lock_slot')
export class IntakeLockSlot {
  @PrimaryColumn({ type: 'int' })
  slot: number;
}
