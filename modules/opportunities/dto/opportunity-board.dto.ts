import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Max } from 'class-validator';
import { OpportunityDto } from './opportunity.dto';
import { OpportunityFilterDto } from './opportunity-filter.dto';
import { QueryId } from '../../core/http/query-id.decorator';

export const OPPORTUNITY_BOARD_GROUPS = ['stage', 'source'] as const;
export type OpportunityBoardGroup = (typeof OPPORTUNITY_BOARD_GROUPS)[number];

/** `GET /opportunities/board`: the list filters, a grouping and how many cards per column. */
export class OpportunityBoardQueryDto extends OpportunityFilterDto {
  @ApiPropertyOptional({ enum: OPPORTUNITY_BOARD_GROUPS, default: 'stage', description: 'One column per stage or per source' })
  @IsOptional()
  @IsIn(OPPORTUNITY_BOARD_GROUPS)
  groupBy: OpportunityBoardGroup = 'stage';

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20, description: 'Cards per column (newest first)' })
  @QueryId()
  @Max(100)
  limit: number = 20;
}

export class OpportunityBoardColumnDto {
  @ApiProperty({ description: 'The stage code, the source id, or null for opportunities without a source', oneOf: [{ type: 'integer' }, { type: 'string', nullable: true }] })
  key: number | string | null;
  @ApiProperty({ description: 'Stage label or source name' }) label: string;
  @ApiProperty({ description: 'All matching opportunities in this column' }) count: number;
  @ApiProperty({ example: '25000.00', description: 'Sum of their amounts, exact (amounts are added as recorded, whatever their currency)' })
  amountSum: string;
  @ApiProperty({ type: OpportunityDto, isArray: true, description: 'The first `limit` of them, newest first' }) cards: OpportunityDto[];
}

export class OpportunityBoardDto {
  @ApiProperty({ enum: OPPORTUNITY_BOARD_GROUPS }) groupBy: OpportunityBoardGroup;
  @ApiProperty({ type: OpportunityBoardColumnDto, isArray: true }) columns: OpportunityBoardColumnDto[];
}
