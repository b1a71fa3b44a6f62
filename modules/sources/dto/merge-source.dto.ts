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
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { leads: 12, customers: 0, opportunities: 3, 'intake keys': 0 },
    description: 'Records moved (or, on a dry run, that would move), per kind: every kind that can point at a source, 0 included, in both answers',
  })
  moved: Record<string, number>;
}
