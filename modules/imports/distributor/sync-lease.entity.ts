import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Who runs a scheduled job right now, when several app instances share one MySQL/MariaDB
 * database. Taken and renewed with conditional writes; an expired lease may be taken over,
 * so a crashed instance blocks the job for at most one lease period.
 */
@Entity('crm_sync_lease')
export class SyncLease {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name: string;

  /** The instance holding it (host, pid and a random part). */
  @Column({ type: 'varchar', length: 120 })
  holder: string;

  /** Database clock time after which the lease is free. */
  @Column({ type: Date })
  expiresAt: Date;
}
