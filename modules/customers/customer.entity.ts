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
import { Company } from '../directory/company.entity';
import { Contact } from '../directory/contact.entity';
import { Person } from '../directory/person.entity';
import { Lead } from '../leads/lead.entity';
import { Source } from '../sources/source.entity';
import type { CustomerStatus } from './customer-status';

/**
 * Someone the CRM does business with. The source is referenced by id and joined live, so renaming
 * a source relabels every customer at once.
 */
@Entity('crm_customer')
@Index('IDX_crm_customer_source', ['sourceId', 'createdAt', 'leadId'])
@Index('IDX_crm_customer_owner', ['ownerId', 'createdAt'])
@Index('IDX_crm_customer_status', ['status', 'createdAt'])
@Index('IDX_crm_customer_company_created', ['companyId', 'createdAt'])
export class Customer {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('IDX_crm_customer_name')
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Index('IDX_crm_customer_company')
  @Column({ type: 'int', nullable: true })
  companyId: number | null;

  @ManyToOne(() => Company, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'companyId', foreignKeyConstraintName: 'FK_crm_customer_company' })
  company?: Relation<Company>;

  @Index('IDX_crm_customer_contact')
  @Column({ type: 'int', nullable: true })
  primaryContactId: number | null;

  @ManyToOne(() => Contact, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'primaryContactId', foreignKeyConstraintName: 'FK_crm_customer_contact' })
  primaryContact?: Relation<Contact>;

  /** None when nobody who could own it was known (a conversion by a caller with no directory entry, of a lead without an owner). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  ownerId: string | null;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'ownerId', foreignKeyConstraintName: 'FK_crm_customer_owner' })
  owner?: Relation<Person>;

  @Column({ type: 'varchar', length: 20, default: 'active' })
  status: CustomerStatus;

  /** Optional: customers may have no source. */
  @Column({ type: 'int', nullable: true })
  sourceId: number | null;

  @ManyToOne(() => Source, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sourceId', foreignKeyConstraintName: 'FK_crm_customer_source' })
  source?: Relation<Source> | null;

  /** The lead this customer was converted from. */
  @Index('IDX_crm_customer_lead')
  @Column({ type: 'int', nullable: true })
  leadId: number | null;

  @ManyToOne(() => Lead, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'leadId', foreignKeyConstraintName: 'FK_crm_customer_lead' })
  lead?: Relation<Lead>;

  /**
   * The partner company the customer belongs to: its lead's when converted, the creator's when a
   * partner supervisor created it; partner supervisors see the customers of their partner company.
   */
  @Index('IDX_crm_customer_partner')
  @Column({ type: 'int', nullable: true })
  partnerCompanyId: number | null;

  @ManyToOne(() => Company, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnerCompanyId', foreignKeyConstraintName: 'FK_crm_customer_partner_company' })
  partnerCompany?: Relation<Company>;

  @Column({ type: 'varchar', length: 64 })
  createdById: string;

  @VersionColumn({ default: 1 })
  version: number;

  @Index('IDX_crm_customer_created')
  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
