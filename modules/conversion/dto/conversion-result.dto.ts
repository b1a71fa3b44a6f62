import { ApiProperty } from '@nestjs/swagger';
import { CustomerDto } from '../../customers/dto/customer.dto';
import { LEAD_STATUSES, type LeadStatus } from '../../leads/lead-status';
import { OpportunityDto } from '../../opportunities/dto/opportunity.dto';

export class ConvertedLeadDto {
  @ApiProperty() id: number;
  @ApiProperty({ enum: LEAD_STATUSES, example: 'converted' }) status: LeadStatus;
  @ApiProperty({ type: Number, nullable: true }) customerId: number | null;
  @ApiProperty({ type: Number, nullable: true }) opportunityId: number | null;
  @ApiProperty() convertedAt: Date;
  @ApiProperty() version: number;
}

export class ConversionResultDto {
  @ApiProperty({ type: ConvertedLeadDto }) lead: ConvertedLeadDto;
  @ApiProperty({ type: CustomerDto, nullable: true }) customer: CustomerDto | null;
  @ApiProperty({ type: OpportunityDto, nullable: true }) opportunity: OpportunityDto | null;
  @ApiProperty({ type: [Number], description: "The lead's open opportunities that moved to the customer, sources kept" })
  movedOpportunityIds: number[];
}
