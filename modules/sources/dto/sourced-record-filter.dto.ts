import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { QueryId } from '../../core/http/query-id.decorator';
import { SOURCE_TYPES, type SourceType } from '../source-type';

/** The filters every list of records that carry a source offers (leads, opportunities); each served by an index. */
export class SourcedRecordFilterDto {
  @ApiPropertyOptional({ minimum: 1 })
  @QueryId()
  sourceId?: number;

  @ApiPropertyOptional({ enum: SOURCE_TYPES, description: 'Records whose source is of this type' })
  @IsOptional()
  @IsIn(SOURCE_TYPES)
  sourceType?: SourceType;

  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  ownerId?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-01-01', description: 'Created at or after' })
  @IsOptional()
  @IsDateString()
  createdFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-02-01', description: 'Created before' })
  @IsOptional()
  @IsDateString()
  createdTo?: string;
}
