import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';
import { IsLocaleMap } from '../../core/http/is-locale-map.validator';
import { ROUTING_MODES, SOURCE_CODE_MAX_LENGTH, SOURCE_CODE_PATTERN, SOURCE_TYPES, type RoutingMode, type SourceType } from '../source-type';

export class CreateSourceDto {
  @ApiProperty({ maxLength: SOURCE_CODE_MAX_LENGTH, pattern: SOURCE_CODE_PATTERN.source, example: 'trade_fair' })
  @IsString()
  @MaxLength(SOURCE_CODE_MAX_LENGTH)
  @Matches(SOURCE_CODE_PATTERN, { message: `code must match ${SOURCE_CODE_PATTERN.source}` })
  code: string;

  @ApiProperty({ maxLength: 120, example: 'Trade Fair' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  name: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { fr: 'Salon' } })
  @IsOptional()
  @IsLocaleMap()
  translations?: Record<string, string>;

  @ApiProperty({ enum: SOURCE_TYPES })
  @IsIn(SOURCE_TYPES)
  type: SourceType;

  @ApiPropertyOptional({ description: 'Lower comes first in pickers and boards. Defaults to `10` on creation' })
  @IsOptional()
  @IsInt()
  @Min(0)
  sequence?: number;

  @ApiPropertyOptional({ description: 'Defaults to `true` on creation' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ description: 'Offered for leads and lead opportunities. Defaults to `true` on creation' })
  @IsOptional()
  @IsBoolean()
  forLeads?: boolean;

  @ApiPropertyOptional({ description: 'Offered for customers and customer opportunities. Defaults to `true` on creation' })
  @IsOptional()
  @IsBoolean()
  forCustomers?: boolean;

  @ApiPropertyOptional({ type: [String], description: 'Exact strings that link incoming leads to this source; unique among sources of the same product category' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(120, { each: true })
  matchKeys?: string[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 60, example: 'trucks', description: 'Sources may share a match key when their product categories differ; an incoming lead naming a category picks the source of that category' })
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'productCategory must not be blank' })
  @MaxLength(60)
  productCategory?: string | null;

  @ApiPropertyOptional({ enum: ROUTING_MODES, description: 'Owner of incoming leads: nobody, `routingPersonId`, or the active members of `routingTeamIds` in turn. Defaults to `none` on creation' })
  @IsOptional()
  @IsIn(ROUTING_MODES)
  routingMode?: RoutingMode;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'An active person; required for routing mode `person`' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  routingPersonId?: string | null;

  @ApiPropertyOptional({ type: [Number], description: 'Teams whose active members take turns; required (non-empty) for routing mode `teams`' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsInt({ each: true })
  @Min(1, { each: true })
  routingTeamIds?: number[];

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Owner when routing finds no one eligible' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  fallbackPersonId?: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'A marketing campaign stamped on every incoming lead' })
  @IsOptional()
  @IsInt()
  @Min(1)
  defaultMarketingCampaignId?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'The sales direction of an incoming lead that names none' })
  @IsOptional()
  @IsInt()
  @Min(1)
  defaultSalesDirectionId?: number | null;

  @ApiPropertyOptional({ description: 'A duplicate incoming lead updates the open lead it matches instead of creating a new one. Defaults to `false` on creation' })
  @IsOptional()
  @IsBoolean()
  updateLead?: boolean;

  @ApiPropertyOptional({ description: "A duplicate incoming lead updates the existing contact's details. Defaults to `false` on creation" })
  @IsOptional()
  @IsBoolean()
  updateContact?: boolean;

  @ApiPropertyOptional({ description: 'Off: the email and phone of a do-not-contact contact are masked in intake answers. Defaults to `false` on creation' })
  @IsOptional()
  @IsBoolean()
  showDoNotContact?: boolean;
}
