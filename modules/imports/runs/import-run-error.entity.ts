import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { ImportRun } from './import-run.entity';

/** One row (or remote record) an import could not take, with the reason and what it held. */
@Entity('crm_import_run_error')
@Index('IDX_crm_import_run_error_run', ['runId', 'id'])
export class ImportRunError {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  runId: number;

  @ManyToOne(() => ImportRun, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'runId', foreignKeyConstraintName: 'FK_crm_import_run_error_run' })
  run?: Relation<ImportRun>;

  /** 1-based data row of a CSV (the header is row 0). */
  @Column({ type: 'int', nullable: true })
  rowNumber: number | null;

  /** The remote record's id, for imports from another system. */
  @Column({ type: 'varchar', length: 120, nullable: true })
  reference: string | null;

  @Column({ type: 'text' })
  reason: string;

  /** The row or record as received, so it can be fixed and replayed. */
  @Column({ type: 'simple-json' })
  payload: Record<string, unknown>;

  @Column({ type: Date, nullable: true })
  replayedAt: Date | null;

  @CreateDateColumn()
  createdAt: Date;
}
