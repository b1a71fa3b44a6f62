import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One field's value before and after a change. */
export interface AuditChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** One line of the audit log: who did what to which record, when, with before/after values. */
@Entity('crm_audit_entry')
@Index('IDX_crm_audit_entity', ['entityType', 'entityId', 'id'])
export class AuditEntry {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 40 })
  entityType: string;

  @Column({ type: 'varchar', length: 64 })
  entityId: string;

  @Column({ type: 'varchar', length: 40 })
  action: string;

  @Column({ type: 'varchar', length: 64 })
  actorId: string;

  @Column({ type: 'simple-json' })
  changes: AuditChange[];

  @CreateDateColumn()
  createdAt: Date;
}
