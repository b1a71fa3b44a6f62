import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Source } from './source.entity';

/** An exact string that links an incoming lead's source text to a source; unique across the catalogue. */
@Entity('crm_source_match_key')
export class SourceMatchKey {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('IDX_crm_source_match_key_source')
  @Column({ type: 'int' })
  sourceId: number;

  @ManyToOne(() => Source, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'sourceId', foreignKeyConstraintName: 'FK_crm_source_match_key_source' })
  source: Relation<Source>;

  @Index('UQ_crm_source_match_key_key', { unique: true })
  @Column({ name: 'matchKey', type: 'varchar', length: 120 })
  key: string;
}
