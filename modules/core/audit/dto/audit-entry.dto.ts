import { ApiProperty } from '@nestjs/swagger';
import type { AuditEntry } from '../audit-entry.entity';
import { PageOf } from '../../http/page';

export class AuditChangeDto {
  @ApiProperty() field: string;
  @ApiProperty({ nullable: true, description: 'Value before the change' }) before: unknown;
  @ApiProperty({ nullable: true, description: 'Value after the change' }) after: unknown;
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
