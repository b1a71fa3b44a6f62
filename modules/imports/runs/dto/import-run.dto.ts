import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageOf } from '../../../core/http/page';
import { IMPORT_RUN_KINDS, IMPORT_RUN_STATUSES, ImportRun, type ImportRunKind, type ImportRunStatus } from '../import-run.entity';

export class ImportRunDto {
  @ApiProperty() id: number;
  @ApiProperty({ enum: IMPORT_RUN_KINDS }) kind: ImportRunKind;
  @ApiProperty({ enum: IMPORT_RUN_STATUSES }) status: ImportRunStatus;
  @ApiProperty({ description: 'Validated every row without writing' }) dryRun: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'Rows to process, once counted' }) total: number | null;
  @ApiProperty() processed: number;
  @ApiProperty({ description: 'Leads created (in a dry run: rows that would be written)' }) created: number;
  @ApiProperty() updated: number;
  @ApiProperty({ description: 'Rows that matched an existing lead and changed nothing' }) skipped: number;
  @ApiProperty({ description: 'Rows refused; see errors.csv' }) failed: number;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Why the whole run failed' }) error: string | null;
  @ApiProperty() createdById: string;
  @ApiProperty({ type: String, nullable: true, description: "The uploaded file's name (a CSV run; null when the client sent none, and for syncs)" }) fileName: string | null;
  @ApiProperty({ type: Date, nullable: true }) startedAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) finishedAt: Date | null;
  @ApiProperty() createdAt: Date;

  static from(run: ImportRun): ImportRunDto {
    return {
      id: run.id,
      kind: run.kind,
      status: run.status,
      dryRun: run.dryRun,
      total: run.total,
      processed: run.processed,
      created: run.created,
      updated: run.updated,
      skipped: run.skipped,
      failed: run.failed,
      error: run.error,
      createdById: run.createdById,
      fileName: run.fileName,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      createdAt: run.createdAt,
    };
  }
}

export class ImportRunPageDto extends PageOf(ImportRunDto) {}

export class ReplayResultDto {
  @ApiProperty() errorId: number;
  @ApiProperty({ enum: ['created', 'updated', 'skipped'] }) status: 'created' | 'updated' | 'skipped';
  @ApiProperty() leadId: number;
  @ApiPropertyOptional() duplicateOfLeadId?: number;
}
