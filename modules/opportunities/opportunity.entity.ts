import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { decimalTransformer } from '../core/database/decimal.transformer';
import { Customer } from '../customers/customer.entity';
import { Person } from '../directory/person.entity';
import { Lead } from '../leads/lead.entity';
import { Source } from '../sources/source.entity';
import type { OpportunityStage } from './opportunity-stage';

/**
 * A deal in the pipeline. It belongs to exactly one parent: a lead (`leadId`) or a customer
 * (`customerId`). `originLeadId` remembers the lead it came from after it moves to a customer,
 * which is what attribution reports credit.
 */
@Entity('crm_opportunity')
@Index('IDX_crm_opportunity_stage', ['stage', 'createdAt'])
@Index('IDX_crm_opportunity_source', ['sourceId', 'stage'])
@Index('IDX_crm_opportunity_owner', ['ownerId', 'createdAt'])
@Index('IDX_crm_opportunity_lead', ['leadId', 'stage'])
@Index('IDX_crm_opportunity_customer', ['customerId', 'stage'])
@Index('IDX_crm_opportunity_origin_lead', ['originLeadId', 'stage'])
export class Opportunity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'int', nullable: true })
  leadId: number | null;

  @ManyToOne(() => Lead, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'leadId', foreignKeyConstraintName: 'FK_crm_opportunity_lead' })
  lead?: Relation<Lead>;

  @Column({ type: 'int', nullable: true })
  customerId: number | null;

  @ManyToOne(() => Customer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'customerId', foreignKeyConstraintName: 'FK_crm_opportunity_customer' })
  customer?: Relation<Customer>;

  /** The lead it was opened on or converted from; kept when it moves to the customer. */
  @Column({ type: 'int', nullable: true })
  originLeadId: number | null;

  @ManyToOne(() => Lead, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'originLeadId', foreignKeyConstraintName: 'FK_crm_opportunity_origin_lead' })
  originLead?: Relation<Lead>;

  @Column({ type: 'int', nullable: true })
  sourceId: number | null;

  @ManyToOne(() => Source, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sourceId', foreignKeyConstraintName: 'FK_crm_opportunity_source' })
  source?: Relation<Source> | null;

  @Column({ type: 'varchar', length: 20, default: 'new' })
  stage: OpportunityStage;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lostReason: string | null;

  @Column({ type: 'decimal', precision: 14, scale: 2, nullable: true, transformer: decimalTransformer })
  amount: string | null;

  /** ISO 4217 code of `amount`. */
  @Column({ type: 'varchar', length: 3, nullable: true })
  currency: string | null;

  @Column({ type: 'int', nullable: true })
  probability: number | null;

  @Column({ type: 'date', nullable: true })
  expectedCloseDate: string | null;

  /** None when nobody who could own it was known (see `PeopleService.defaultOwner`). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  ownerId: string | null;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'ownerId', foreignKeyConstraintName: 'FK_crm_opportunity_owner' })
  owner?: Relation<Person>;

  /** When it reached `won` or `lost`; cleared if it is reopened. */
  @Column({ type: Date, nullable: true })
  closedAt: Date | null;

  @Column({ type: 'varchar', length: 64 })
  createdById: string;

  @VersionColumn({ default: 1 })
  version: number;

  @Index('IDX_crm_opportunity_created')
  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
