import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { QueryId } from '../../core/http/query-id.decorator';
import { SourcedRecordFilterDto } from '../../sources/dto/sourced-record-filter.dto';
import { LEAD_STATUSES, type LeadStatus } from '../lead-status';

/** The filters the lead list and the lead board share; each is served by an index. */
export class LeadFilterDto extends SourcedRecordFilterDto {
  @ApiPropertyOptional({ enum: LEAD_STATUSES, description: 'Leads in this status' })
  @IsOptional()
  @IsIn(LEAD_STATUSES)
  status?: LeadStatus;

  @ApiPropertyOptional({ minimum: 1, description: 'Leads of this company' })
  @QueryId()
  companyId?: number;

  @ApiPropertyOptional({ minimum: 1, description: 'Partner supervisors always see only their own partner company' })
  @QueryId()
  partnerCompanyId?: number;

  @ApiPropertyOptional({ maxLength: 120, description: 'Word-prefix search: every word must start a word of the title, the company name, the contact name or email (case and accents ignored); a word with @ starts an email, digits and phone punctuation alone start the phone number' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  q?: string;
}
