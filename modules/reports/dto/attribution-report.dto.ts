import { ApiProperty } from '@nestjs/swagger';
import { SOURCE_TYPES, type SourceType } from '../../sources/source-type';
import { ATTRIBUTION_ENTITIES, ATTRIBUTION_GROUPS, type AttributionEntity, type AttributionGroup } from './attribution-query.dto';
import { ApiNullableEnum } from '../../core/http/nullable-schemas';

/** The figures of one group (or of all of them). */
export class AttributionFiguresDto {
  @ApiProperty({ description: 'Records of the entity created in the period' }) count: number;
  @ApiProperty({
    description: 'Leads: converted leads. Customers: customers converted from a lead. Opportunities: those whose lead was converted',
  })
  converted: number;
  @ApiProperty({ example: 0.25, description: 'converted / count, rounded to 4 decimals (0 when count is 0)' }) conversionRate: number;
  @ApiProperty({ description: "Won opportunities of these records (of the leads' or customers', or these opportunities themselves)" })
  opportunitiesWon: number;
  @ApiProperty({ example: '12500.00', description: 'Sum of their amounts, exact decimal string (amounts are added as recorded, whatever their currency)' })
  wonAmount: string;
}

export class AttributionRowDto extends AttributionFiguresDto {
  @ApiProperty({ type: Number, nullable: true, description: 'Null when grouped by type, or for records without a source' }) sourceId: number | null;
  @ApiProperty({ type: String, nullable: true }) sourceCode: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The current name: renaming a source relabels every past report' }) sourceName: string | null;
  @ApiNullableEnum(SOURCE_TYPES, { description: 'The current type of the source' }) sourceType: SourceType | null;
}

export class AttributionReportDto {
  @ApiProperty({ enum: ATTRIBUTION_ENTITIES }) entity: AttributionEntity;
  @ApiProperty({ enum: ATTRIBUTION_GROUPS }) groupBy: AttributionGroup;
  @ApiProperty({ type: String, nullable: true }) from: string | null;
  @ApiProperty({ type: String, nullable: true }) to: string | null;
  @ApiProperty({ type: AttributionRowDto, isArray: true, description: 'Largest groups first' }) rows: AttributionRowDto[];
  @ApiProperty({ type: AttributionFiguresDto }) totals: AttributionFiguresDto;
}
