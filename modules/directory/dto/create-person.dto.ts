import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';

export class CreatePersonDto {
  @ApiProperty({ maxLength: 64, description: "The host's user id for this person" })
  @IsString()
  @MaxLength(64)
  @Matches(/^\S+$/, { message: 'id must be a non-empty user id without spaces' })
  id: string;

  @ApiProperty({ maxLength: 120 })
  @IsString()
  @Matches(/\S/, { message: 'displayName must not be blank' })
  @MaxLength(120)
  displayName: string;

  @ApiPropertyOptional({ type: String, maxLength: 254, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email?: string | null;

  @ApiPropertyOptional({ description: 'Only active people can own records. Defaults to `true` on creation' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ type: [Number], description: 'The teams the person belongs to (replaces the current ones)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsInt({ each: true })
  @Min(1, { each: true })
  teamIds?: number[];
}
