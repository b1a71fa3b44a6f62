import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsCalendarDate } from '../../core/http/is-iso-date.validator';
import { QueryId } from '../../core/http/query-id.decorator';
import { SOURCE_TYPES, type SourceType } from '../source-type';

/** The filters every list of records that carry a source offers (leads, opportunities); each served by an index. */
export class SourcedRecordFilterDto {
  @ApiPropertyOptional({ minimum: 1, description: 'Records with this source' })
  @QueryId()
  sourceId?: number;

  @ApiPropertyOptional({ enum: SOURCE_TYPES, description: 'Records whose source is of this type' })
  @IsOptional()
  @IsIn(SOURCE_TYPES)
  sourceType?: SourceType;

  @ApiPropertyOptional({ maxLength: 64, description: 'Records this person owns (their user id)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  ownerId?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-01-01T00:00:00.000Z', description: 'Created at or after (a date or a date and time)' })
  @IsOptional()
  @IsCalendarDate()
  createdFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-02-01T00:00:00.000Z', description: 'Created before (a date or a date and time)' })
  @IsOptional()
  @IsCalendarDate()
  createdTo?: string;
}
