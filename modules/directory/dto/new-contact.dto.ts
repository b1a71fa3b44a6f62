import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** A phone as people type it: digits with an optional leading `+` and spaces, dots, dashes or brackets. */
export const PHONE_PATTERN = /^\+?[\d\s().-]*\d[\d\s().-]*$/;

/** What it takes to create a contact (on its own, or from the lead form). */
export class NewContactDto {
  @ApiProperty({ maxLength: 80 })
  @IsString()
  @Matches(/\S/, { message: 'firstName must not be blank' })
  @MaxLength(80)
  firstName: string;

  @ApiProperty({ maxLength: 80 })
  @IsString()
  @Matches(/\S/, { message: 'lastName must not be blank' })
  @MaxLength(80)
  lastName: string;

  @ApiPropertyOptional({ type: String, maxLength: 80, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  middleName?: string | null;

  @ApiPropertyOptional({ type: String, maxLength: 40, example: '+1 (555) 010-9999', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @Matches(PHONE_PATTERN, { message: 'phone must be digits, optionally with a leading + and spaces, dots, dashes or brackets' })
  phone?: string | null;

  @ApiPropertyOptional({ type: String, maxLength: 10, example: '12', nullable: true, description: 'The extension to dial after the phone' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,10}$/, { message: 'phoneExtension must be 1 to 10 digits' })
  phoneExtension?: string | null;

  @ApiPropertyOptional({ type: String, maxLength: 254, example: 'jane@acme.com', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email?: string | null;
}
