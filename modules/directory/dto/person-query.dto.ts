import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../core/http/page';
import { QueryBoolean } from '../../core/http/query-boolean.decorator';
import { QueryId } from '../../core/http/query-id.decorator';

export class PersonQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Matches id, display name or email, case-insensitive, anywhere' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  q?: string;

  @ApiPropertyOptional({ description: 'Only active (true) or inactive (false) people; both when left out' })
  @QueryBoolean()
  active?: boolean;

  @ApiPropertyOptional({ description: 'Only members of this team' })
  @QueryId()
  teamId?: number;
}
