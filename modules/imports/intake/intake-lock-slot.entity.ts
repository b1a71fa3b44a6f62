import { Entity, PrimaryColumn } from 'typeorm';

/** One of the rows `IntakeKeyLocks` locks; the migration creates them all. */
@Entity('crm_intake_lock_slot')
export class IntakeLockSlot {
  @PrimaryColumn({ type: 'int' })
  slot: number;
}
