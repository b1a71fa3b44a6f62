import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { SOURCE_TYPES, type SourceType } from '../../sources/source-type';
import { LEAD_STATUSES, type LeadStatus } from '../lead-status';
import { QueryId } from '../../core/http/query-id.decorator';

/** The filters the lead list and the lead board share; each is served by an index. */
export class LeadFilterDto {
  @ApiPropertyOptional({ enum: LEAD_STATUSES })
  @IsOptional()
  @IsIn(LEAD_STATUSES)
  status?: LeadStatus;

  @ApiPropertyOptional({ minimum: 1 })
  @QueryId()
  sourceId?: number;

  @ApiPropertyOptional({ enum: SOURCE_TYPES, description: "Leads whose source is of this type" })
  @IsOptional()
  @IsIn(SOURCE_TYPES)
  sourceType?: SourceType;

  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  ownerId?: string;

  @ApiPropertyOptional({ minimum: 1 })
  @QueryId()
  companyId?: number;

  @ApiPropertyOptional({ minimum: 1, description: 'Partner supervisors always see only their own partner company' })
  @QueryId()
  partnerCompanyId?: number;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-01-01', description: 'Created at or after' })
  @IsOptional()
  @IsDateString()
  createdFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-02-01', description: 'Created before' })
  @IsOptional()
  @IsDateString()
  createdTo?: string;

  @ApiPropertyOptional({ maxLength: 120, description: 'Searches the title, company name, contact name, email and phone' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  q?: string;
}
