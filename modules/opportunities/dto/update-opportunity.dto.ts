import { ApiProperty, PartialType } from '@nestjs/swagger';
import { IsInt, Min } from 'class-validator';
import { OpportunityFieldsDto } from './create-opportunity.dto';

/** The parent never changes through PATCH; conversion moves a lead's open opportunities to its customer. */
export class UpdateOpportunityDto extends PartialType(OpportunityFieldsDto) {
  @ApiProperty({ description: 'The version you read; a stale one is refused with 409' })
  @IsInt()
  @Min(1)
  version: number;
}
