import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional } from 'class-validator';

/** A manager's corrections to a refused row before it is put through again. */
export class ReplayImportRowDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', nullable: true },
    description:
      "Fields of the refused row to change before the replay (a CSV row's columns; a distributor record's intake fields: email, phone, phoneExtension, firstName, lastName, companyName, city, ...); null or empty removes a field. Left out: replayed as it was",
    example: { email: 'jane@acme.example', lastName: 'Doe' },
  })
  @IsOptional()
  @IsObject()
  corrections?: Record<string, string | null>;
}
