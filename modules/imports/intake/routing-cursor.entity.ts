import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Source } from '../../sources/source.entity';

/**
 * Whose turn it is among a source's routing teams: a counter bumped (and row-locked) inside the
 * transaction that writes the lead, so two leads arriving at once never get the same turn.
 */
@Entity('crm_source_routing_cursor')
export class RoutingCursor {
  @PrimaryColumn({ type: 'int' })
  sourceId: number;

  @ManyToOne(() => Source, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'sourceId', foreignKeyConstraintName: 'FK_crm_source_routing_cursor_source' })
  source?: Relation<Source>;

  /** Leads routed so far; the next owner is member `turn mod n` of the eligible people. */
  @Column({ type: 'int', default: 0 })
  turn: number;
}
