import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Person } from './person.entity';
import { Team } from './team.entity';

/** One person's membership of one team. */
@Entity('crm_team_member')
export class TeamMember {
  @PrimaryColumn({ type: 'int' })
  teamId: number;

  @Index('IDX_crm_team_member_person')
  @PrimaryColumn({ type: 'varchar', length: 64 })
  personId: string;

  @ManyToOne(() => Team, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'teamId', foreignKeyConstraintName: 'FK_crm_team_member_team' })
  team: Relation<Team>;

  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'personId', foreignKeyConstraintName: 'FK_crm_team_member_person' })
  person: Relation<Person>;
}
