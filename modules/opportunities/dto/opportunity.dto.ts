import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../../core/http/page';
import { SourceRefDto } from '../../customers/dto/source-ref.dto';
import { OPPORTUNITY_STAGES, type OpportunityStage } from '../opportunity-stage';
import type { Opportunity } from '../opportunity.entity';
import { ApiNullableRef, type OrNull } from '../../core/http/nullable-schemas';

export class OpportunityDto {
  @ApiProperty() id: number;
  @ApiProperty() title: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Set for a lead opportunity' }) leadId: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Set for a customer opportunity' }) customerId: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'The lead it came from; kept once it moves to the customer' }) originLeadId: number | null;
  @ApiNullableRef(SourceRefDto, { description: 'Joined live from the catalogue' }) source: OrNull<SourceRefDto>;
  @ApiProperty({ enum: OPPORTUNITY_STAGES }) stage: OpportunityStage;
  @ApiProperty({ type: String, nullable: true }) lostReason: string | null;
  @ApiProperty({ type: String, nullable: true, example: '12500.00', description: 'Exact decimal string' }) amount: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'EUR' }) currency: string | null;
  @ApiProperty({ type: Number, nullable: true }) probability: number | null;
  @ApiProperty({ type: String, nullable: true, example: '2027-03-31' }) expectedCloseDate: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'An active person when set; none when nobody who could own it was known' }) ownerId: string | null;
  @ApiProperty({ type: Date, nullable: true, description: 'When it was won or lost' }) closedAt: Date | null;
  @ApiProperty({ description: 'Send it back on PATCH' }) version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;

  /** `opportunity.source` must be loaded (joined) when it has one. */
  static from(o: Opportunity): OpportunityDto {
    return {
      id: o.id,
      title: o.title,
      leadId: o.leadId,
      customerId: o.customerId,
      originLeadId: o.originLeadId,
      source: SourceRefDto.from(o.source),
      stage: o.stage,
      lostReason: o.lostReason,
      amount: o.amount,
      currency: o.currency,
      probability: o.probability,
      expectedCloseDate: o.expectedCloseDate,
      ownerId: o.ownerId,
      closedAt: o.closedAt,
      version: o.version,
      createdAt: o.createdAt,
      updatedAt: o.updatedAt,
    };
  }
}

export class OpportunityPageDto extends PageOf(OpportunityDto) {}
