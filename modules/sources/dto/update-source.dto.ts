import { ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Min } from 'class-validator';
import { CreateSourceDto } from './create-source.dto';

export class UpdateSourceDto extends PartialType(CreateSourceDto) {
  @ApiPropertyOptional({ description: 'The version you read; required here or as an `If-Match` header. A stale one is refused with 409.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;

  @ApiPropertyOptional({ description: 'Must be true to change the code: integrations look sources up by code. The old code is retired.' })
  @IsOptional()
  @IsBoolean()
  confirmCodeChange?: boolean;
}
