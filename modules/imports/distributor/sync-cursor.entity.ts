import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * How far the distributor sync has read one Odoo model (see `CursorPosition`): every record written
 * before the second `writeDate`, and of that second the records up to id `lastId`. Advanced in the
 * same transaction as the leads of each page, so it never runs ahead of (or behind) what was imported.
 */
@Entity('crm_sync_cursor')
export class SyncCursor {
  /** The Odoo model, e.g. `cheryweb.quotation`. */
  @PrimaryColumn({ type: 'varchar', length: 120 })
  model: string;

  /** The second being read, `YYYY-MM-DD HH:MM:SS` UTC as Odoo sends `write_date`: every earlier record is read. */
  @Column({ type: 'varchar', length: 19 })
  writeDate: string;

  /** Of the records of `writeDate`, those with ids up to this one are read (0: none yet). */
  @Column({ type: 'int' })
  lastId: number;

  /**
   * Every record written before this second (on Odoo's clock) was read after its late-commit window
   * had passed; runs re-read from here (`lateCommitWindowSeconds`). Null: not known yet.
   */
  @Column({ type: 'varchar', length: 19, nullable: true })
  settledBefore: string | null;

  @UpdateDateColumn()
  updatedAt: Date;
}
