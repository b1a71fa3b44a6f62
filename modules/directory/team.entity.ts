import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A group of people (a sales team, a partner's desk); leads can be routed to its active members. */
@Entity('crm_team')
export class Team {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('UQ_crm_team_name', { unique: true })
  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Index('IDX_crm_team_active')
  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** Loaded by `TeamsService`, not a column. */
  memberIds?: string[];

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
