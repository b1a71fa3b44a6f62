import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';

export class CreateListEntryDto {
  @ApiProperty({ maxLength: 120, description: 'Unique within the list, ignoring case' })
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(120)
  name: string;

  @ApiPropertyOptional({ type: String, maxLength: 40, nullable: true, pattern: '^[a-z][a-z0-9_]*$', description: 'A stable code for integrations; unique within the list' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @Matches(/^[a-z][a-z0-9_]*$/, { message: 'code must match ^[a-z][a-z0-9_]*$' })
  code?: string | null;

  @ApiPropertyOptional({ description: 'Lower comes first in pickers. Defaults to `10` on creation' })
  @IsOptional()
  @IsInt()
  @Min(0)
  sequence?: number;
}
