import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, type ValueTransformer } from 'typeorm';

/** One field's value before and after a change. */
export interface AuditChange {
  field: string;
  before: unknown;
  after: unknown;
}

/**
 * A change as stored: `[field, after]` when there was no value before (every field of a creation),
 * else `[field, before, after]`. Objects named `field`/`before`/`after` on every change made the
 * log several times the size of the records it describes; rows written that way still read back.
 */
type StoredChange = [string, unknown] | [string, unknown, unknown] | AuditChange;

const compactChanges: ValueTransformer = {
  to: (changes: AuditChange[] | undefined): StoredChange[] | undefined =>
    changes?.map(({ field, before, after }) => (before === null || before === undefined ? [field, after ?? null] : [field, before, after ?? null])),
  from: (stored: StoredChange[] | null): AuditChange[] =>
    (stored ?? []).map((change) => {
      if (!Array.isArray(change)) return change;
      return change.length === 2 ? { field: change[0], before: null, after: change[1] } : { field: change[0], before: change[1], after: change[2] };
    }),
};

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

  @Column({ type: 'simple-json', transformer: compactChanges })
  changes: AuditChange[];

  @CreateDateColumn()
  createdAt: Date;
}
