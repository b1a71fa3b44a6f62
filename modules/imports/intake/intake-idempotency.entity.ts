import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { IntakeKey } from './intake-key.entity';

/** The first answer to a submission carrying an `Idempotency-Key`, replayed to its retries. */
@Entity('crm_intake_idempotency')
@Index('UQ_crm_intake_idempotency_key', ['keyId', 'idempotencyKey'], { unique: true })
export class IntakeIdempotency {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  keyId: number;

  @ManyToOne(() => IntakeKey, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'keyId', foreignKeyConstraintName: 'FK_crm_intake_idempotency_key' })
  key?: Relation<IntakeKey>;

  @Column({ type: 'varchar', length: 120 })
  idempotencyKey: string;

  @Column({ type: 'simple-json' })
  response: Record<string, unknown>;

  @CreateDateColumn()
  createdAt: Date;
}
