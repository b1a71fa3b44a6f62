import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { QueryId } from '../../core/http/query-id.decorator';
import { SourcedRecordFilterDto } from '../../sources/dto/sourced-record-filter.dto';
import { OPPORTUNITY_STAGES, type OpportunityStage } from '../opportunity-stage';

/** The filters the opportunity list and board share; each is served by an index. */
export class OpportunityFilterDto extends SourcedRecordFilterDto {
  @ApiPropertyOptional({ enum: OPPORTUNITY_STAGES, description: 'Opportunities at this stage' })
  @IsOptional()
  @IsIn(OPPORTUNITY_STAGES)
  stage?: OpportunityStage;

  @ApiPropertyOptional({ minimum: 1, description: 'Opportunities of this lead' })
  @QueryId()
  leadId?: number;

  @ApiPropertyOptional({ minimum: 1, description: 'Opportunities of this customer' })
  @QueryId()
  customerId?: number;

  @ApiPropertyOptional({ maxLength: 120, description: 'Matches the title anywhere, case-insensitive' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  q?: string;
}
