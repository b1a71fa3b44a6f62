import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, UpdateDateColumn } from 'typeorm';
import { Source } from '../../sources/source.entity';

/** An API key a web form or partner system posts leads with. Only its SHA-256 is stored. */
@Entity('crm_intake_key')
export class IntakeKey {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  /** The key's first characters, shown so a manager can tell keys apart. */
  @Column({ type: 'varchar', length: 16 })
  prefix: string;

  @Index('UQ_crm_intake_key_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  secretHash: string;

  /** The source of a submission that names none. */
  @Index('IDX_crm_intake_key_default_source')
  @Column({ type: 'int', nullable: true })
  defaultSourceId: number | null;

  @ManyToOne(() => Source, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'defaultSourceId', foreignKeyConstraintName: 'FK_crm_intake_key_default_source' })
  defaultSource?: Relation<Source>;

  @Column({ type: Date, nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'varchar', length: 64 })
  createdById: string;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
