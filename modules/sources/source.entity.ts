import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import type { SourceType } from './source-type';
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

  @VersionColumn({ default: 1 })
  version: number;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
