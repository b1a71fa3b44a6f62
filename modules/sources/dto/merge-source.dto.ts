import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Min } from 'class-validator';

export class MergeSourceDto {
  @ApiProperty({ description: 'The source that receives every reference' })
  @IsInt()
  @Min(1)
  intoId: number;
}

export class MergeResultDto {
  @ApiProperty() sourceId: number;
  @ApiProperty() intoId: number;
  @ApiProperty({ description: 'True when nothing was written' }) dryRun: boolean;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { leads: 12 }, description: 'Records moved (or that would move), per kind' })
  moved: Record<string, number>;
}
