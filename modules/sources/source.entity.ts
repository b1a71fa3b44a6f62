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
import { ListEntry } from '../directory/list-entry.entity';
import { Person } from '../directory/person.entity';
import type { RoutingMode, SourceType } from './source-type';
import type { SourceMatchKey } from './source-match-key.entity';

/** Where a lead or customer came from. Records reference it by id, so renaming relabels them all. */
@Entity('crm_source')
@Index('IDX_crm_source_picker', ['active', 'sequence', 'name'])
export class Source {
  @PrimaryGeneratedColumn()
  id: number;

  /** At most 20 characters through the API; the column is wider for the seeded `source_web_test_drive` (21). */
  @Index('UQ_crm_source_code', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  code: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  /** Display name per locale (e.g. `{ "fr": "Salon" }`); `name` is the fallback. */
  @Column({ type: 'simple-json', nullable: true })
  translations: Record<string, string> | null;

  @Column({ type: 'varchar', length: 32 })
  type: SourceType;

  @Column({ type: 'int', default: 10 })
  sequence: number;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'boolean', default: true })
  forLeads: boolean;

  @Column({ type: 'boolean', default: true })
  forCustomers: boolean;

  /** Seeded protection; hosts add codes through the module options. */
  @Column({ name: 'protected', type: 'boolean', default: false })
  isProtected: boolean;

  /** Loaded by `SourceCatalog`, not a column. */
  matchKeys?: SourceMatchKey[];

  /** Two sources may share a match key when their product categories differ; an incoming lead naming a category picks this one. */
  @Column({ type: 'varchar', length: 60, nullable: true })
  productCategory: string | null;

  /** Who owns a lead that arrives by itself: nobody, one person, or the teams' active members in turn. */
  @Column({ type: 'varchar', length: 10, default: 'none' })
  routingMode: RoutingMode;

  @Index('IDX_crm_source_routing_person')
  @Column({ type: 'varchar', length: 64, nullable: true })
  routingPersonId: string | null;

  @ManyToOne(() => Person, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'routingPersonId', foreignKeyConstraintName: 'FK_crm_source_routing_person' })
  routingPerson?: Relation<Person>;

  /** Loaded by `SourceRules` from `crm_source_routing_team`, not a column. */
  routingTeamIds?: number[];

  /** Owner when routing finds no one eligible. */
  @Index('IDX_crm_source_fallback_person')
  @Column({ type: 'varchar', length: 64, nullable: true })
  fallbackPersonId: string | null;

  @ManyToOne(() => Person, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'fallbackPersonId', foreignKeyConstraintName: 'FK_crm_source_fallback_person' })
  fallbackPerson?: Relation<Person>;

  /** Stamped on every lead that arrives through this source. */
  @Index('IDX_crm_source_default_campaign')
  @Column({ type: 'int', nullable: true })
  defaultMarketingCampaignId: number | null;

  @ManyToOne(() => ListEntry, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'defaultMarketingCampaignId', foreignKeyConstraintName: 'FK_crm_source_default_campaign' })
  defaultMarketingCampaign?: Relation<ListEntry>;

  /** The sales direction of an incoming lead that names none. */
  @Index('IDX_crm_source_default_direction')
  @Column({ type: 'int', nullable: true })
  defaultSalesDirectionId: number | null;

  @ManyToOne(() => ListEntry, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'defaultSalesDirectionId', foreignKeyConstraintName: 'FK_crm_source_default_direction' })
  defaultSalesDirection?: Relation<ListEntry>;

  /** A duplicate incoming lead updates the existing open lead instead of creating a new one. */
  @Column({ type: 'boolean', default: false })
  updateLead: boolean;

  /** A duplicate incoming lead updates the existing contact's details. */
  @Column({ type: 'boolean', default: false })
  updateContact: boolean;

  /** Show the email and phone of a do-not-contact contact; off, they are masked in intake answers. */
  @Column({ type: 'boolean', default: false })
  showDoNotContact: boolean;

  @VersionColumn({ default: 1 })
  version: number;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
