import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Team } from '../directory/team.entity';
import { Source } from './source.entity';

/** A team whose active members take turns owning the leads a source brings in (routing mode `teams`). */
@Entity('crm_source_routing_team')
export class SourceRoutingTeam {
  @PrimaryColumn({ type: 'int' })
  sourceId: number;

  @Index('IDX_crm_source_routing_team_team')
  @PrimaryColumn({ type: 'int' })
  teamId: number;

  @ManyToOne(() => Source, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'sourceId', foreignKeyConstraintName: 'FK_crm_source_routing_team_source' })
  source?: Relation<Source>;

  @ManyToOne(() => Team, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'teamId', foreignKeyConstraintName: 'FK_crm_source_routing_team_team' })
  team?: Relation<Team>;
}
