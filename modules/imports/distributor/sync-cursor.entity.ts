import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * How far the distributor sync has read one Odoo model: the last record committed, by
 * (`write_date`, `id`), the order the sync pages in. Advanced in the same transaction as the
 * leads of each page, so it never runs ahead of (or behind) what was imported.
 */
@Entity('crm_sync_cursor')
export class SyncCursor {
  /** The Odoo model, e.g. `cheryweb.quotation`. */
  @PrimaryColumn({ type: 'varchar', length: 120 })
  model: string;

  /** Odoo `write_date` of the last record read, `YYYY-MM-DD HH:MM:SS` UTC as Odoo sends it. */
  @Column({ type: 'varchar', length: 19 })
  writeDate: string;

  /** Odoo id of the last record read at `writeDate` (records tie on `write_date`). */
  @Column({ type: 'int' })
  lastId: number;

  @UpdateDateColumn()
  updatedAt: Date;
}
