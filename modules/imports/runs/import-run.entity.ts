import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const IMPORT_RUN_KINDS = ['csv', 'distributor'] as const;
export type ImportRunKind = (typeof IMPORT_RUN_KINDS)[number];

/** `interrupted`: the process running it stopped (killed, crashed) before it finished; see `RunHeartbeat`. */
export const IMPORT_RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'interrupted'] as const;
export type ImportRunStatus = (typeof IMPORT_RUN_STATUSES)[number];

/** One background import (a CSV upload, a distributor sync) and its running counts. */
@Entity('crm_import_run')
@Index('IDX_crm_import_run_kind', ['kind', 'id'])
export class ImportRun {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 20 })
  kind: ImportRunKind;

  @Column({ type: 'varchar', length: 20, default: 'queued' })
  status: ImportRunStatus;

  @Column({ type: 'boolean', default: false })
  dryRun: boolean;

  /** Rows to process, once known (a CSV is counted before it is processed). */
  @Column({ type: 'int', nullable: true })
  total: number | null;

  @Column({ type: 'int', default: 0 })
  processed: number;

  @Column({ type: 'int', default: 0 })
  created: number;

  @Column({ type: 'int', default: 0 })
  updated: number;

  /** Rows that matched an existing lead and changed nothing. */
  @Column({ type: 'int', default: 0 })
  skipped: number;

  @Column({ type: 'int', default: 0 })
  failed: number;

  /** Why the run as a whole failed (a row failing is a `crm_import_run_error`, not this). */
  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ type: 'varchar', length: 64 })
  createdById: string;

  @Column({ type: Date, nullable: true })
  startedAt: Date | null;

  @Column({ type: Date, nullable: true })
  finishedAt: Date | null;

  /** The app instance running it (`RunHeartbeat.holder`). */
  @Column({ type: 'varchar', length: 120, nullable: true })
  holder: string | null;

  /** When its instance last said it is still running it, on the database's clock. */
  @Column({ type: Date, nullable: true })
  heartbeatAt: Date | null;

  /** A temporary file the run works from (a CSV upload), removed when the run is interrupted. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  tempFile: string | null;

  /** The uploaded file's name, as the client sent it (a CSV run). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  fileName: string | null;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
