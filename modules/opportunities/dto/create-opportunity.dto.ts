import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO4217CurrencyCode, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsCalendarDate } from '../../core/http/is-iso-date.validator';
import { AMOUNT_PATTERN } from '../money';
import { OPPORTUNITY_STAGES, type OpportunityStage } from '../opportunity-stage';

/** The editable fields, shared by create and update. */
export class OpportunityFieldsDto {
  @ApiProperty({ maxLength: 200, example: 'Fleet renewal 2027' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title: string;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description:
      "Defaults to the parent's source. Another one must be active and enabled for the parent's kind (lead or customer); the current one is always kept",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  sourceId?: number | null;

  @ApiPropertyOptional({ enum: OPPORTUNITY_STAGES, description: 'Defaults to `new` on creation' })
  @IsOptional()
  @IsIn(OPPORTUNITY_STAGES)
  stage?: OpportunityStage;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500, description: 'Required when the stage is `lost`, refused otherwise' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  lostReason?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '12500.00', description: 'Exact decimal string, up to 12 digits and 2 decimals' })
  @IsOptional()
  @IsString()
  @Matches(AMOUNT_PATTERN, { message: 'amount must be a decimal string with up to 12 digits and 2 decimals, like "12500.00"' })
  amount?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'EUR', description: 'ISO 4217; required with an amount' })
  @IsOptional()
  @IsISO4217CurrencyCode()
  currency?: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  probability?: number | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2027-03-31' })
  @IsOptional()
  @IsCalendarDate({ dateOnly: true })
  expectedCloseDate?: string | null;

  @ApiPropertyOptional({ description: 'An active person; defaults to the caller when the caller is an active person of the directory, else none' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  ownerId?: string;
}

export class CreateOpportunityDto extends OpportunityFieldsDto {
  @ApiPropertyOptional({ description: 'The parent lead (a lead opportunity); give exactly one of leadId and customerId' })
  @IsOptional()
  @IsInt()
  @Min(1)
  leadId?: number;

  @ApiPropertyOptional({ description: 'The parent customer (a customer opportunity); give exactly one of leadId and customerId' })
  @IsOptional()
  @IsInt()
  @Min(1)
  customerId?: number;
}
