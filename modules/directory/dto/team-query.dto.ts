import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../core/http/page';
import { QueryBoolean } from '../../core/http/query-boolean.decorator';

export class TeamQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Matches the name, case-insensitive, anywhere' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  q?: string;

  @ApiPropertyOptional({ description: 'Include inactive teams', default: false })
  @QueryBoolean()
  includeInactive?: boolean;
}
