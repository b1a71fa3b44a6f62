import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { PageOf } from '../../../core/http/page';
import type { IntakeKey } from '../intake-key.entity';

export class CreateIntakeKeyDto {
  @ApiProperty({ maxLength: 120, example: 'Website contact form' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  name: string;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'The source of a submission that names none' })
  @IsOptional()
  @IsInt()
  @Min(1)
  defaultSourceId?: number | null;
}

/** An API key as listed: never its secret. */
export class IntakeKeyDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'ik_3f9a1c', description: 'The first characters of the key, to tell keys apart' }) prefix: string;
  @ApiProperty({ type: Number, nullable: true }) defaultSourceId: number | null;
  @ApiProperty({ description: 'False once revoked' }) active: boolean;
  @ApiProperty({ type: Date, nullable: true }) revokedAt: Date | null;
  @ApiProperty() createdById: string;
  @ApiProperty() createdAt: Date;

  static from(key: IntakeKey): IntakeKeyDto {
    return {
      id: key.id,
      name: key.name,
      prefix: key.prefix,
      defaultSourceId: key.defaultSourceId,
      active: key.revokedAt === null,
      revokedAt: key.revokedAt,
      createdById: key.createdById,
      createdAt: key.createdAt,
    };
  }
}

/** The answer to creating a key: the only time its secret is shown. */
export class CreatedIntakeKeyDto extends IntakeKeyDto {
  @ApiProperty({ description: 'Send it as `X-Api-Key`. Shown once: only its hash is stored.' })
  key: string;
}

export class IntakeKeyPageDto extends PageOf(IntakeKeyDto) {}
