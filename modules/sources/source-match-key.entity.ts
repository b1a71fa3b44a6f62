import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Source } from './source.entity';

/**
 * An exact string that links an incoming lead's source text to a source. Unique per product
 * category: the source's category is copied here (`''` for none) so the database enforces it.
 */
@Entity('crm_source_match_key')
@Index('UQ_crm_source_match_key_category', ['key', 'productCategoryKey'], { unique: true })
export class SourceMatchKey {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('IDX_crm_source_match_key_source')
  @Column({ type: 'int' })
  sourceId: number;

  @ManyToOne(() => Source, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'sourceId', foreignKeyConstraintName: 'FK_crm_source_match_key_source' })
  source: Relation<Source>;

  @Column({ name: 'matchKey', type: 'varchar', length: 120 })
  key: string;

  /** `productCategoryKey(source.productCategory)`: trimmed, lower-cased, `''` without a category. */
  @Column({ type: 'varchar', length: 60, default: '' })
  productCategoryKey: string;
}
