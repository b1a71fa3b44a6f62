import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * How many leads each source has in each status, kept by `LeadTally` in the transaction of every write
 * that adds, removes or moves a lead, so the unfiltered board and attribution report read a few dozen
 * rows instead of counting every lead. Each count is split over `shard`s (a writer adds to one of them
 * at random), so concurrent writers of the same source and status do not queue on one row; a count is
 * the sum of its shards (one shard may go negative when another took the additions).
 */
@Entity('crm_lead_tally')
export class LeadTallyRow {
  @PrimaryColumn({ type: 'int' })
  sourceId: number;

  @PrimaryColumn({ type: 'varchar', length: 20 })
  status: string;

  @PrimaryColumn({ type: 'int' })
  shard: number;

  @Column({ type: 'int', default: 0 })
  n: number;
}
