import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import type { AuditEntry } from '../audit-entry.entity';
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

/** One line of a record's history. */
export class AuditEntryDto {
  @ApiProperty() id: number;
  @ApiProperty({ example: 'update' }) action: string;
  @ApiProperty({ description: 'Id of the user who made the change' }) actorId: string;
  @ApiProperty({ type: AuditChangeDto, isArray: true }) changes: AuditChangeDto[];
  @ApiProperty() at: Date;

  static from(entry: AuditEntry): AuditEntryDto {
    return { id: entry.id, action: entry.action, actorId: entry.actorId, changes: entry.changes, at: entry.createdAt };
  }
}

export class AuditEntryPageDto extends PageOf(AuditEntryDto) {}
