import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { CUSTOMER_STATUSES, type CustomerStatus } from '../customer-status';

export class CreateCustomerDto {
  @ApiProperty({ maxLength: 200, example: 'Acme Ltd' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'A directory company' })
  @IsOptional()
  @IsInt()
  @Min(1)
  companyId?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: "A directory contact; of the customer's company when both are set" })
  @IsOptional()
  @IsInt()
  @Min(1)
  primaryContactId?: number | null;

  @ApiPropertyOptional({ description: 'An active person; defaults to the caller when the caller is an active person of the directory, else none' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  ownerId?: string;

  @ApiPropertyOptional({ enum: CUSTOMER_STATUSES, description: 'Defaults to `active` on creation' })
  @IsOptional()
  @IsIn(CUSTOMER_STATUSES)
  status?: CustomerStatus;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'An active source enabled for customers. A customer keeps the source it has (even archived or lead-only) until another is picked',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  sourceId?: number | null;
}
