import { ApiProperty } from '@nestjs/swagger';
import { CustomerDto } from '../../customers/dto/customer.dto';
import { LEAD_STATUSES, type LeadStatus } from '../../leads/lead-status';
import { OpportunityDto } from '../../opportunities/dto/opportunity.dto';
import { ApiNullableRef, type OrNull } from '../../core/http/nullable-schemas';

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
  @ApiNullableRef(CustomerDto, { description: 'The customer the lead became (mode `create`) or joined (mode `link`); null when only an opportunity was made' }) customer: OrNull<CustomerDto>;
  @ApiNullableRef(OpportunityDto, { description: 'The opportunity made with the conversion, if one was asked for' }) opportunity: OrNull<OpportunityDto>;
  @ApiProperty({ type: [Number], description: "The lead's open opportunities that moved to the customer, sources kept" })
  movedOpportunityIds: number[];
}
