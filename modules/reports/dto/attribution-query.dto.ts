import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsCalendarDate } from '../../core/http/is-iso-date.validator';

export const ATTRIBUTION_ENTITIES = ['lead', 'customer', 'opportunity'] as const;
export type AttributionEntity = (typeof ATTRIBUTION_ENTITIES)[number];

export const ATTRIBUTION_GROUPS = ['source', 'sourceType'] as const;
export type AttributionGroup = (typeof ATTRIBUTION_GROUPS)[number];

/** `GET /reports/attribution`. */
export class AttributionQueryDto {
  @ApiPropertyOptional({ enum: ATTRIBUTION_ENTITIES, default: 'lead', description: 'Which records are counted, by their own source and creation date' })
  @IsOptional()
  @IsIn(ATTRIBUTION_ENTITIES)
  entity: AttributionEntity = 'lead';

  @ApiPropertyOptional({ enum: ATTRIBUTION_GROUPS, default: 'source', description: 'One row per source, or per source type' })
  @IsOptional()
  @IsIn(ATTRIBUTION_GROUPS)
  groupBy: AttributionGroup = 'source';

  @ApiPropertyOptional({ format: 'date-time', example: '2026-01-01T00:00:00.000Z', description: 'Records created at or after (a date or a date and time)' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2027-01-01T00:00:00.000Z', description: 'Records created before (a date or a date and time)' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}
