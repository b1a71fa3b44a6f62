import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, UpdateDateColumn, VersionColumn } from 'typeorm';

/**
 * An organisation leads and contacts belong to. Unique by normalised name, by website domain and
 * by TIN, each held in its own key column so the database enforces what the service checks.
 */
@Entity('crm_company')
export class Company {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** `normalizeCompanyName(name)`. */
  @Index('UQ_crm_company_name_key', { unique: true })
  @Column({ type: 'varchar', length: 200 })
  nameKey: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  website: string | null;

  /** `normalizeDomain(website)`. */
  @Index('UQ_crm_company_website_domain', { unique: true })
  @Column({ type: 'varchar', length: 253, nullable: true })
  websiteDomain: string | null;

  @Index('UQ_crm_company_tin', { unique: true })
  @Column({ type: 'varchar', length: 12, nullable: true })
  tin: string | null;

  /** Partner supervisors belong to a partner company (`CrmUser.partnerCompanyId`). */
  @Index('IDX_crm_company_partner')
  @Column({ type: 'boolean', default: false })
  isPartner: boolean;

  @Column({ type: 'varchar', length: 120, nullable: true })
  city: string | null;

  /** The partner company whose supervisor created it: it stays visible to that partner. */
  @Index('IDX_crm_company_partner_company')
  @Column({ type: 'int', nullable: true })
  partnerCompanyId: number | null;

  @ManyToOne(() => Company, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnerCompanyId', foreignKeyConstraintName: 'FK_crm_company_partner_company' })
  partnerCompany?: Relation<Company>;

  @VersionColumn({ default: 1 })
  version: number;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
