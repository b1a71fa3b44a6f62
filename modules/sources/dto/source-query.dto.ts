import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../core/http/page';
import { QueryBoolean } from '../../core/http/query-boolean.decorator';
import type { SourceAppliesTo } from '../source-type';

export class SourceQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Matches code or name, case-insensitive, anywhere' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  q?: string;

  @ApiPropertyOptional({ enum: ['lead', 'customer'], description: 'Only sources enabled for this kind of record' })
  @IsOptional()
  @IsIn(['lead', 'customer'])
  appliesTo?: SourceAppliesTo;

  @ApiPropertyOptional({ description: 'Include archived sources (the picker leaves them out)', default: false })
  @QueryBoolean()
  includeArchived?: boolean;
}
