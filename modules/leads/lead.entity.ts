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
import { Company } from '../directory/company.entity';
import { Contact } from '../directory/contact.entity';
import { ListEntry } from '../directory/list-entry.entity';
import { Person } from '../directory/person.entity';
import { Source } from '../sources/source.entity';
import type { ContactPersonLevel, DecisionLevel, LeadTerms, ProcurementProcedure } from './lead-qualification';
import type { LeadStatus } from './lead-status';

/**
 * A request from a potential customer. Every list filter of `GET /leads` has an index led by its
 * column, most of them with `createdAt` second so the newest-first page is read straight off it.
 */
@Entity('crm_lead')
@Index('IDX_crm_lead_status_created', ['status', 'createdAt'])
@Index('IDX_crm_lead_source_created', ['sourceId', 'createdAt'])
@Index('IDX_crm_lead_owner_created', ['ownerId', 'createdAt'])
@Index('IDX_crm_lead_partner_created', ['partnerCompanyId', 'createdAt'])
// The board's and the attribution report's grouped counts read these alone (no lead row).
@Index('IDX_crm_lead_status_source_created', ['status', 'sourceId', 'createdAt'])
@Index('IDX_crm_lead_partner_status_source', ['partnerCompanyId', 'status', 'sourceId', 'createdAt'])
@Index('IDX_crm_lead_company_created', ['companyId', 'createdAt'])
@Index('UQ_crm_lead_external', ['externalSource', 'externalId'], { unique: true })
export class Lead {
  @PrimaryGeneratedColumn()
  id: number;

  /** The lead's title. */
  @Index('IDX_crm_lead_name')
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'int' })
  sourceId: number;

  @ManyToOne(() => Source, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sourceId', foreignKeyConstraintName: 'FK_crm_lead_source' })
  source?: Relation<Source>;

  /** The company name as the requester typed it. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  leadCompanyName: string | null;

  @Index('IDX_crm_lead_company')
  @Column({ type: 'int', nullable: true })
  companyId: number | null;

  @ManyToOne(() => Company, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'companyId', foreignKeyConstraintName: 'FK_crm_lead_company' })
  company?: Relation<Company>;

  @Index('IDX_crm_lead_contact')
  @Column({ type: 'int', nullable: true })
  contactId: number | null;

  @ManyToOne(() => Contact, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contactId', foreignKeyConstraintName: 'FK_crm_lead_contact' })
  contact?: Relation<Contact>;

  @Column({ type: 'varchar', length: 120, nullable: true })
  jobTitle: string | null;

  @Index('IDX_crm_lead_marketing_campaign')
  @Column({ type: 'int', nullable: true })
  marketingCampaignId: number | null;

  @ManyToOne(() => ListEntry, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'marketingCampaignId', foreignKeyConstraintName: 'FK_crm_lead_marketing_campaign' })
  marketingCampaign?: Relation<ListEntry>;

  @Index('IDX_crm_lead_sales_direction')
  @Column({ type: 'int' })
  salesDirectionId: number;

  @ManyToOne(() => ListEntry, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'salesDirectionId', foreignKeyConstraintName: 'FK_crm_lead_sales_direction' })
  salesDirection?: Relation<ListEntry>;

  /** The service or product asked about. */
  @Index('IDX_crm_lead_product')
  @Column({ type: 'int', nullable: true })
  productId: number | null;

  @ManyToOne(() => ListEntry, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'productId', foreignKeyConstraintName: 'FK_crm_lead_product' })
  product?: Relation<ListEntry>;

  @Index('IDX_crm_lead_content_channel')
  @Column({ type: 'int', nullable: true })
  contentDistributionChannelId: number | null;

  @ManyToOne(() => ListEntry, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contentDistributionChannelId', foreignKeyConstraintName: 'FK_crm_lead_content_channel' })
  contentDistributionChannel?: Relation<ListEntry>;

  @Column({ type: 'text', nullable: true })
  customerRequirements: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ownerId: string | null;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'ownerId', foreignKeyConstraintName: 'FK_crm_lead_owner' })
  owner?: Relation<Person>;

  @Column({ type: 'varchar', length: 120, nullable: true })
  city: string | null;

  @Column({ type: 'int', nullable: true })
  partnerCompanyId: number | null;

  @ManyToOne(() => Company, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnerCompanyId', foreignKeyConstraintName: 'FK_crm_lead_partner_company' })
  partnerCompany?: Relation<Company>;

  @Index('IDX_crm_lead_partner_representative')
  @Column({ type: 'int', nullable: true })
  partnerRepresentativeId: number | null;

  @ManyToOne(() => Contact, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnerRepresentativeId', foreignKeyConstraintName: 'FK_crm_lead_partner_representative' })
  partnerRepresentative?: Relation<Contact>;

  /** How the requester reached us, or the search keywords that brought them. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  channel: string | null;

  // Qualification

  @Column({ type: 'text', nullable: true })
  goal: string | null;

  /** Other implementation options the customer considers, as the agent wrote them. */
  @Column({ type: 'text', nullable: true })
  implementationOptions: string | null;

  @Column({ type: 'boolean', default: false })
  budgetIsSet: boolean;

  @Column({ type: 'decimal', precision: 14, scale: 2, nullable: true, transformer: decimalTransformer })
  estimatedAmount: string | null;

  /** Only while `budgetIsSet`. */
  @Column({ type: 'decimal', precision: 14, scale: 2, nullable: true, transformer: decimalTransformer })
  budget: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  procurementProcedure: ProcurementProcedure | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  decisionLevel: DecisionLevel | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  terms: LeadTerms | null;

  /** `YYYY-MM-DD`; filled from `terms` when not given. */
  @Index('IDX_crm_lead_close_date')
  @Column({ type: 'date', nullable: true })
  estimatedCloseDate: string | null;

  @Column({ type: 'text', nullable: true })
  termsComment: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  contactPersonLevel: ContactPersonLevel | null;

  /** Who decides, as the requester told us. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  decisionMaker: string | null;

  /** How much the decision maker and other contacts weigh on the outcome, as the agent described it. */
  @Column({ type: 'text', nullable: true })
  influenceOnDecision: string | null;

  @Column({ type: 'text', nullable: true })
  competitors: string | null;

  @Column({ type: 'text', nullable: true })
  selectionCriteria: string | null;

  /** How we show that we meet the customer's selection criteria. */
  @Column({ type: 'text', nullable: true })
  complianceWithCriteria: string | null;

  // Lifecycle

  @Column({ type: 'varchar', length: 20, default: 'new' })
  status: LeadStatus;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lostReason: string | null;

  /** Set by conversion; plain columns so the leads table does not depend on the customers module. */
  @Index('IDX_crm_lead_customer')
  @Column({ type: 'int', nullable: true })
  customerId: number | null;

  @Index('IDX_crm_lead_opportunity')
  @Column({ type: 'int', nullable: true })
  opportunityId: number | null;

  /** `type: Date`, TypeORM's portable datetime: `datetime` on MySQL/MariaDB and SQLite, `timestamp` on PostgreSQL (as on every entity here). */
  @Column({ type: Date, nullable: true })
  convertedAt: Date | null;

  /** Where an import found this lead, so a re-import updates it instead of duplicating it. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  externalSource: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  externalId: string | null;

  @Column({ type: 'varchar', length: 64 })
  createdById: string;

  @VersionColumn({ default: 1 })
  version: number;

  @Index('IDX_crm_lead_created')
  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
