import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Lead } from './lead.entity';

/**
 * One word a lead is found by (lead-search-tokens.ts), so `GET /leads?q=` is a prefix range on an index
 * whatever the table's size, instead of a `LIKE '%text%'` over every lead. Kept in step with the lead, its
 * company and its contact by `LeadSearchIndex`, in the transaction of each write; deleted with the lead.
 * The migration stores `token` with a binary collation on MySQL/MariaDB and indexes it with
 * `varchar_pattern_ops` on PostgreSQL, so a prefix `LIKE` reads the index there.
 */
@Entity('crm_lead_search_token')
@Index('IDX_crm_lead_search_token_token', ['token', 'leadId', 'hidden'])
export class LeadSearchToken {
  @PrimaryColumn({ type: 'int' })
  leadId: number;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  token: string;

  /** From a do-not-contact contact's email or phone only: not searchable without `contacts.reveal`. */
  @Column({ type: 'boolean', default: false })
  hidden: boolean;

  @ManyToOne(() => Lead, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'leadId', foreignKeyConstraintName: 'FK_crm_lead_search_token_lead' })
  lead?: Relation<Lead>;
}
