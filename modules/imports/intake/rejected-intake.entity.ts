import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { IntakeKey } from './intake-key.entity';
import type { IntakeRecord } from './intake-record';

export const REJECTED_INTAKE_STATUSES = ['pending', 'replayed'] as const;
export type RejectedIntakeStatus = (typeof REJECTED_INTAKE_STATUSES)[number];

/** A submission whose source matched nothing, kept until a manager fixes the mapping and replays it. */
@Entity('crm_intake_rejected')
@Index('IDX_crm_intake_rejected_status', ['status', 'id'])
export class RejectedIntake {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('IDX_crm_intake_rejected_key')
  @Column({ type: 'int', nullable: true })
  keyId: number | null;

  @ManyToOne(() => IntakeKey, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'keyId', foreignKeyConstraintName: 'FK_crm_intake_rejected_key' })
  key?: Relation<IntakeKey>;

  /** The source text as submitted. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  sourceText: string | null;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'simple-json' })
  payload: IntakeRecord;

  @Column({ type: 'varchar', length: 20, default: 'pending' })
  status: RejectedIntakeStatus;

  @Column({ type: 'int', nullable: true })
  leadId: number | null;

  @Column({ type: Date, nullable: true })
  replayedAt: Date | null;

  @CreateDateColumn()
  createdAt: Date;
}
