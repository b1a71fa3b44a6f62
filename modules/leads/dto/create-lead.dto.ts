import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { NewCompanyDto } from '../../directory/dto/new-company.dto';
import { NewContactDto } from '../../directory/dto/new-contact.dto';
import {
  CONTACT_PERSON_LEVELS,
  DECISION_LEVELS,
  LEAD_TERMS,
  PROCUREMENT_PROCEDURES,
  type ContactPersonLevel,
  type DecisionLevel,
  type LeadTerms,
  type ProcurementProcedure,
} from '../lead-qualification';
import { IsCalendarDate } from '../../core/http/is-iso-date.validator';
import { IsMoney } from './money.validator';
import { ApiNullableEnum } from '../../core/http/nullable-schemas';

const optionalId = (description: string) => ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, description });
const optionalText = (maxLength: number, description?: string) => ApiPropertyOptional({ type: String, nullable: true, maxLength, description });
const optionalEnum = (values: readonly string[], description?: string) => ApiNullableEnum(values, { optional: true, description });

/** The lead form. Ids point at the directory and the catalogue; each is checked when set or changed. */
export class CreateLeadDto {
  @ApiProperty({ maxLength: 200, example: 'Fleet of 12 vans for Acme', description: "The lead's title" })
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(200)
  name: string;

  @ApiProperty({ minimum: 1, description: 'An active source enabled for leads' })
  @IsInt()
  @Min(1)
  sourceId: number;

  @optionalText(200, 'The company name as the requester typed it')
  @IsOptional()
  @IsString()
  @MaxLength(200)
  leadCompanyName?: string | null;

  @optionalId('An existing company; or give `newCompany`')
  @IsOptional()
  @IsInt()
  @Min(1)
  companyId?: number | null;

  @ApiPropertyOptional({ type: NewCompanyDto, description: 'Creates the company with the lead (unique by name, website domain and TIN); or give `companyId`' })
  @IsOptional()
  @ValidateNested()
  @Type(() => NewCompanyDto)
  newCompany?: NewCompanyDto;

  @optionalId('An existing contact; it must belong to the company when one is given. Or give `newContact`')
  @IsOptional()
  @IsInt()
  @Min(1)
  contactId?: number | null;

  @ApiPropertyOptional({ type: NewContactDto, description: "Creates the contact in the lead's company; or give `contactId`" })
  @IsOptional()
  @ValidateNested()
  @Type(() => NewContactDto)
  newContact?: NewContactDto;

  @optionalText(120)
  @IsOptional()
  @IsString()
  @MaxLength(120)
  jobTitle?: string | null;

  @optionalId('A marketing campaign of the list')
  @IsOptional()
  @IsInt()
  @Min(1)
  marketingCampaignId?: number | null;

  @ApiProperty({ minimum: 1, description: 'A sales direction of the list' })
  @IsInt()
  @Min(1)
  salesDirectionId: number;

  @optionalId('The service or product asked about, from the product list')
  @IsOptional()
  @IsInt()
  @Min(1)
  productId?: number | null;

  @optionalText(10000)
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  customerRequirements?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 64, description: 'An active person of the directory' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  ownerId?: string | null;

  @optionalText(120)
  @IsOptional()
  @IsString()
  @MaxLength(120)
  city?: string | null;

  @optionalId('A partner company (`isPartner`); partner supervisors always get their own')
  @IsOptional()
  @IsInt()
  @Min(1)
  partnerCompanyId?: number | null;

  @optionalId('A contact of the partner company')
  @IsOptional()
  @IsInt()
  @Min(1)
  partnerRepresentativeId?: number | null;

  @optionalId('A content distribution channel of the list')
  @IsOptional()
  @IsInt()
  @Min(1)
  contentDistributionChannelId?: number | null;

  @optionalText(200, 'How the requester contacted us, or the search keywords that brought them')
  @IsOptional()
  @IsString()
  @MaxLength(200)
  channel?: string | null;

  // Qualification

  @optionalText(10000)
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  goal?: string | null;

  @optionalText(2000, 'Other implementation options the potential customer considers (free text)')
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  implementationOptions?: string | null;

  @ApiPropertyOptional({ description: 'The customer has a budget; `budget` is only kept while this is true. Defaults to `false` on creation' })
  @IsOptional()
  @IsBoolean()
  budgetIsSet?: boolean;

  @ApiPropertyOptional({ type: String, nullable: true, example: '125000.00', description: 'Exact decimal string, at most two decimals, not negative' })
  @IsOptional()
  @IsMoney()
  estimatedAmount?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '100000', description: 'Only when `budgetIsSet`; exact decimal string, not negative' })
  @IsOptional()
  @IsMoney()
  budget?: string | null;

  @optionalEnum(PROCUREMENT_PROCEDURES)
  @IsOptional()
  @IsIn(PROCUREMENT_PROCEDURES)
  procurementProcedure?: ProcurementProcedure | null;

  @optionalEnum(DECISION_LEVELS, 'At which level the purchase is decided')
  @IsOptional()
  @IsIn(DECISION_LEVELS)
  decisionLevel?: DecisionLevel | null;

  @optionalEnum(LEAD_TERMS, 'When the customer means to buy; fills `estimatedCloseDate` from the creation date when that is not given')
  @IsOptional()
  @IsIn(LEAD_TERMS)
  terms?: LeadTerms | null;

  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, example: '2026-12-31' })
  @IsOptional()
  @IsCalendarDate({ dateOnly: true })
  estimatedCloseDate?: string | null;

  @optionalText(2000)
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  termsComment?: string | null;

  @optionalEnum(CONTACT_PERSON_LEVELS, "The contact's level in the customer's organisation")
  @IsOptional()
  @IsIn(CONTACT_PERSON_LEVELS)
  contactPersonLevel?: ContactPersonLevel | null;

  @optionalText(200, 'Who makes the decision')
  @IsOptional()
  @IsString()
  @MaxLength(200)
  decisionMaker?: string | null;

  @optionalText(2000, "A detailed description of the decision maker's and other contacts' influence on the outcome of the lead (free text)")
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  influenceOnDecision?: string | null;

  @optionalText(2000)
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  competitors?: string | null;

  @optionalText(2000)
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  selectionCriteria?: string | null;

  @optionalText(2000, "Ways to show that we meet the potential customer's selection criteria (free text)")
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  complianceWithCriteria?: string | null;
}
