import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'code' }) field: string;
  @ApiProperty({ example: 'matches' }) rule: string;
  @ApiProperty({ example: 'code must match ^[a-z][a-z0-9_]*$' }) message: string;
}

/** The body of every CRM error response. */
export class ErrorResponseDto {
  @ApiProperty({ example: 409 }) statusCode: number;
  @ApiProperty({ example: 'IN_USE', description: 'Stable machine-readable error code' }) code: string;
  @ApiProperty({ example: 'Source 4 is referenced by 12 leads' }) message: string;
  @ApiPropertyOptional({ type: FieldErrorDto, isArray: true, description: 'For 400: each field and the rule it broke' })
  errors?: FieldErrorDto[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Further facts about the error' })
  details?: Record<string, unknown>;
}
