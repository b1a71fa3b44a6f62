import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { TIN_PATTERN } from '../matching-keys';
import { IsWebsite } from './is-website.validator';

/** What it takes to create a company (on its own, or from the lead form). */
export class NewCompanyDto {
  @ApiProperty({ maxLength: 200, example: 'Acme Ltd' })
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(200)
  name: string;

  @ApiProperty({ maxLength: 255, example: 'https://www.acme.com', description: 'Compared by domain: scheme, `www.`, path and case are ignored' })
  @IsString()
  @MaxLength(255)
  @IsWebsite()
  website: string;

  @ApiProperty({ pattern: TIN_PATTERN.source, example: '7701234567', description: 'Taxpayer identification number: 9, 10 or 12 digits' })
  @IsString()
  @IsNotEmpty()
  @Matches(TIN_PATTERN, { message: 'tin must be 9, 10 or 12 digits' })
  tin: string;
}
