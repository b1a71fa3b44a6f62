import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../../core/http/page';
import type { ListEntry } from '../list-entry.entity';
import { LIST_KINDS, type ListKind } from '../list-kind';

export class ListEntryDto {
  @ApiProperty() id: number;
  @ApiProperty({ enum: LIST_KINDS }) kind: ListKind;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) code: string | null;
  @ApiProperty({ description: 'False once archived: out of the pickers, kept by records that have it' }) active: boolean;
  @ApiProperty({ description: 'Lower comes first in pickers' }) sequence: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;

  static from(entry: ListEntry): ListEntryDto {
    return {
      id: entry.id,
      kind: entry.kind,
      name: entry.name,
      code: entry.code,
      active: entry.active,
      sequence: entry.sequence,
      createdAt: entry.createdAt,
      updatedAt: entry.updatedAt,
    };
  }
}

export class ListEntryPageDto extends PageOf(ListEntryDto) {}
