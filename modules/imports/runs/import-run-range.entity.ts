import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { ImportRun } from './import-run.entity';

/**
 * Where a lead a page created came from: a CSV row number, or a remote record's id and `write_date`;
 * and what the intake matched it to (a contact or company it shares: `duplicate`, and the open lead
 * it repeats). The contacts and companies a page creates carry none.
 */
export interface ImportOrigin {
  row?: number;
  remoteId?: number;
  writeDate?: string;
  duplicate?: true;
  duplicateOfLeadId?: number;
}

/**
 * Consecutive ids of one entity type that one page of an import run created (a multi-row INSERT
 * hands out consecutive ids), with the page's audit entry and where each id came from: how a
 * record's history finds the run, the row or remote record, and the page entry that created it.
 * Ranges never overlap, so the one holding an id is the last starting at or before it.
 */
@Entity('crm_import_run_range')
@Index('IDX_crm_import_run_range_ids', ['entityType', 'firstId'])
export class ImportRunRange {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  runId: number;

  @ManyToOne(() => ImportRun, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'runId', foreignKeyConstraintName: 'FK_crm_import_run_range_run' })
  run?: Relation<ImportRun>;

  /** The page's audit entry for this entity type. */
  @Column({ type: 'int' })
  entryId: number;

  @Column({ type: 'varchar', length: 40 })
  entityType: string;

  @Column({ type: 'int' })
  firstId: number;

  @Column({ type: 'int' })
  lastId: number;

  /** The remote model the page was read from (a distributor run). */
  @Column({ type: 'varchar', length: 120, nullable: true })
  model: string | null;

  /** Where each id from `firstId` to `lastId` came from, in order; null when nothing is known per id. */
  @Column({ type: 'simple-json', nullable: true })
  origins: (ImportOrigin | null)[] | null;
}
