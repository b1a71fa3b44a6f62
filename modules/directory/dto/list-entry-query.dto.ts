import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../core/http/page';
import { QueryBoolean } from '../../core/http/query-boolean.decorator';

export class ListEntryQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Matches name or code, case-insensitive, anywhere' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  q?: string;

  @ApiPropertyOptional({ description: 'Include archived entries (the picker leaves them out)', default: false })
  @QueryBoolean()
  includeArchived?: boolean;
}
