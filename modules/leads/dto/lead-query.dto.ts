import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../core/http/page';
import { LeadFilterDto } from './lead-filter.dto';

export const LEAD_SORTS = ['createdAt', 'name', 'estimatedCloseDate'] as const;
export type LeadSort = (typeof LEAD_SORTS)[number];

/** `GET /leads`: filters, a sort and a page. */
export class LeadQueryDto extends IntersectionType(PageQueryDto, LeadFilterDto) {
  @ApiPropertyOptional({ enum: LEAD_SORTS, default: 'createdAt', description: 'What the list is ordered by' })
  @IsOptional()
  @IsIn(LEAD_SORTS)
  sort: LeadSort = 'createdAt';

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc', description: 'Ascending or descending' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'desc';
}
