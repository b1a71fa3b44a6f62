import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ListKind } from './list-kind';

/** One entry of a small managed list (a sales direction, a product, a campaign, a content channel). */
@Entity('crm_list_entry')
@Index('UQ_crm_list_entry_kind_name', ['kind', 'name'], { unique: true })
@Index('UQ_crm_list_entry_kind_code', ['kind', 'code'], { unique: true })
@Index('IDX_crm_list_entry_picker', ['kind', 'active', 'sequence', 'name'])
export class ListEntry {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 32 })
  kind: ListKind;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  /** An optional stable code for integrations; unique within its list. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  code: string | null;

  /** False once archived: out of the pickers, kept by records that have it. */
  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'int', default: 10 })
  sequence: number;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
