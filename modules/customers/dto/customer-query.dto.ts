import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../core/http/page';
import { CUSTOMER_STATUSES, type CustomerStatus } from '../customer-status';
import { QueryId } from '../../core/http/query-id.decorator';

export class CustomerQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ type: Number, minimum: 1, description: 'Customers with this customer source' })
  @QueryId()
  sourceId?: number;

  @ApiPropertyOptional({ type: String, maxLength: 64, description: 'Customers this person owns (their user id)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  ownerId?: string;

  @ApiPropertyOptional({ type: Number, minimum: 1, description: 'Customers of this company' })
  @QueryId()
  companyId?: number;

  @ApiPropertyOptional({ enum: CUSTOMER_STATUSES, description: 'Customers in this status' })
  @IsOptional()
  @IsIn(CUSTOMER_STATUSES)
  status?: CustomerStatus;

  @ApiPropertyOptional({ description: 'Matches the name anywhere, case-insensitive' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  q?: string;
}
