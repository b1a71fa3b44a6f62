import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { SOURCE_TYPES, type SourceType } from '../../sources/source-type';
import { OPPORTUNITY_STAGES, type OpportunityStage } from '../opportunity-stage';
import { QueryId } from '../../core/http/query-id.decorator';

/** The filters the opportunity list and board share; each is served by an index. */
export class OpportunityFilterDto {
  @ApiPropertyOptional({ enum: OPPORTUNITY_STAGES })
  @IsOptional()
  @IsIn(OPPORTUNITY_STAGES)
  stage?: OpportunityStage;

  @ApiPropertyOptional({ minimum: 1 })
  @QueryId()
  sourceId?: number;

  @ApiPropertyOptional({ enum: SOURCE_TYPES, description: 'Opportunities whose source is of this type' })
  @IsOptional()
  @IsIn(SOURCE_TYPES)
  sourceType?: SourceType;

  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  ownerId?: string;

  @ApiPropertyOptional({ minimum: 1, description: 'Opportunities of this lead' })
  @QueryId()
  leadId?: number;

  @ApiPropertyOptional({ minimum: 1, description: 'Opportunities of this customer' })
  @QueryId()
  customerId?: number;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-01-01', description: 'Created at or after' })
  @IsOptional()
  @IsDateString()
  createdFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-02-01', description: 'Created before' })
  @IsOptional()
  @IsDateString()
  createdTo?: string;

  @ApiPropertyOptional({ maxLength: 120, description: 'Matches the title anywhere, case-insensitive' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  q?: string;
}
