import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../core/http/page';
import { QueryBoolean } from '../../core/http/query-boolean.decorator';

export class CompanyQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Matches the name (case and spaces ignored), the website domain or the TIN, anywhere' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  q?: string;

  @ApiPropertyOptional({ description: 'Only partner (true) or non-partner (false) companies' })
  @QueryBoolean()
  isPartner?: boolean;
}
