import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { OpportunityFieldsDto } from '../../opportunities/dto/create-opportunity.dto';

export const CONVERT_CUSTOMER_MODES = ['create', 'link'] as const;
export type ConvertCustomerMode = (typeof CONVERT_CUSTOMER_MODES)[number];

export class ConvertCustomerDto {
  @ApiProperty({ enum: CONVERT_CUSTOMER_MODES, description: "`create` a customer from the lead's company and contact, or `link` an existing one" })
  @IsIn(CONVERT_CUSTOMER_MODES)
  mode: ConvertCustomerMode;

  @ApiPropertyOptional({ description: 'The customer to link (mode `link`)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  customerId?: number;

  @ApiPropertyOptional({ description: 'Create even though customers of the same company exist (mode `create`). Defaults to `false`' })
  @IsOptional()
  @IsBoolean()
  createAnyway?: boolean;

  @ApiPropertyOptional({
    description: "Owner of a new customer (an active person). Defaults to the lead's owner, else the caller, whichever is an active person of the directory; else none",
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  ownerId?: string;
}

/** `POST /leads/:id/convert`: a customer, an opportunity, or both. */
export class ConvertLeadDto {
  @ApiPropertyOptional({ type: ConvertCustomerDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConvertCustomerDto)
  customer?: ConvertCustomerDto;

  @ApiPropertyOptional({
    type: OpportunityFieldsDto,
    description: 'An opportunity on the customer (or on the lead, without a customer part); it takes its parent\'s source unless another eligible one is given',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => OpportunityFieldsDto)
  opportunity?: OpportunityFieldsDto;
}
