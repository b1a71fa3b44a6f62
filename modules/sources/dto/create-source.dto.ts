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
import { SOURCE_CODE_MAX_LENGTH, SOURCE_CODE_PATTERN, SOURCE_TYPES, type SourceType } from '../source-type';

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

  @ApiPropertyOptional({ default: 10, description: 'Lower comes first in pickers and boards' })
  @IsOptional()
  @IsInt()
  @Min(0)
  sequence?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ default: true, description: 'Offered for leads and lead opportunities' })
  @IsOptional()
  @IsBoolean()
  forLeads?: boolean;

  @ApiPropertyOptional({ default: true, description: 'Offered for customers and customer opportunities' })
  @IsOptional()
  @IsBoolean()
  forCustomers?: boolean;

  @ApiPropertyOptional({ type: [String], description: 'Exact strings that link incoming leads to this source; unique across the catalogue' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(120, { each: true })
  matchKeys?: string[];
}
