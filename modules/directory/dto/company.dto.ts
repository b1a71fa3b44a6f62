import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../../core/http/page';
import type { Company } from '../company.entity';

export class CompanyDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) website: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The normalised domain companies are matched on' }) websiteDomain: string | null;
  @ApiProperty({ type: String, nullable: true }) tin: string | null;
  @ApiProperty({ description: 'A partner company (partner supervisors belong to one)' }) isPartner: boolean;
  @ApiProperty({ type: String, nullable: true }) city: string | null;
  @ApiProperty({ description: 'Send it back on PATCH to refuse overwriting a newer change' }) version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;

  static from(company: Company): CompanyDto {
    return {
      id: company.id,
      name: company.name,
      website: company.website,
      websiteDomain: company.websiteDomain,
      tin: company.tin,
      isPartner: company.isPartner,
      city: company.city,
      version: company.version,
      createdAt: company.createdAt,
      updatedAt: company.updatedAt,
    };
  }
}

export class CompanyPageDto extends PageOf(CompanyDto) {}
