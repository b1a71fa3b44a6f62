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
import { Company } from './company.entity';

/** A person at a company (or on their own) that sales talks to. */
@Entity('crm_contact')
@Index('IDX_crm_contact_name', ['lastName', 'firstName'])
export class Contact {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('IDX_crm_contact_company')
  @Column({ type: 'int', nullable: true })
  companyId: number | null;

  @ManyToOne(() => Company, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'companyId', foreignKeyConstraintName: 'FK_crm_contact_company' })
  company?: Relation<Company>;

  @Column({ type: 'varchar', length: 80 })
  firstName: string;

  @Column({ type: 'varchar', length: 80 })
  lastName: string;

  @Column({ type: 'varchar', length: 80, nullable: true })
  middleName: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  phone: string | null;

  /** The extension to dial after `phone` (kept apart, so the phone stays a number to match on). */
  @Column({ type: 'varchar', length: 10, nullable: true })
  phoneExtension: string | null;

  /** `normalizePhone(phone)`. */
  @Index('IDX_crm_contact_phone_key')
  @Column({ type: 'varchar', length: 40, nullable: true })
  phoneKey: string | null;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  /** `normalizeEmail(email)`. */
  @Index('IDX_crm_contact_email_key')
  @Column({ type: 'varchar', length: 254, nullable: true })
  emailKey: string | null;

  /** The contact asked not to be contacted: shown on every record that uses it. */
  @Column({ type: 'boolean', default: false })
  doNotContact: boolean;

  @Column({ type: 'varchar', length: 120, nullable: true })
  jobTitle: string | null;

  /** The partner company whose supervisor created it: it stays visible to that partner. */
  @Index('IDX_crm_contact_partner_company')
  @Column({ type: 'int', nullable: true })
  partnerCompanyId: number | null;

  @ManyToOne(() => Company, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnerCompanyId', foreignKeyConstraintName: 'FK_crm_contact_partner_company' })
  partnerCompany?: Relation<Company>;

  @VersionColumn({ default: 1 })
  version: number;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
