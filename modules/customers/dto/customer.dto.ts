import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../../core/http/page';
import { CUSTOMER_STATUSES, type CustomerStatus } from '../customer-status';
import type { Customer } from '../customer.entity';
import { SourceRefDto } from './source-ref.dto';
import { ApiNullableRef, type OrNull } from '../../core/http/nullable-schemas';

export class CustomerDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ type: Number, nullable: true }) companyId: number | null;
  @ApiProperty({ type: Number, nullable: true }) primaryContactId: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'An active person when set; none when nobody who could own it was known' }) ownerId: string | null;
  @ApiProperty({ enum: CUSTOMER_STATUSES }) status: CustomerStatus;
  @ApiNullableRef(SourceRefDto, { description: 'Joined live from the catalogue' }) source: OrNull<SourceRefDto>;
  @ApiProperty({ type: Number, nullable: true, description: 'The lead this customer was converted from' }) leadId: number | null;
  @ApiProperty({ type: Number, nullable: true, description: "The partner company it belongs to: its lead's, or its creator's when a partner supervisor created it" })
  partnerCompanyId: number | null;
  @ApiProperty({ description: 'Send it back on PATCH' }) version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;

  /** `customer.source` must be loaded (joined) when the customer has one. */
  static from(customer: Customer): CustomerDto {
    return {
      id: customer.id,
      name: customer.name,
      companyId: customer.companyId,
      primaryContactId: customer.primaryContactId,
      ownerId: customer.ownerId,
      status: customer.status,
      source: SourceRefDto.from(customer.source),
      leadId: customer.leadId,
      partnerCompanyId: customer.partnerCompanyId,
      version: customer.version,
      createdAt: customer.createdAt,
      updatedAt: customer.updatedAt,
    };
  }
}

export class CustomerPageDto extends PageOf(CustomerDto) {}
