import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { NewContactDto } from './new-contact.dto';

export class CreateContactDto extends NewContactDto {
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'The company the contact works for' })
  @IsOptional()
  @IsInt()
  @Min(1)
  companyId?: number | null;

  @ApiPropertyOptional({ type: String, maxLength: 120, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  jobTitle?: string | null;

  @ApiPropertyOptional({ description: 'The contact asked not to be contacted. Defaults to `false` on creation' })
  @IsOptional()
  @IsBoolean()
  doNotContact?: boolean;
}
