import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../core/http/page';
import { OpportunityFilterDto } from './opportunity-filter.dto';

export const OPPORTUNITY_SORTS = ['createdAt', 'updatedAt', 'title', 'amount', 'expectedCloseDate', 'probability'] as const;
export type OpportunitySort = (typeof OPPORTUNITY_SORTS)[number];

/** `GET /opportunities`: filters, a sort and a page (at most 200). */
export class OpportunityQueryDto extends IntersectionType(PageQueryDto, OpportunityFilterDto) {
  @ApiPropertyOptional({ enum: OPPORTUNITY_SORTS, default: 'createdAt', description: 'What the list is ordered by' })
  @IsOptional()
  @IsIn(OPPORTUNITY_SORTS)
  sort: OpportunitySort = 'createdAt';

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc', description: 'Ascending or descending' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'desc';
}
