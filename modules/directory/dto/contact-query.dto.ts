import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../core/http/page';
import { QueryId } from '../../core/http/query-id.decorator';

export class ContactQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Every word must match a name, the email or (by digits) the phone, case-insensitive, anywhere' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  q?: string;

  @ApiPropertyOptional({ description: 'Only contacts of this company' })
  @QueryId()
  companyId?: number;
}
