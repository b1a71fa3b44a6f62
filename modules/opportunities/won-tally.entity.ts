import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Won opportunities that came from a lead, counted and summed (in cents) by that lead's source: the lead
 * attribution report's "won" figures over all time, kept by `WonTally` in the transaction of every write
 * that wins, un-wins or re-prices such an opportunity or moves its lead to another source. Split over
 * `shard`s as the lead tally is, so concurrent writers do not queue on one row.
 */
@Entity('crm_lead_won_tally')
export class WonTallyRow {
  @PrimaryColumn({ type: 'int' })
  sourceId: number;

  @PrimaryColumn({ type: 'int' })
  shard: number;

  @Column({ type: 'int', default: 0 })
  n: number;

  /** The won amounts' sum in cents (an amount has two decimals): integers add exactly on every database. */
  @Column({ type: 'bigint', default: 0 })
  cents: string;
}
