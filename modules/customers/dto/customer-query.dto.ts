import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../core/http/page';
import { CUSTOMER_STATUSES, type CustomerStatus } from '../customer-status';
import { QueryId } from '../../core/http/query-id.decorator';

export class CustomerQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @QueryId()
  sourceId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  ownerId?: string;

  @ApiPropertyOptional()
  @QueryId()
  companyId?: number;

  @ApiPropertyOptional({ enum: CUSTOMER_STATUSES })
  @IsOptional()
  @IsIn(CUSTOMER_STATUSES)
  status?: CustomerStatus;

  @ApiPropertyOptional({ description: 'Matches the name anywhere, case-insensitive' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  q?: string;
}
