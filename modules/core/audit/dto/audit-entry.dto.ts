import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { describeImport, type HistoryEntry, type ImportProvenance } from '../audit-history';
import { PageOf } from '../../http/page';

/**
 * What a field held, as recorded: codes, names, dates (ISO strings) and decimal amounts as strings, ids and
 * counts as numbers, flags as booleans, list fields (a source's match keys, its routing teams) as arrays, and
 * maps (a source's name translations, a merge's moved counts, an intake's duplicate match); null for none.
 * (Typed `unknown` in TypeScript, as the audit log stores it; this schema is what the e2e suites check it against.)
 */
const AUDIT_VALUE = {
  anyOf: [
    { type: 'string', nullable: true },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'number' }] } },
    { type: 'object', additionalProperties: { anyOf: [{ type: 'string', nullable: true }, { type: 'number' }, { type: 'boolean' }] } },
  ],
} satisfies ApiPropertyOptions;

export class AuditChangeDto {
  @ApiProperty() field: string;
  @ApiProperty({ ...AUDIT_VALUE, description: 'Value before the change (null when there was none)' }) before: unknown;
  @ApiProperty({ ...AUDIT_VALUE, description: 'Value after the change' }) after: unknown;
}

/** Where a record created by an import run came from. */
export class ImportProvenanceDto {
  @ApiProperty({ description: 'The import run that created the record' }) runId: number;
  @ApiProperty({ enum: ['csv', 'distributor'], description: 'A CSV upload or a distributor sync' }) kind: string;
  @ApiProperty({ description: 'What a person reads: "Created by import run 12, row 7 of leads.csv"' }) description: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The uploaded file\'s name (a CSV run)' }) fileName?: string | null;
  @ApiPropertyOptional({ description: '1-based data row of the file the record was created from (a CSV run; leads)' }) rowNumber?: number;
  @ApiPropertyOptional({ description: 'The remote model the record was read from (a distributor run)' }) model?: string;
  @ApiPropertyOptional({ description: 'The remote record\'s id (a distributor run; leads)' }) remoteId?: number;
  @ApiPropertyOptional({ description: 'The remote record\'s write_date when it was read (a distributor run; leads)' }) writeDate?: string;
  @ApiPropertyOptional({ description: 'The lead shares a contact (email, phone) or company (TIN, website) with an earlier record (leads)' }) duplicate?: boolean;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'The open lead it repeats, if any (leads)' }) duplicateOfLeadId?: number | null;

  static from(provenance: ImportProvenance): ImportProvenanceDto {
    return { ...provenance, description: describeImport(provenance) };
  }
}

/**
 * One line of a record's history. A creation stores no values: its `changes` are derived when the
 * history is read (the record now, or the values its delete entry kept, with every later change
 * undone), and `derived` says so. A record an import run created has no entry of its own for it:
 * its history ends with a `create` line naming the run (`importRun`), from the entry the run wrote
 * for the whole page.
 */
export class AuditEntryDto {
  @ApiProperty({ description: 'The entry\'s id (for an imported record\'s creation, the id of its import page\'s entry)' }) id: number;
  @ApiProperty({ example: 'update' }) action: string;
  @ApiProperty({ description: 'Id of the user who made the change' }) actorId: string;
  @ApiProperty({ type: AuditChangeDto, isArray: true, description: 'Each field\'s value before and after; for a creation, the values it was created with (not listed: fields it left empty)' })
  changes: AuditChangeDto[];
  @ApiPropertyOptional({ description: 'Set on a creation whose values were derived from the record now and its later changes (rather than stored)' })
  derived?: boolean;
  @ApiPropertyOptional({ type: ImportProvenanceDto, description: 'Set on the creation of a record an import run created' })
  importRun?: ImportProvenanceDto;
  @ApiProperty() at: Date;

  static from(entry: HistoryEntry): AuditEntryDto {
    return {
      id: entry.id,
      action: entry.action,
      actorId: entry.actorId,
      changes: entry.changes,
      ...(entry.derived ? { derived: true } : {}),
      ...(entry.importRun ? { importRun: ImportProvenanceDto.from(entry.importRun) } : {}),
      at: entry.createdAt,
    };
  }
}

export class AuditEntryPageDto extends PageOf(AuditEntryDto) {}
