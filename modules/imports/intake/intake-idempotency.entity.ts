import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { IntakeKey } from './intake-key.entity';

/**
 * The first answer to a submission carrying an `Idempotency-Key` (a 200 or a 422 rejection), replayed
 * to its retries; bound to the request it answered by a hash of its canonical body.
 */
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

  /** SHA-256 (hex) of the request's canonical body; null on records written before requests were bound. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  requestHash: string | null;

  /** The HTTP status answered: 200, or 422 for a rejection (`response` is then its code, message and details). */
  @Column({ type: 'int', default: 200 })
  statusCode: number;

  @Column({ type: 'simple-json' })
  response: Record<string, unknown>;

  @CreateDateColumn()
  createdAt: Date;
}
