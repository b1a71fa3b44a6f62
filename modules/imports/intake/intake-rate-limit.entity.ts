import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One API key's count in the current window, as `rate-limiter-flexible`'s database stores keep it
 * (migration 1764600000860). Only the library reads and writes it; the entity keeps the schema
 * checked against the migration.
 */
@Entity('crm_intake_rate_limit')
export class IntakeRateLimitEntry {
  /** The library's `<keyPrefix>:<key>`, here `crm-intake:<API key id>`. */
  @PrimaryColumn({ type: 'varchar', length: 255 })
  key: string;

  @Column({ type: 'integer', default: 0 })
  points: number;

  /** When the window ends, in epoch milliseconds. */
  @Column({ type: 'bigint', nullable: true })
  expire: string | null;
}
