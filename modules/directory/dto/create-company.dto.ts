import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { NewCompanyDto } from './new-company.dto';

export class CreateCompanyDto extends NewCompanyDto {
  @ApiPropertyOptional({ type: String, maxLength: 120, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  city?: string | null;

  @ApiPropertyOptional({ description: 'A partner company; setting it needs `directory.write`. Defaults to `false` on creation' })
  @IsOptional()
  @IsBoolean()
  isPartner?: boolean;
}
